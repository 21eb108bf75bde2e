from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class TerritoryConfig(appconfig.LinliAppConfig):
    name = "linli.territory"
    label = "territory"
    verbose_name = _("Territory and organisation")
