from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class PartyConfig(appconfig.LinliAppConfig):
    name = "linli.party"
    label = "party"
    verbose_name = _("Party organisation")
