from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class SensorsConfig(appconfig.LinliAppConfig):
    name = "linli.sensors"
    label = "sensors"
    verbose_name = _("Fire sensors")
