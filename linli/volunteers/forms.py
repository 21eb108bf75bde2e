"""Forms of the volunteering pages. They read what a person typed; the services check everything again (scope,
states, limits) and have the last word. Choices of related objects come from the scoped selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm
from linli.core.widgets import DateTimeInput
from linli.party.choices import PartyOrgKind
from linli.party.forms import NodeChoice, choose
from linli.party.models import PartyOrg
from linli.party.selectors import communities_open_to_all, partner_units_for, party_orgs_visible_to
from linli.territory.models import Organisation, OrgNode
from linli.territory.selectors import Viewer, org_nodes_visible_to

from . import selectors
from .choices import SPENDING_CATEGORIES, AccountKind, Certificate, TeamColour, TransferCategory
from .finder import AccountFinder, PayerFinder, account_row, account_row_with_balance, balances_seen
from .models import Volunteer, VolunteerTeam

DATETIME = DateTimeInput()
CERTIFICATES = forms.CheckboxSelectMultiple


class RegisterForm(TextForm):
    """A resident registers as a volunteer."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none(), empty_label="—")
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Mobile number"), max_length=24, required=False)
    skills = forms.CharField(
        label=_("Skills"),
        max_length=200,
        required=False,
        help_text=_("For example: cooking, repairs, calligraphy"),
    )
    certificates = forms.MultipleChoiceField(
        label=_("Certificates"), choices=Certificate.choices, required=False, widget=CERTIFICATES
    )
    availability = forms.CharField(
        label=_("When you are free"),
        max_length=200,
        required=False,
        help_text=_("For example: weekend mornings"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "community", communities_open_to_all())


class EnrolForm(RegisterForm):
    """A worker enrols a volunteer of a community they keep."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("For the staff of a unit: the partner unit they work for."),
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "unit", partner_units_for(user))
        from .choices import VolunteerKind

        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [c for c in VolunteerKind.choices if c[0] != "member"]
        choose(self, "community", org_nodes_visible_to(user).filter(kind="community").order_by("path"))


class LinkAccountForm(TextForm):
    """A worker links a volunteer record to the resident account found by its mobile number."""

    phone = forms.CharField(
        label=_("The account's mobile number"),
        max_length=24,
        help_text=_("The number the person signs in with on their phone."),
    )


class ProfileForm(TextForm):
    skills = RegisterForm.base_fields["skills"]
    certificates = RegisterForm.base_fields["certificates"]
    availability = RegisterForm.base_fields["availability"]


class ActivityForm(TextForm):
    """A new activity with one shift and up to three roles (more shifts through the API)."""

    community = NodeChoice(label=_("Community"), queryset=OrgNode.objects.none())
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=VolunteerTeam.objects.none(), required=False, empty_label="—"
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("What volunteers will do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    lng = forms.FloatField(label=_("Longitude"), widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("Latitude"), widget=forms.HiddenInput)
    check_in_radius = forms.IntegerField(
        label=_("Check-in distance (metres)"), initial=200, min_value=20, max_value=5000
    )
    signup_opens_at = forms.DateTimeField(label=_("Sign-up opens at"), widget=DATETIME)
    starts_at = forms.DateTimeField(label=_("Shift starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Shift ends at"), widget=DATETIME)
    bad_weather = forms.BooleanField(label=_("In bad weather (points multiplier)"), required=False)
    role_1 = forms.CharField(label=_("Role 1"), max_length=60)
    capacity_1 = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=5)
    certificate_1 = forms.ChoiceField(
        label=_("Certificate needed"), choices=[("", "—"), *Certificate.choices], required=False
    )
    role_2 = forms.CharField(label=_("Role 2"), max_length=60, required=False)
    capacity_2 = forms.IntegerField(label=_("People"), min_value=1, max_value=500, required=False)
    certificate_2 = forms.ChoiceField(
        label=_("Certificate needed"), choices=[("", "—"), *Certificate.choices], required=False
    )
    role_3 = forms.CharField(label=_("Role 3"), max_length=60, required=False)
    capacity_3 = forms.IntegerField(label=_("People"), min_value=1, max_value=500, required=False)
    certificate_3 = forms.ChoiceField(
        label=_("Certificate needed"), choices=[("", "—"), *Certificate.choices], required=False
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "community", org_nodes_visible_to(user).filter(kind="community").order_by("path"))
        choose(self, "team", selectors.teams_visible_to(user).order_by("colour", "name"))
        if not self.is_bound:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
            self.initial.update(
                signup_opens_at=timezone.localtime().replace(second=0, microsecond=0),
                starts_at=start.replace(hour=9),
                ends_at=start.replace(hour=11),
            )

    ROLE_FIELDS = tuple(f"{name}_{i}" for i in (1, 2, 3) for name in ("role", "capacity", "certificate"))

    def clean_ends_at(self) -> dt.datetime:
        """A shift already over (last year typed for this year) would make a draft nobody can sign up for."""
        ends_at: dt.datetime = self.cleaned_data["ends_at"]
        if ends_at <= timezone.now():
            raise forms.ValidationError(
                _("This shift's end has already passed: check the date and the year.")
            )
        return ends_at

    def main_fields(self) -> list[Any]:
        """The activity's own fields (the roles are laid out as rows of their own)."""
        return [self[name] for name in self.fields if name not in self.ROLE_FIELDS]

    def role_rows(self) -> list[list[Any]]:
        return [[self[f"role_{i}"], self[f"capacity_{i}"], self[f"certificate_{i}"]] for i in (1, 2, 3)]

    def roles(self) -> list[tuple[str, int, str]]:
        data = self.cleaned_data
        out = []
        for i in (1, 2, 3):
            name = (data.get(f"role_{i}") or "").strip()
            if name:
                out.append((name, data.get(f"capacity_{i}") or 1, data.get(f"certificate_{i}") or ""))
        return out


class CallForm(TextForm):
    """集结号: an urgent task, sent at once to the community's volunteers."""

    community = NodeChoice(label=_("Community"), queryset=OrgNode.objects.none())
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=VolunteerTeam.objects.none(), required=False, empty_label="—"
    )
    branch = forms.ModelChoiceField(
        label=_("Called by the party branch"),
        queryset=PartyOrg.objects.none(),
        required=False,
        empty_label=_("— the community calls —"),
        help_text=_("Its members who are not volunteers yet are called by SMS too."),
    )
    title = forms.CharField(label=_("What is needed"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=120)
    lng = forms.FloatField(label=_("Longitude"), widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("Latitude"), widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    needed = forms.IntegerField(label=_("How many people"), min_value=1, max_value=500, initial=10)
    skills = forms.CharField(label=_("Skills needed"), max_length=200, required=False)
    certificate = forms.ChoiceField(
        label=_("Certificate needed"), choices=[("", "—"), *Certificate.choices], required=False
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "community", org_nodes_visible_to(user).filter(kind="community").order_by("path"))
        choose(self, "team", selectors.teams_visible_to(user).order_by("colour", "name"))
        choose(
            self,
            "branch",
            party_orgs_visible_to(user)
            .filter(kind__in=(PartyOrgKind.BRANCH, PartyOrgKind.GENERAL_BRANCH))
            .order_by("org_node__path", "name"),
        )
        if not self.is_bound:
            start = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(hours=1)
            self.initial.update(starts_at=start, ends_at=start + dt.timedelta(hours=3))


class TeamForm(TextForm):
    """A new team: its community, name, colour and what it does; its members and leader are added on its page."""

    community = NodeChoice(label=_("Community"), queryset=OrgNode.objects.none())
    name = forms.CharField(label=_("Team name"), max_length=80)
    colour = forms.ChoiceField(label=_("Colour"), choices=TeamColour.choices)
    description = forms.CharField(
        label=_("What the team does"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "community", org_nodes_visible_to(user).filter(kind="community").order_by("path"))


class TeamEditForm(TextForm):
    """A team's own details (its leader and members have forms of their own)."""

    name = forms.CharField(label=_("Team name"), max_length=80)
    colour = forms.ChoiceField(label=_("Colour"), choices=TeamColour.choices)
    party_org = forms.ModelChoiceField(
        label=_("Parent organisation"), queryset=PartyOrg.objects.none(), required=False, empty_label="—"
    )
    description = forms.CharField(
        label=_("What the team does"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Viewer, team: VolunteerTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = party_orgs_visible_to(user).filter(org_node__path__startswith=team.community.path)
        self.fields["party_org"].queryset = orgs.order_by("org_node__path", "kind", "name")  # type: ignore[attr-defined]


class TeamLeaderForm(forms.Form):
    """The team's leader, one of its active members (a volunteer not in the team is added first), or none: each
    member's row on the team's page posts its own button."""

    leader = forms.ModelChoiceField(
        label=_("Leader"),
        queryset=Volunteer.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "The leader is one of the team's active members: add the volunteer to the team first."
            )
        },
    )

    def __init__(self, *args: Any, user: Viewer, team: VolunteerTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = selectors.volunteers_visible_to(user).filter(teams=team, active=True)
        self.fields["leader"].queryset = members  # type: ignore[attr-defined]


class TeamAddForm(forms.Form):
    """Members to add, ticked among the volunteers the search found (any of the community's may be posted)."""

    members = forms.ModelMultipleChoiceField(
        label=_("Volunteers to add"),
        queryset=Volunteer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the volunteers to add.")},
    )

    def __init__(self, *args: Any, user: Viewer, team: VolunteerTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.team_candidates(user, team)  # type: ignore[attr-defined]


class PhotoForm(TextForm):
    photo = forms.ImageField(label=_("Photo of the activity"))
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class PhotoConsentForm(TextForm):
    note = forms.CharField(label=_("How everyone pictured agreed"), max_length=200)


class ConfirmForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=5, decimal_places=2, required=False)


FIND_PERSON = _("Name or mobile number")


class SpendForm(TextForm):
    """A volunteer pays hours: to whom is found by name or mobile number (`finder`), never from a list of
    everyone; their own community's bank is offered before anything is typed."""

    payee = AccountFinder(
        label=_("Pay to"),
        placeholder=FIND_PERSON,
        help_text=_("A neighbour's whole name or mobile number, or a community's name for its time bank."),
    )
    hours = forms.DecimalField(label=_("Hours to pay"), min_value=0, max_digits=5, decimal_places=2)
    category = forms.ChoiceField(
        label=_("Used for"), choices=[c for c in TransferCategory.choices if c[0] in SPENDING_CATEGORIES]
    )
    note = forms.CharField(
        label=_("What service, for whom"),
        max_length=200,
        help_text=_("For example: an afternoon's company for my mother, Building 3"),
    )

    def __init__(self, *args: Any, volunteer: Volunteer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        payees = selectors.payees_for(volunteer).select_related("community", "volunteer")
        finder(self, "payee").configure(
            pool=payees,
            url=reverse("volunteers:spend_find"),
            row=account_row,
            shortcuts=payees.filter(kind=AccountKind.BANK, community_id=volunteer.community_id),
        )


class TransferForm(TextForm):
    """Staff: from one or more accounts to one (many-to-one) or from one to one, each found by name or mobile
    number (or its last digits); the banks of the area are offered before anything is typed."""

    payers = PayerFinder(
        label=_("From"),
        multiple=True,
        placeholder=FIND_PERSON,
        help_text=_("Several separated by commas; a community's name finds its time bank."),
    )
    payee = AccountFinder(label=_("To"), placeholder=FIND_PERSON)
    hours = forms.DecimalField(label=_("Hours from each"), min_value=0, max_digits=6, decimal_places=2)
    category = forms.ChoiceField(
        label=_("Category"), choices=[c for c in TransferCategory.choices if c[0] != "correction"]
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = reverse("volunteers:staff_bank_find")
        accounts = (
            selectors.accounts_visible_to(user)
            .select_related("community", "volunteer")
            .order_by("community__path", "kind", "name")
        )
        banks = accounts.filter(kind=AccountKind.BANK)
        finder(self, "payers").configure(
            pool=accounts, url=url, row=account_row_with_balance, shortcuts=banks, by_phone_end=True
        )
        # To any account of the area, or to another community's bank (a transfer between banks).
        payees = (
            selectors.transfer_payees_for(user)
            .select_related("community", "volunteer")
            .order_by("community__path", "kind", "name")
        )
        finder(self, "payee").configure(pool=payees, url=url, row=account_row, by_phone_end=True)

    def balances_seen(self) -> dict[int, Decimal]:
        """The balances the ticked payers showed when the worker chose them (a name typed shows none)."""
        return balances_seen(self.data, "payers")


def finder(form: forms.Form, name: str) -> AccountFinder:
    field = form.fields[name]
    assert isinstance(field, AccountFinder)
    return field


class ReverseForm(TextForm):
    reason = forms.CharField(label=_("Why it is reversed"), max_length=200)


def _communities(form: forms.Form, user: Viewer) -> None:
    """Offer the communities of the user's area, chosen already when there is only one."""
    communities = org_nodes_visible_to(user).filter(kind="community").order_by("path")
    choose(form, "community", communities)
    only = list(communities[:2])
    if len(only) == 1:
        form.fields["community"].initial = only[0].pk


class StoreItemForm(TextForm):
    """Staff: an item a unit donates to a community's points store."""

    community = NodeChoice(label=_("Community"), queryset=OrgNode.objects.none())
    name = forms.CharField(label=_("Item"), max_length=60)
    points = forms.IntegerField(label=_("Points it costs"), min_value=1, max_value=100000)
    quantity = forms.IntegerField(label=_("Pieces donated"), min_value=1, max_value=10000)
    donor = forms.ModelChoiceField(
        label=_("Donated by"), queryset=Organisation.objects.none(), required=False, empty_label="—"
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communities(self, user)
        choose(self, "donor", partner_units_for(user))


class DonateForm(forms.Form):
    quantity = forms.IntegerField(label=_("Pieces donated"), min_value=1, max_value=10000)


class RulesForm(forms.Form):
    """Staff: a community's points rules."""

    community = NodeChoice(label=_("Community"), queryset=OrgNode.objects.none())
    per_hour = forms.IntegerField(label=_("points per hour"), min_value=1, max_value=100)
    night_multiplier = forms.DecimalField(
        label=_("night multiplier"), help_text=_("22:00 to 06:00"), min_value=1, max_value=5, decimal_places=2
    )
    holiday_multiplier = forms.DecimalField(
        label=_("holiday multiplier"),
        help_text=_("a day off by the Chinese calendar"),
        min_value=1,
        max_value=5,
        decimal_places=2,
    )
    weather_multiplier = forms.DecimalField(
        label=_("bad weather multiplier"), min_value=1, max_value=5, decimal_places=2
    )
    daily_cap = forms.IntegerField(label=_("daily cap"), min_value=1, max_value=10000)
    monthly_cap = forms.IntegerField(label=_("monthly cap"), min_value=1, max_value=100000)
    wish_bonus = forms.IntegerField(label=_("bonus for an adopted wish"), min_value=0, max_value=1000)
    report_bonus = forms.IntegerField(
        label=_("bonus for a report that became an appeal"), min_value=0, max_value=1000
    )
    hazard_bonus = forms.IntegerField(
        label=_("bonus for a rider's hazard report"), min_value=0, max_value=1000
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communities(self, user)


class HonoursForm(forms.Form):
    community = NodeChoice(label=_("Community"), queryset=OrgNode.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communities(self, user)
        self.fields["year"].initial = timezone.localdate().year
