"""Forms of the grid's things and events (物和情): a venue or facility, and a visit of the log. They check types
and shapes; the services check the rest (and say which field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm, coordinate_field
from linli.core.widgets import DateInput, DateTimeInput

from .choices import VenueCategory, VenueState
from .models import Household, Venue
from .services.visits import MAX_PHOTOS

DATE = DateInput()


class PlacedForm(TextForm):
    """A form of something with a position in its grid (a venue, a building): the longitude and latitude are set by
    clicking the map under the address (web/map.js, partials/venue_fields.html); typing them is the fallback."""

    lng = coordinate_field(
        "lng", required_message=_("Click the map where it is, or type its longitude and latitude.")
    )
    lat = coordinate_field(
        "lat", required_message=_("Click the map where it is, or type its longitude and latitude.")
    )

    def position_errors(self) -> list[str]:
        """The position's errors, said once under the map (both fields empty is one message, not two)."""
        return list(dict.fromkeys([*self["lng"].errors, *self["lat"].errors]))


class VenueForm(PlacedForm):
    category = forms.ChoiceField(label=_("Kind"), choices=VenueCategory.choices)
    name = forms.CharField(label=_("Name of the venue"), max_length=100)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    owner_name = forms.CharField(label=_("Person in charge"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=24)
    floor_area = forms.DecimalField(
        label=_("Floor area (m²)"), required=False, max_digits=9, decimal_places=2, min_value=0
    )
    state = forms.ChoiceField(label=_("State"), choices=VenueState.choices)
    inspected_on = forms.DateField(label=_("Last inspected on"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, phone_masked: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if phone_masked:
            # The phone is never put in the form in clear (that would be an unaudited read): empty keeps it.
            phone = self.fields["contact_phone"]
            phone.label = _("New contact phone")
            phone.help_text = _("Leave empty to keep the current one (%(phone)s).") % {"phone": phone_masked}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (the service checks each one's size and type). On a phone each tap of the camera
    gives one photo, and a file input keeps only its last choice: core/photos.js adds each choice to those
    before (data-photo-picks), up to `most`, with a thumbnail and a button to take each out."""

    def __init__(self, *, most: int, **kwargs: Any) -> None:
        attrs = {
            "accept": "image/jpeg,image/png,image/webp",
            "capture": "environment",
            "data-photo-picks": "",
            "data-max-files": str(most),
            "data-remove-label": _("Remove"),
            "data-count-label": _("%(count)s photos chosen; tap again to add more."),
            "data-too-many": _("At most %(max)s photos: the ones over were left out."),
        }
        super().__init__(widget=MultipleFileInput(attrs=attrs), **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class VisitForm(TextForm):
    place = forms.ChoiceField(label=_("Visited"), required=True)
    visited_at = forms.DateTimeField(
        label=_("Time of the visit"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )
    found = forms.CharField(
        label=_("What you found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label=_("Follow-up needed"),
        required=False,
        max_length=200,
        help_text=_("Leave empty when nothing needs following up."),
    )
    photos = PhotosField(
        most=MAX_PHOTOS, label=_("Photos"), required=False, help_text=_("Up to 6 photos, 5 MB each.")
    )

    def __init__(self, *args: Any, households: list[Household], venues: list[Venue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", _("Choose the household or venue"))]
        # Grouped by building (in the order given), each home named with its building: on a phone one scrolls to
        # the building, then the room, and the chosen option still says which building it is.
        for h in households:
            label = h.building.name
            if not choices or choices[-1][0] != label:
                choices.append((label, []))
            # The address after the building's: its entrance (单元), when it has one, and its room.
            home = h.address.removeprefix(h.building.address) or h.room
            choices[-1][1].append((f"h{h.pk}", f"{label} {home}"))
        if venues:
            choices.append(
                (
                    _("Venues and facilities"),
                    [(f"v{v.pk}", f"{v.name}（{v.get_category_display()}）") for v in venues],
                )
            )
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = choices
        self.households = {f"h{h.pk}": h for h in households}
        self.venues = {f"v{v.pk}": v for v in venues}

    def place_objects(self) -> dict[str, Any]:
        """The household or venue chosen, as the service's keyword arguments."""
        key = self.cleaned_data["place"]
        return {"household": self.households.get(key), "venue": self.venues.get(key)}
