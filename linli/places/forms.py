from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm, coordinate_field
from linli.core.widgets import DateTimeInput

from .choices import PlaceKind


class PlaceForm(TextForm):
    # The service names its argument, as the API's body does; its refusal goes under the field here.
    field_aliases = {"org_node_id": "org_node"}
    org_node = forms.TypedChoiceField(label=_("Community"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    name = forms.CharField(label=_("Name of the place"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200)
    # Set by clicking the map under the address (the site's picking map, web/map.js; places/form.html), never typed.
    lng = coordinate_field("lng", required_message=_("Choose the place on the map."), hidden=True)
    lat = coordinate_field("lat", required_message=_("Choose the place on the map."), hidden=True)
    phone = forms.CharField(label=_("Contact phone"), max_length=24, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    services = forms.CharField(
        label=_("Services"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One service a line."),
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        widget=forms.Textarea(attrs={"rows": 7}),
        initial="08:30-12:00, 14:00-17:30",
        help_text=_(
            "One line for every day, or seven lines from Monday to Sunday; an empty line is a closed day."
        ),
    )

    def __init__(self, *args: object, communities: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_node"].choices = communities  # type: ignore[attr-defined]


class PlaceEditForm(PlaceForm):
    # The file as it came: the service checks it (size, real type) as it does the API's (core.photos.photo_to_store).
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB; a new photo replaces the one shown."),
    )
    photo_remove = forms.BooleanField(label=_("Remove the current photo"), required=False)
    active = forms.BooleanField(label=_("In service"), required=False)

    def __init__(self, *args: object, has_photo: bool = False, **kwargs: object) -> None:
        super().__init__(*args, communities=[], **kwargs)
        del self.fields["org_node"]
        if not has_photo:  # nothing to take away
            del self.fields["photo_remove"]


class ActivityForm(TextForm):
    title = forms.CharField(label=_("Activity"), max_length=100)
    room = forms.CharField(label=_("Room or hall"), max_length=50, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
