"""Forms of the party pages. They read what a person typed; the services check everything again (scope, the
party hierarchy, states) and have the last word. Choices of related objects come from the scoped selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.form_kit import TextForm, preselect_the_only
from linli.core.masking import mask_phone
from linli.core.validators import validate_phone
from linli.core.widgets import DateInput
from linli.territory.models import Building, Grid, Organisation, OrgNode
from linli.territory.selectors import Viewer, buildings_visible_to, grids_visible_to, residents_visible_to

from . import selectors
from .choices import (
    Availability,
    MeetingKind,
    MemberPosition,
    PairingKind,
    PartyOrgCategory,
    PartyOrgKind,
    RefusalReason,
    Specialty,
)
from .finder import (
    MemberFinder,
    ResidentFinder,
    member_row,
    resident_row,
    why_not_linked,
    why_not_named,
)
from .models import BranchStarRating, MemberRegistration, PartyMember, PartyOrg

DATE = DateInput()


def choose(form: forms.Form, name: str, queryset: QuerySet[Any]) -> forms.ModelChoiceField[Any]:
    """Offer `queryset` (from a scoped selector) in the form's choice field `name`."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    preselect_the_only(field)
    if field.empty_label is not None and not str(field.empty_label).startswith("—"):
        field.empty_label = "—"  # Django's "- Select an option -" is not translated
    return field


class NodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * max(0, obj.depth - 1)}{obj.name}（{obj.get_kind_display()}）"


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class PartyOrgForm(TextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyOrgKind.choices)
    name = forms.CharField(label=_("Organisation name"), max_length=120)
    parent = OrgChoice(
        label=_("Belongs to"),
        queryset=PartyOrg.objects.none(),
        required=False,
        empty_label=_("— none (top level) —"),
    )
    org_node = NodeChoice(label=_("Area it is laid over"), queryset=OrgNode.objects.none())
    category = forms.ChoiceField(
        label=_("Organisation category"), choices=PartyOrgCategory.choices, initial=PartyOrgCategory.REGULAR
    )
    property_company = forms.ModelChoiceField(
        label=_("Property company"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_(
            "For a property company's branch (party-led property): the company serving this compound."
        ),
    )
    grid = forms.ModelChoiceField(
        label=_("Grid (grid party group)"), queryset=Grid.objects.none(), required=False, empty_label="—"
    )
    building = forms.ModelChoiceField(
        label=_("Building (building party group)"),
        queryset=Building.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, user: Viewer, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "parent", selectors.party_org_parents_for(user))
        choose(self, "org_node", selectors.attach_nodes_for(user))
        choose(self, "property_company", selectors.property_companies_for(user))
        choose(self, "grid", grids_visible_to(user).order_by("code"))
        choose(self, "building", buildings_visible_to(user).order_by("code"))
        if editing:
            del self.fields["kind"]


class _MemberRecord(TextForm):
    """What a member's record holds on both the join and the edit form; each adds its phone (and the join form
    its branch) and puts the fields in the order of `field_order`."""

    name = forms.CharField(label=_("Name"), max_length=50)
    joined_on = forms.DateField(label=_("Joined the party on"), required=False, widget=DATE)
    workplace = forms.CharField(label=_("Workplace"), max_length=120, required=False)
    resident = ResidentFinder(
        label=_("Resident record"),
        required=False,
        placeholder=_("Name, or the last four digits of the phone"),
        help_text=_("Link the member to their resident record (needed for a beacon household)."),
    )

    def clean_joined_on(self) -> Any:
        """Said with the other fields' problems, not after them (the service checks it again)."""
        joined_on = self.cleaned_data.get("joined_on")
        if joined_on is not None and joined_on > timezone.localdate():
            raise forms.ValidationError(_("The date of joining cannot be in the future."))
        return joined_on


class MemberJoinForm(_MemberRecord):
    party_org = OrgChoice(label=_("Branch"), queryset=PartyOrg.objects.none())
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    field_order = ["name", "party_org", "phone", "joined_on", "workplace", "resident"]

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "party_org", selectors.party_orgs_visible_to(user).exclude(kind="group"))
        link_resident(self, user)

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "")
        return validate_phone(phone) if phone.strip() else ""


class MemberEditForm(_MemberRecord):
    """A member's record corrected: the phone is never shown in clear (an unaudited reveal); left empty it keeps
    the number. The resident record linked stands ticked; typing another name links that one."""

    phone = forms.CharField(
        label=_("Phone"),
        max_length=24,
        required=False,
        help_text=_("Leave empty to keep the number; type a new one to replace it."),
    )
    field_order = ["name", "phone", "joined_on", "workplace", "resident"]

    def __init__(self, *args: Any, user: Viewer, member: PartyMember, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": member.name,
                "joined_on": member.joined_on,
                "workplace": member.workplace,
                "resident": ("", [str(member.resident_id)] if member.resident_id else []),
            },
        )
        super().__init__(*args, **kwargs)
        if member.phone:
            self.fields["phone"].widget.attrs["placeholder"] = mask_phone(member.phone)
        link_resident(self, user, member)

    def clean_phone(self) -> str | None:
        phone = self.cleaned_data.get("phone", "").strip()
        return validate_phone(phone) if phone else None  # None: as it is


def link_resident(form: forms.Form, user: Viewer, member: PartyMember | None = None) -> None:
    """The form's resident finder, over the records `member` (or a new member) may be linked to in `user`'s
    area."""
    finder = form.fields["resident"]
    assert isinstance(finder, ResidentFinder)
    finder.configure(
        pool=selectors.member_resident_candidates(user, member),
        url=reverse("party:member_resident_finder", args=[member.pk])
        if member is not None
        else reverse("party:resident_finder"),
        row=resident_row,
        by_phone_end=True,
        explain=why_not_linked(residents_visible_to(user)),
    )


class MemberTransferForm(TextForm):
    to_org = OrgChoice(label=_("To branch"), queryset=PartyOrg.objects.none())
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "to_org", selectors.party_orgs_visible_to(user).exclude(kind="group"))


class MemberLeaveForm(TextForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)


class MemberPositionForm(TextForm):
    position = forms.ChoiceField(
        label=pgettext_lazy("party post", "Position"), choices=MemberPosition.choices
    )


class ApplyForm(TextForm):
    """双报到 online: what a member states about themselves."""

    name = forms.CharField(
        label=_("Your name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    workplace = forms.CharField(label=_("Workplace"), max_length=120)
    workplace_branch = forms.CharField(
        label=_("Your party organisation at work"),
        max_length=120,
        help_text=_("Where your membership is kept, e.g. 区人民医院党委第二支部."),
    )
    specialty = forms.ChoiceField(label=_("Specialty"), choices=Specialty.choices)
    availability = forms.ChoiceField(label=_("When you can serve"), choices=Availability.choices)
    note = forms.CharField(
        label=_("Anything else"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefuseForm(TextForm):
    # Chosen, not the first of the list taken by a hasty submit: the member reads it.
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("- Select an option -")), *RefusalReason.choices]
    )
    note = forms.CharField(label=_("Explanation for the member"), max_length=200, required=False)


class GridPostChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Grid) -> str:
        same = getattr(obj, "n_same", 0)
        if not same:
            return obj.name
        return str(_("%(grid)s (%(n)d of this specialty on post)") % {"grid": obj.name, "n": same})


class PostForm(TextForm):
    grid = GridPostChoice(label=_("Grid"), queryset=Grid.objects.none())
    post = forms.CharField(label=_("Post"), max_length=60)
    duties = forms.CharField(
        label=_("Duties"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Viewer, registration: MemberRegistration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "grid", selectors.grids_for_post(user, registration))
        self.specialty_label = registration.get_specialty_display()


class BeaconForm(TextForm):
    member = MemberFinder(
        label=_("Party member"), placeholder=_("Name, or the last four digits of the phone")
    )
    households_served = forms.IntegerField(
        label=_("Households served"), min_value=1, max_value=200, initial=10
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finder = self.fields["member"]
        assert isinstance(finder, MemberFinder)
        finder.configure(
            pool=selectors.beacon_candidates(user).select_related("party_org"),
            url=reverse("party:member_finder"),
            row=member_row,
            by_phone_end=True,
            explain=why_not_named(selectors.party_members_visible_to(user)),
        )


class RevokeForm(TextForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PairingForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    partner = forms.ModelChoiceField(
        label=_("Partner unit"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— a new unit (name it below) —"),
    )
    partner_name = forms.CharField(label=_("New unit's name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    member_count = forms.IntegerField(label=_("Party members of the unit"), min_value=0, initial=0)
    contact_name = forms.CharField(label=_("Contact"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=24)
    since = forms.DateField(label=_("Paired since"), required=False, widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("What they do together"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Viewer, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose(self, "community", selectors.communities_visible_to(user))
        choose(self, "partner", selectors.partner_units_for(user))
        if editing:
            for name in ("community", "partner", "partner_name", "since"):
                del self.fields[name]

    def clean_contact_phone(self) -> str:
        return validate_phone(self.cleaned_data.get("contact_phone", ""))


# --- member points, branch meetings, branch stars ---------------------------------------------------------


class StarRulesForm(TextForm):
    """The weight of each star indicator and the member points per unit of each kind (one box each)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .choices import MEMBER_POINTS_DEFAULTS, MemberPointsKind
        from .indicators import registered
        from .services import indicator_weights
        from .services.points import member_points_per_unit

        super().__init__(*args, **kwargs)
        weights = indicator_weights()
        for indicator in registered():
            self.fields[f"weight_{indicator.code}"] = forms.IntegerField(
                label=indicator.label,
                min_value=0,
                max_value=100,
                initial=weights[indicator.code],
                help_text=_("default %(n)d") % {"n": indicator.weight},
            )
        for kind, default in MEMBER_POINTS_DEFAULTS.items():
            self.fields[f"points_{kind}"] = forms.IntegerField(
                label=MemberPointsKind(kind).label,
                min_value=0,
                max_value=100,
                initial=member_points_per_unit(kind),
                help_text=_("default %(n)d") % {"n": default},
            )

    def split(self) -> dict[str, dict[str, int]]:
        data = self.cleaned_data
        return {
            "weights": {k.removeprefix("weight_"): v for k, v in data.items() if k.startswith("weight_")},
            "member_points": {
                k.removeprefix("points_"): v for k, v in data.items() if k.startswith("points_")
            },
        }


class PointsGrantForm(TextForm):
    points = forms.IntegerField(label=_("Points"), min_value=-100, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class MeetingForm(TextForm):
    branch = OrgChoice(label=_("Branch"), queryset=PartyOrg.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    topic = forms.CharField(label=_("Topic"), max_length=120)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=PartyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Viewer, branch: PartyOrg | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In reach: staff their area's branches, a secretary the branch they lead (the service checks again).
        choose(self, "branch", selectors.branches_in_reach(user).order_by("name"))
        members = selectors.party_members_in_reach(user).filter(status="active").order_by("name")
        chosen = branch.pk if branch is not None else self.data.get("branch") or self.initial.get("branch")
        members = members.filter(party_org_id=chosen) if chosen else members.none()
        self.fields["attendees"].queryset = members  # type: ignore[attr-defined]
        # The date picker starts at 1 January of last year, the earliest the service takes (a date to come is
        # left to the service's message, which says why).
        today = timezone.localdate()
        earliest = today.replace(year=today.year - 1, month=1, day=1)
        self.fields["held_on"].widget.attrs["min"] = earliest.isoformat()
        if not self.is_bound:
            self.initial.setdefault("held_on", today)


def _star_choices() -> list[tuple[int, Any]]:
    return [(0, _("No star")), *((n, "★" * n) for n in range(1, 6))]


class StarSelfAssessmentForm(TextForm):
    """The branch's self-assessment (自评): the stars it claims, why, and a note per indicator (optional)."""

    claimed_stars = forms.TypedChoiceField(
        label=_("Stars the branch claims"), coerce=int, choices=_star_choices
    )
    statement = forms.CharField(
        label=_("Why the branch claims them"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences: what the branch did this year, and what the records miss."),
        error_messages={
            "required": _("Say in a few words why the branch claims these stars (at most 300 characters).")
        },
    )

    def __init__(self, *args: Any, rating: BranchStarRating, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for line in rating.indicators:
            self.fields[f"note_{line['code']}"] = forms.CharField(
                label=line["label"],
                max_length=300,
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 2, "placeholder": _("Optional: a note, or evidence the records miss")}
                ),
            )
        if not self.is_bound:  # start from the last claim (a returned one), else from the computed stars
            claimed = rating.claimed_stars
            self.initial.setdefault("claimed_stars", rating.computed_stars if claimed is None else claimed)
            self.initial.setdefault("statement", rating.claim_statement)
            for code, note in (rating.claim_notes or {}).items():
                self.initial.setdefault(f"note_{code}", note)
        self.notes = [self[f"note_{line['code']}"] for line in rating.indicators]

    def submission(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "claimed_stars": data["claimed_stars"],
            "statement": data["statement"],
            "notes": {k.removeprefix("note_"): v for k, v in data.items() if k.startswith("note_")},
        }


class StarApproveForm(TextForm):
    # Left out, the service grants the stars asked for (claimed, or computed without a claim).
    stars = forms.TypedChoiceField(
        label=_("Stars the street grants"),
        coerce=int,
        choices=_star_choices,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(label=_("Review note"), max_length=200, required=False)


class StarReturnForm(TextForm):
    reason = forms.CharField(
        label=_("What the branch should change"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Tell the branch what to change before it submits again (at most 200 characters).")
        },
    )
