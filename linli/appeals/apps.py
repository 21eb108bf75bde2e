from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "linli.appeals"
    label = "appeals"
    verbose_name = _("Appeals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from linli.core import jobs

        from .jobs import JOBS

        for name, func in JOBS.items():
            jobs.register(name, func)

        from linli.territory import visit_actions

        from .views.from_visit import visit_action

        visit_actions.register(visit_action())
