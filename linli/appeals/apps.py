from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class AppealsConfig(appconfig.LinliAppConfig):
    name = "linli.appeals"
    label = "appeals"
    verbose_name = _("Appeals")
