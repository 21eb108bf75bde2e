from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "linli.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Shift reminders run in the worker; the appeals indicators of branch stars come from this layer,
        # which sees both party and appeals (party stands below appeals and cannot read them).
        from linli.core import jobs as core_jobs

        from . import contributions, jobs

        for name, fn in jobs.JOBS.items():
            core_jobs.register(name, fn)
        contributions.register()
