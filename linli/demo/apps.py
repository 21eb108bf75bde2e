from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class DemoConfig(appconfig.LinliAppConfig):
    name = "linli.demo"
    label = "demo"
    verbose_name = _("Demo district")
