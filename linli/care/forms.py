"""Forms of care and mediation. They check types and shapes; the services check the rest (and say which field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.errors import ValidationFailed
from linli.core.form_kit import TextForm
from linli.core.validators import clean_text, validate_phone
from linli.core.widgets import DateInput, DateTimeInput, limit_choices
from linli.territory.models import Grid

from . import appeal_link
from .choices import (
    ATTEMPT_OUTCOME,
    WEEKDAYS,
    AlertKind,
    CaseKind,
    CaseOutcome,
    CaseSource,
    ChildPlaceKind,
    ContactKind,
    ContactOutcome,
    LegalAidOutcome,
    LegalMatter,
    PartySide,
    Professional,
    ServiceKind,
    VisitorKind,
)
from .models import LEVELS, OnCallProfessional

DATE = DateInput()
DATETIME = DateTimeInput()


def tel() -> forms.TextInput:
    """A phone number's box: a phone opens its number pad (someone else's number: nothing filled in by the browser)."""
    return forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"})


class VisitorField(forms.ChoiceField):
    """Choose who visits or serves: the grid's workers, the community's volunteers and party members (grouped
    by kind); cleans to their account, or None for nobody chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=[("", "—")], **kwargs)
        self.accounts: dict[str, Any] = {}

    def set_visitors(self, visitors: list[Any]) -> None:
        self.accounts = {str(v.account.pk): v.account for v in visitors}
        groups: list[Any] = [("", "—")]
        for kind, label in VisitorKind.choices:
            options = [(str(v.account.pk), v.name) for v in visitors if v.kind == kind]
            if options:
                groups.append((label, options))
        self.choices = groups

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.accounts.get(value) if value else None


class PlanForm(TextForm):
    ill = forms.BooleanField(label=_("Chronic or serious illness"), required=False)
    no_family_support = forms.BooleanField(label=_("No family support nearby"), required=False)
    level = forms.ChoiceField(label=_("Care level"), choices=LEVELS)
    reason = forms.CharField(
        label=_("Reason for the level"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    caregiver = VisitorField(
        label=_("Visited by"),
        required=False,
        help_text=_(
            "A worker of the grid, or a volunteer or party member of the community (empty: the grid's worker)."
        ),
    )
    needs = forms.CharField(
        label=_("What they need"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    emergency_contact = forms.CharField(label=_("Emergency contact"), required=False, max_length=50)
    emergency_phone = forms.CharField(
        label=_("Emergency contact phone"), required=False, max_length=24, widget=tel()
    )

    def __init__(self, *args: Any, visitors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(VisitorField, self.fields["caregiver"]).set_visitors(visitors)


class VisitorForm(forms.Form):
    caregiver = VisitorField(label=_("Visited by"), required=False)

    def __init__(self, *args: Any, visitors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(VisitorField, self.fields["caregiver"]).set_visitors(visitors)


class RecordForm(TextForm):
    # Every outcome is accepted here so that the service's own words refuse one that does not fit the contact;
    # the buttons offer only those that fit (no "nobody at home" for a call, no "no answer" for a visit).
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=ContactOutcome.choices,
        initial=ContactOutcome.REACHED,
        required=False,
        widget=forms.RadioSelect,
    )
    found = forms.CharField(
        label=_("What was found"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs_raised = forms.CharField(label=_("Needs raised"), required=False, max_length=200)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    minutes = forms.IntegerField(
        label=_("Minutes it took"),
        required=False,
        min_value=1,
        max_value=480,
        help_text=_("Counts in the time bank for a volunteer's visit; empty: the usual time."),
    )

    def __init__(
        self, *args: Any, ask_minutes: bool = False, call: bool = False, own_day: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not ask_minutes:
            del self.fields["minutes"]
        kind = ContactKind.CALL if call else ContactKind.VISIT
        fits = [ContactOutcome.REACHED, ContactOutcome.REFUSED, ATTEMPT_OUTCOME[kind]]
        radio = cast(forms.RadioSelect, self.fields["outcome"].widget)
        radio.choices = [(o.value, o.label) for o in fits]
        # The attempt that fits this contact only: nobody at home for a visit, no answer for a call.
        if (
            not own_day
        ):  # someone else's visit or call (the community's, escalated): it is not on the reader's day
            help_text = (
                _("No answer: a short note is enough, and it stays open for another try.")
                if call
                else _("Nobody at home: a short note is enough, and it stays open for another try.")
            )
        elif call:
            help_text = _("No answer: a short note is enough, and it stays on today's list.")
        else:
            help_text = _("Nobody at home: a short note is enough, and it stays on today's list.")
        self.fields["found"].help_text = help_text
        if call:  # a phone call: what the call found, and no position to take
            self.fields["found"].label = _("How the call went")
            del self.fields["lng"], self.fields["lat"]

    def clean_outcome(self) -> str:
        return self.cleaned_data["outcome"] or ContactOutcome.REACHED


class GridChoice(forms.ModelChoiceField):
    """A grid by its name and code, the code in full-width brackets as Chinese text wants (阳光一网格（G001）)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class CaseForm(TextForm):
    """A new case. What the service would refuse of what was typed (a phone that is not one, a summary too short,
    an appeal that cannot become a case) is checked here too, so the form says every problem in one round with the
    fields left empty, not one a round; the service checks them again (the API goes through it alone)."""

    grid = GridChoice(label=_("Grid"), queryset=Grid.objects.none())
    kind = forms.ChoiceField(label=_("Kind of dispute"), choices=CaseKind.choices)
    appeal_number = forms.CharField(
        label=_("From appeal (tracking number)"),
        required=False,
        max_length=24,
        help_text=_("An appeal about a dispute becomes this case; the case's outcome answers it."),
    )
    source = forms.ChoiceField(label=_("Came in through"), choices=CaseSource.choices)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("What the dispute is about"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    applicant = forms.CharField(label=_("Applicant"), max_length=50)
    applicant_phone = forms.CharField(
        label=_("Applicant's phone"), required=False, max_length=24, widget=tel()
    )
    respondent = forms.CharField(label=_("Respondent"), max_length=50)
    respondent_phone = forms.CharField(
        label=_("Respondent's phone"), required=False, max_length=24, widget=tel()
    )

    def __init__(self, *args: Any, grids: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        limit_choices(self.fields["grid"], grids)
        # A tracking number is copied, not written: no count of the characters left under it.
        self.fields["appeal_number"].widget.attrs.pop("data-max", None)

    def clean_applicant_phone(self) -> str:
        return _phone_or_blank(self.cleaned_data["applicant_phone"])

    def clean_respondent_phone(self) -> str:
        return _phone_or_blank(self.cleaned_data["respondent_phone"])

    def clean_summary(self) -> str:
        return _said_on_field(clean_text, "summary", self.cleaned_data["summary"], least=6, most=2000)

    def clean_appeal_number(self) -> str:
        number: str = self.cleaned_data["appeal_number"].strip()
        if number:
            _said_on_field(appeal_link.appeal_for_case, self.actor, number)
        return number

    def service_args(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "grid": d["grid"],
            "kind": d["kind"],
            "source": d["source"],
            "place": d["place"],
            "summary": d["summary"],
            "appeal_number": d["appeal_number"],
            "parties": [
                {"side": PartySide.APPLICANT, "name": d["applicant"], "phone": d["applicant_phone"]},
                {"side": PartySide.RESPONDENT, "name": d["respondent"], "phone": d["respondent_phone"]},
            ],
        }


def _phone_or_blank(value: str) -> str:
    """A phone the form may leave blank: blank stays blank, anything else is a phone number (normalised) or
    refused in the words the service uses."""
    return validate_phone(value) if value.strip() else ""


def _said_on_field[T](check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A service's check of one field run by the form: its refusal becomes the field's error."""
    try:
        return check(*args, **kwargs)
    except ValidationFailed as exc:
        raise forms.ValidationError(str(exc.message)) from None


class PartyForm(TextForm):
    side = forms.ChoiceField(label=_("Side"), choices=PartySide.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=24, widget=tel())


class SessionForm(TextForm):
    held_at = forms.DateTimeField(label=_("Held at"), widget=DATETIME)
    attendees = forms.CharField(label=_("People present"), max_length=300)
    notes = forms.CharField(label=_("Notes"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ProfessionalForm(TextForm):
    on_call = forms.ModelChoiceField(
        label=_("From the rota"),
        queryset=OnCallProfessional.objects.none(),
        required=False,
        help_text=_("Those on duty today come first; or name someone below."),
    )
    professional_kind = forms.ChoiceField(
        label=_("Professional on call"), choices=[("", "—"), *Professional.choices], required=False
    )
    professional_name = forms.CharField(label=_("Professional's name"), required=False, max_length=50)
    note = forms.CharField(label=_("Why"), required=False, max_length=300)

    def __init__(self, *args: Any, rota: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rota is not None:
            self.fields["on_call"].queryset = rota  # type: ignore[attr-defined]


class AgreementForm(TextForm):
    terms = forms.CharField(
        label=_("Terms agreed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Amount to pay (yuan)"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    follow_up_on = forms.DateField(label=_("Follow-up visit on"), required=False, widget=DATE)


class FollowUpForm(TextForm):
    note = forms.CharField(
        label=_("What the follow-up found"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    holds = forms.TypedChoiceField(
        label=_("Does the agreement hold?"),
        choices=[("1", _("Yes, it holds")), ("0", _("No, mediate again"))],
        coerce=lambda v: v == "1",
    )
    amount_recovered = forms.DecimalField(
        label=_("Amount recovered (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
        required=False,
    )


class CloseForm(TextForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CaseOutcome.REFERRED, CaseOutcome.REFERRED.label),
            (CaseOutcome.WITHDRAWN, CaseOutcome.WITHDRAWN.label),
        ],
    )
    note = forms.CharField(label=_("Why"), max_length=500)


class ServiceForm(TextForm):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    provider = forms.CharField(
        label=_("Provider"), max_length=100, help_text=_("The canteen, a company, or the volunteer's team.")
    )
    scheduled_on = forms.DateField(label=_("Booked for"), widget=DATE)
    volunteer = VisitorField(
        label=_("Given by"),
        required=False,
        help_text=_("A volunteer's or party member's hours count in the time bank."),
    )

    def __init__(self, *args: Any, visitors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(VisitorField, self.fields["volunteer"]).set_visitors(visitors)


class DeliverForm(TextForm):
    hours = forms.DecimalField(label=_("Hours given"), max_digits=5, decimal_places=2, min_value=0, initial=1)
    note = forms.CharField(label=_("What the service did"), max_length=500)


class CancelServiceForm(TextForm):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=500)


class AlertForm(TextForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=AlertKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ChildPlaceForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Grid.objects.none())
    kind = forms.ChoiceField(label=_("Kind of place"), choices=ChildPlaceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    ages = forms.CharField(label=_("For ages"), required=False, max_length=30)
    hours = forms.CharField(label=_("Opening hours"), required=False, max_length=60)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)


class EnrolmentForm(TextForm):
    child_name = forms.CharField(label=_("Child's name"), max_length=50)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE)
    guardian_name = forms.CharField(label=_("Guardian"), max_length=50)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=24, widget=tel())


class RotaForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Grid.objects.none())
    kind = forms.ChoiceField(label=_("Professional"), choices=Professional.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    organisation = forms.CharField(label=_("Works at"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=24, widget=tel())
    weekdays = forms.MultipleChoiceField(
        label=_("On duty on"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the days they are on duty.")},
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)

    def service_args(self) -> dict[str, Any]:
        return {**self.cleaned_data, "weekdays": "".join(self.cleaned_data["weekdays"])}


class LegalAidForm(TextForm):
    grid = GridChoice(label=_("Grid"), queryset=Grid.objects.none())
    applicant_name = forms.CharField(label=_("Applicant"), max_length=50)
    applicant_phone = forms.CharField(
        label=_("Applicant's phone"), required=False, max_length=24, widget=tel()
    )
    matter = forms.ChoiceField(label=_("Matter"), choices=LegalMatter.choices)
    low_income = forms.BooleanField(
        label=_("In financial hardship (low income, subsistence)"), required=False
    )
    summary = forms.CharField(
        label=_("What it is about"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["grid"], grids)


class AssignLawyerForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=OnCallProfessional.objects.none())

    def __init__(self, *args: Any, lawyers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lawyers is not None:
            self.fields["lawyer"].queryset = lawyers  # type: ignore[attr-defined]


class RefuseForm(TextForm):
    reason = forms.CharField(label=_("Why not eligible"), max_length=300)


class ConcludeForm(TextForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=LegalAidOutcome.choices)
    note = forms.CharField(label=_("How it ended"), max_length=500)
    amount_recovered = forms.DecimalField(
        label=_("Amount recovered (yuan)"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )


class TalkForm(TextForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Grid.objects.none())
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    topic = forms.CharField(label=_("Topic"), max_length=100)
    speaker = forms.CharField(label=_("Speaker"), max_length=50)
    audience = forms.IntegerField(label=_("People attending"), min_value=1, max_value=5000)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["community"], communities)
