from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class PlaceKind(ColouredChoices):
    """The service places of the 15-minute life circle; each kind is counted on its own for coverage."""

    PARTY_CENTRE = "party_centre", "#c8102e", _("Party and community service centre")
    STATION = "station", "#1f6fb2", _("Community service station")
    OUTDOOR_STATION = "outdoor_station", "#e07b00", _("Outdoor workers' station")
    CANTEEN = "canteen", "#2e9d5b", _("Community canteen")
    CHILDCARE = "childcare", "#b04fb0", _("Childcare")
    ELDERLY = "elderly", "#8a6d3b", _("Elderly care")
    CLINIC = "clinic", "#0f8b8d", _("Health station")
