from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class TriageConfig(appconfig.LinliAppConfig):
    name = "linli.triage"
    label = "triage"
    verbose_name = _("Triage")
