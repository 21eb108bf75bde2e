"""The forms of co-building's pages; the services check everything again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm
from linli.core.templatetags.money import money
from linli.core.widgets import DateInput, limit_choices
from linli.territory.models import OrgNode

from .choices import Category, Fulfilment, IncomeKind, NeedSource, ProviderKind, ResourceKind, Urgency
from .models import MOST_HOUSEHOLDS, TOO_MANY_HOUSEHOLDS, Match, Project, Resource, ServiceItem


def households_field() -> forms.IntegerField:
    """How many households a need concerns: from one to MOST_HOUSEHOLDS, a number beyond refused in the service's
    words."""
    return forms.IntegerField(
        label=_("Households concerned"),
        min_value=1,
        max_value=MOST_HOUSEHOLDS,
        initial=1,
        error_messages={"max_value": TOO_MANY_HOUSEHOLDS},
    )


def amount_field() -> forms.DecimalField:
    """An amount of yuan as the fund's services take it: positive, at most two decimals, said in those words (income
    and payments said "确保该值大于或等于0" of −5, and let 0 through to be refused in other words)."""
    positive = _("Enter a positive amount in yuan with at most two decimals.")
    return forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=12,
        error_messages={"min_value": positive, "max_decimal_places": positive},
    )


class OrderForm(TextForm):
    item = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceItem.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    note = forms.CharField(
        label=_("What needs doing"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("For example: the kitchen tap drips")}),
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class NeedRaiseForm(TextForm):
    title = forms.CharField(label=_("What do you need?"), max_length=80)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("More about it"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=2)


class NeedForm(NeedRaiseForm):
    """A worker records a need they heard of: what is needed, not what they themselves need."""

    title = forms.CharField(label=_("What the need is"), max_length=80)
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    source = forms.ChoiceField(
        label=_("Where it comes from"),
        choices=[(NeedSource.STAFF, NeedSource.STAFF.label), (NeedSource.MEETING, NeedSource.MEETING.label)],
        initial=NeedSource.STAFF,
        required=False,
    )

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or NeedSource.STAFF

    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    # Set by clicking the map beside the form (cobuild/partials/map_pick.html), never typed.
    lng = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    households = households_field()

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)


class ResourceForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    name = forms.CharField(label=_("What is offered"), max_length=80)
    provider_name = forms.CharField(label=_("Provider"), max_length=80)
    provider_kind = forms.ChoiceField(label=_("Kind of provider"), choices=ProviderKind.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    skills = forms.CharField(label=_("Skills (separated by 、)"), max_length=200, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=100, required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=60, required=False)
    capacity = forms.IntegerField(label=_("Capacity (jobs at a time)"), min_value=1, initial=3)
    radius_m = forms.IntegerField(label=_("Area served (m)"), min_value=100, initial=2000)
    # Set by clicking the map beside the form (cobuild/partials/map_pick.html), never typed.
    lng = forms.FloatField(
        label=_("Longitude"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the place on the map.")},
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the place on the map.")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)


class ProjectForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    title = forms.CharField(label=_("Title"), max_length=80)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    budget = forms.DecimalField(
        label=_("Approved budget (yuan)"), min_value=0, decimal_places=2, max_digits=12
    )
    pledge = forms.BooleanField(label=_("Practical-matters pledge"), required=False)
    matches = forms.ModelMultipleChoiceField(
        label=_("Matches it carries out"),
        queryset=Match.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def add_prefix(self, field_name: str) -> str:
        # An input named "matches" hides the form element's matches() method, which htmx calls on every form:
        # htmx stopped with a TypeError on the projects page. The field keeps its name in Python.
        return "match_ids" if field_name == "matches" else super().add_prefix(field_name)

    def __init__(self, *args: Any, communities: Any, matches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)
        self.fields["matches"].queryset = matches  # type: ignore[attr-defined]
        self.fields["matches"].label_from_instance = lambda m: f"{m.need.title} ← {m.resource}"  # type: ignore[attr-defined]


class AssignForm(TextForm):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Resource.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class ReasonForm(TextForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class FulfilForm(TextForm):
    fulfilment = forms.ChoiceField(
        label=_("How much was done"),
        choices=Fulfilment.choices,
        widget=forms.RadioSelect,
        initial=Fulfilment.WHOLE,
    )
    minutes = forms.IntegerField(label=_("Minutes spent"), min_value=1, max_value=1440)
    report = forms.CharField(
        label=_("What was done"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.ImageField(label=_("Photo"), required=False)

    def clean_photo(self) -> list[Any]:
        """The photo as a list, as `core.pages.form_submit` hands a field whose photos a refusal keeps on the server
        (`core.kept_files`): the page's refused form shows the photo taken again instead of dropping it."""
        chosen = self.cleaned_data.get("photo")
        return [chosen] if chosen else []


class RateForm(TextForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class WishForm(TextForm):
    title = forms.CharField(label=_("Your wish"), max_length=60)
    description = forms.CharField(
        label=_("More about it"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WishForForm(WishForm):
    """A worker posts a wish for a resident: whose wish it is first, and it is theirs, not the worker's."""

    field_order = ["community", "wisher_name", "title", "description", "address", "phone"]

    title = forms.CharField(label=_("The resident's wish"), max_length=60)
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    wisher_name = forms.CharField(label=_("Wisher"), max_length=50)
    address = forms.CharField(label=_("Address"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)


class FulfilWishForm(forms.Form):
    photo = forms.ImageField(label=_("Photo of the wish fulfilled"))


class ReplyForm(TextForm):
    thanks = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[(1, _("Thank you")), (0, _("There is a problem"))],
        coerce=lambda v: v in (1, "1", True),
        widget=forms.RadioSelect,
    )
    message = forms.CharField(label=_("Message"), max_length=200, required=False)


class IncomeForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    income_kind = forms.ChoiceField(label=_("Kind of income"), choices=IncomeKind.choices)
    source = forms.CharField(label=_("Donor or payer"), max_length=80)
    amount = amount_field()
    memo = forms.CharField(label=_("Memo"), max_length=200)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    receipt = forms.FileField(label=_("Receipt"), required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)


class PaymentForm(TextForm):
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    payee = forms.CharField(label=_("Payee"), max_length=80)
    amount = amount_field()
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    receipt = forms.FileField(label=_("Receipt"))

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class AllocationForm(TextForm):
    """Allocate ahead: money of the fund set aside on a project's account before a payment. Each project is listed
    with what it may still be allocated (its approved budget less what its account holds and what it has spent)."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    amount = amount_field()
    memo = forms.CharField(
        label=_("What it is for"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("For example: first instalment for materials")}),
    )

    def __init__(self, *args: Any, projects: Any, room: dict[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["project"]
        field.queryset = projects
        left = _("%(title)s · %(left)s yuan left to allocate")
        field.label_from_instance = lambda p: (
            left % {"title": p.title, "left": money(room.get(p.pk, p.budget))}
        )


class ProgressForm(TextForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class NeedFromForm(TextForm):
    """A need taken from a grid visit or a suggestion: what it is and for how many households; the place and the
    words come with it."""

    title = forms.CharField(label=_("Title"), max_length=80, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    households = households_field()


class MilestoneForm(TextForm):
    title = forms.CharField(label=_("Milestone"), max_length=80)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class MilestoneReachForm(TextForm):
    note = forms.CharField(label=_("What was done"), max_length=300)
    photo = forms.ImageField(label=_("Photo"), required=False)


class CommitmentForm(TextForm):
    """A line of a unit's commitment list: written out, or a need or project of the community it claims."""

    pairing = forms.ModelChoiceField(label=_("Partner unit"), queryset=Resource.objects.none())
    title = forms.CharField(label=_("Commitment"), max_length=120, required=False)
    need = forms.ModelChoiceField(
        label=_("Claims the need"), queryset=Resource.objects.none(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Claims the project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args: Any, pairings: Any, needs: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pairing"].queryset = pairings  # type: ignore[attr-defined]
        self.fields["pairing"].label_from_instance = lambda p: f"{p.partner.name} ⇄ {p.community.name}"  # type: ignore[attr-defined]
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title") or data.get("need") or data.get("project")):
            raise forms.ValidationError(_("Write the commitment, or choose a need or a project it claims."))
        return data


class ServiceItemForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgNode.objects.none())
    name = forms.CharField(label=_("Service"), max_length=40)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)
