from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class DashboardConfig(appconfig.LinliAppConfig):
    name = "linli.dashboard"
    label = "dashboard"
    verbose_name = _("Overview")
