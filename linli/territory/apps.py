from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "linli.territory"
    label = "territory"
    verbose_name = _("Territory and organisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from linli.core import jobs

        from . import roads
        from .jobs import lease_reminders_send

        jobs.register("territory.lease_reminders", lease_reminders_send)
        roads.register()
