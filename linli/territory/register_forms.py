"""Forms of the register's pages: they check types and shapes; the services check the rest (and say which field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm
from linli.core.widgets import DateInput

from .choices import CareLevel, Gender, ResidentTag
from .field_forms import PlacedForm
from .models import Building
from .services.homes import NUMBERINGS

DATE = DateInput()


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class ResidentForm(TextForm):
    # Who the person is, to put a typo right: the ID number, like the phone, is never filled in in clear.
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = _date(_("Birth date"), required=True)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=24)
    tags = forms.MultipleChoiceField(
        label=_("Tags"), required=False, choices=ResidentTag.choices, widget=forms.CheckboxSelectMultiple
    )
    care_level = forms.ChoiceField(label=_("Care level"), required=False, choices=CareLevel.choices)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=60)
    relation = forms.CharField(label=_("Relation to head of household"), required=False, max_length=20)
    registered_address = forms.CharField(
        label=_("Registered address (when not living there)"), required=False, max_length=200
    )
    lease_ends_on = _date(_("Lease ends on (tenants)"))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, phone_masked: str = "", id_number_masked: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = self.fields["id_number"]
        number.label = _("Corrected ID number")
        number.help_text = _(
            "Only to correct a wrong number; leave empty to keep the current one (%(number)s). The birth date and "
            "gender follow the number."
        ) % {"number": id_number_masked or "—"}
        phone = self.fields["phone"]
        phone.label = _("New phone")
        phone.help_text = _("Leave empty to keep the current one (%(phone)s).") % {
            "phone": phone_masked or "—"
        }


class HouseholdCodeForm(TextForm):
    """A move or a merge names the household by its code (shown on the building and household pages)."""

    household = forms.CharField(
        label=_("Household code"),
        max_length=48,
        # The household page lists the grid's households under this id: type a room or an address to pick one.
        widget=forms.TextInput(attrs={"list": "household-codes", "autocomplete": "off"}),
        help_text=_("Type the room or the address and pick the household, or type its code."),
    )
    on = _date(_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class MoveOutForm(TextForm):
    on = _date(_("Date"))
    destination = forms.CharField(label=_("Moved to"), required=False, max_length=200)


class DeathForm(TextForm):
    on = _date(_("Date of death"))


class PersonForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = _date(_("Birth date"), required=True)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    relation = forms.CharField(label=_("Relation to head of household"), required=False, max_length=20)


class MoveInForm(PersonForm):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=24)
    on = _date(_("Date moved in"))


class HouseholdForm(TextForm):
    """A home's room, entrance, tenure and floor area: corrected on its page (a room typed wrong, the entrance
    mixed up), or given when the home is added."""

    room = forms.CharField(label=_("Room"), max_length=20)
    entrance = forms.TypedChoiceField(label=_("Entrance"), coerce=int, required=False, empty_value=None)
    is_rented = forms.TypedChoiceField(
        label=_("Owner-occupied or rented"),
        choices=[("0", _("Owner-occupied")), ("1", _("Rented"))],
        coerce=lambda v: v == "1",
    )
    floor_area = forms.CharField(label=_("Floor area (m²)"), required=False, max_length=12)

    def __init__(self, *args: object, entrances: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entrance"]
        field.choices = [("", "—"), *((n, _("Entrance %(n)d") % {"n": n}) for n in entrances)]  # type: ignore[attr-defined]


class HouseholdAddForm(HouseholdForm):
    """A home of the building not in the register yet; its people then move in on its page."""

    code = forms.CharField(
        label=_("Household code"),
        required=False,
        max_length=48,
        help_text=_("Leave empty for the building's code, the entrance and the room."),
    )
    field_order = ["room", "entrance", "code", "is_rented", "floor_area"]

    def __init__(self, *args: object, entrances: list[int], **kwargs: object) -> None:
        super().__init__(*args, entrances=entrances, **kwargs)
        self.fields["entrance"].required = bool(entrances)


class HouseholdsBatchForm(TextForm):
    """A new building's homes all at once (`services.homes`): its entrances, the floors from and to, the homes on
    each floor of each entrance and how the rooms are numbered; its first figures are the building's. Its fields
    are named `homes-…`, apart from the building's own form of figures on the same page."""

    prefix = "homes"
    entrances = forms.IntegerField(label=_("Entrances"), min_value=0, max_value=99)
    floor_from = forms.IntegerField(label=_("From floor"), min_value=1, max_value=200, initial=1)
    floor_to = forms.IntegerField(label=_("To floor"), min_value=1, max_value=200)
    per_floor = forms.IntegerField(label=_("Homes per floor and entrance"), min_value=1, max_value=50)
    numbering = forms.ChoiceField(
        label=_("Room numbers"), choices=list(NUMBERINGS.items()), widget=forms.RadioSelect, initial="floor"
    )

    def __init__(self, *args: object, building: Building, **kwargs: Any) -> None:
        entrances = building.entrances.count()
        kwargs.setdefault(
            "initial",
            {
                "entrances": entrances,
                "floor_from": 1,
                "floor_to": building.floors,
                "per_floor": building.households_per_floor or None,
                "numbering": "floor",
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["entrances"].help_text = (
            _("Entrances 1 to this; the building has %(n)d.") % {"n": entrances}
            if entrances
            else _("0: the building has no entrances.")
        )


class SplitForm(TextForm):
    members = forms.TypedMultipleChoiceField(
        label=_("Members who form the new household"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    head = forms.TypedChoiceField(label=_("Head of the new household"), coerce=int)
    code = forms.CharField(label=_("Code of the new household"), max_length=48)
    room = forms.CharField(label=_("Room"), max_length=20)
    on = _date(_("Date"))

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = members  # type: ignore[attr-defined]
        self.fields["head"].choices = members  # type: ignore[attr-defined]


class HeadForm(TextForm):
    head = forms.TypedChoiceField(label=_("New head of household"), coerce=int)
    previous_relation = forms.CharField(
        label=_("The previous head's relation to the new one"), required=False, max_length=20
    )
    on = _date(_("Date"))

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].choices = members  # type: ignore[attr-defined]


NAME_REQUIRED = {"required": _("Enter a name.")}


class BuildingFiguresForm(TextForm):
    """A building's floors, entrances and homes per floor (一梯几户), as its page and the form adding one ask them."""

    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=200)
    entrances = forms.IntegerField(label=_("Entrances"), min_value=0, max_value=99)
    households_per_floor = forms.IntegerField(
        label=_("Households per floor and entrance"),
        min_value=0,
        max_value=50,
        help_text=_("0 when not known; floors × entrances × this must hold the households."),
    )


class BuildingPlacedForm(PlacedForm, BuildingFiguresForm):
    """A building's name, address, figures and position on its grid's map (added, or changed on its page)."""

    name = forms.CharField(label=_("Building name"), max_length=100, error_messages=NAME_REQUIRED)
    address = forms.CharField(label=_("Address"), max_length=200)


class BuildingNewForm(BuildingPlacedForm):
    """A building added to a grid, with its compound and, if typed, its code."""

    compound = forms.TypedChoiceField(label=_("Compound"), coerce=int, required=False, empty_value=None)
    code = forms.CharField(
        label=_("Building code"),
        required=False,
        max_length=40,
        help_text=_("Leave empty for the compound's (or grid's) code and the next number."),
    )
    field_order = ["name", "address", "compound", "floors", "entrances", "households_per_floor", "code"]

    def __init__(self, *args: object, compounds: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["compound"]
        if len(compounds) == 1:
            field.choices = compounds  # type: ignore[attr-defined]
        else:
            field.choices = [("", _("None")), *compounds]  # type: ignore[attr-defined]


class BuildingForm(BuildingPlacedForm):
    """A building's page: its name, address and position, its figures and its captain."""

    captain = forms.TypedChoiceField(
        label=_("Building captain"), coerce=int, required=False, empty_value=None
    )
    field_order = ["name", "address", "floors", "entrances", "households_per_floor", "captain"]

    def __init__(self, *args: object, residents: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["captain"].choices = [("", "—"), *residents]  # type: ignore[attr-defined]


class CompoundForm(TextForm):
    """A compound's name and division code (empty, when adding one: the community's code and the next number)."""

    name = forms.CharField(label=_("Compound name"), max_length=100, error_messages=NAME_REQUIRED)
    code = forms.CharField(label=_("Division code"), max_length=32)


class CompoundNewForm(CompoundForm):
    community = forms.TypedChoiceField(label=_("Community"), coerce=int)
    field_order = ["community", "name", "code"]

    def __init__(self, *args: object, communities: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = communities  # type: ignore[attr-defined]
        if len(communities) == 1:
            self.fields["community"].initial = communities[0][0]
        code = self.fields["code"]
        code.required = False
        code.help_text = _("Leave empty for the community's code and the next number.")


class GridForm(TextForm):
    """A grid drawn on the map (`services.grids`): its community or compound (a new one only), name, code,
    station and grid workers; the boundary is the drawing's GeoJSON in a hidden field, kept when refused."""

    org_node = forms.TypedChoiceField(label=_("Community or compound"), coerce=int)
    name = forms.CharField(label=_("Grid name"), max_length=100)
    code = forms.CharField(
        label=_("Grid code"),
        required=False,
        max_length=32,
        help_text=_("Leave empty for the community's code, G and the next number."),
    )
    station_name = forms.CharField(label=_("Grid station"), required=False, max_length=100)
    workers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Grid workers"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    boundary = forms.JSONField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Draw the boundary on the map: click to add corners, then close the shape."),
            "invalid": _("Draw the boundary on the map: click to add corners, then close the shape."),
        },
    )

    def __init__(self, *args: Any, nodes: list[tuple[int, str]] | None, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if nodes is None:  # a grid's own page: it stays where it is
            del self.fields["org_node"]
            self.fields["code"].required = True
            self.fields["code"].help_text = ""
        else:
            self.fields["org_node"].choices = nodes  # type: ignore[attr-defined]
        self.fields["workers"].queryset = workers  # type: ignore[attr-defined]
        self.fields["workers"].label_from_instance = _worker_label  # type: ignore[attr-defined]


def _worker_label(user: Any) -> str:
    """A grid worker offered for a grid: their name, and the grids they already work in."""
    grids = "、".join(g.name for g in user.grids.all())
    return f"{user}（{grids}）" if grids else str(user)
