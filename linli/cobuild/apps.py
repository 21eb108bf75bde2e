from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CobuildConfig(appconfig.LinliAppConfig):
    # Order deadlines are watched by the worker (jobs.py).
    name = "linli.cobuild"
    label = "cobuild"
    verbose_name = _("Co-building")
