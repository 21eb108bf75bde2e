from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class VolunteersConfig(appconfig.LinliAppConfig):
    # Shift reminders run in the worker (jobs.py); contributions.py adds the appeals indicators of branch stars
    # from this layer, which sees both party and appeals (party stands below appeals and cannot read them).
    name = "linli.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
