from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class DeliberationConfig(appconfig.LinliAppConfig):
    name = "linli.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
