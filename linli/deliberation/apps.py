from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "linli.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from linli.core import jobs as core_jobs

        from .jobs import JOBS

        for name, func in JOBS.items():
            core_jobs.register(name, func)
