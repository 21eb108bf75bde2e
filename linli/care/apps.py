from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CareConfig(appconfig.LinliAppConfig):
    name = "linli.care"
    label = "care"
    verbose_name = _("Care and mediation")
