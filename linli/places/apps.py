from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class PlacesConfig(appconfig.LinliAppConfig):
    name = "linli.places"
    label = "places"
    verbose_name = _("Service places")
