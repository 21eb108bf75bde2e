"""Forms of the appeals pages. They check what a person typed and say what is wrong in plain words; the services
check everything again (photos' type and size, transitions, scope) and have the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm
from linli.core.validators import validate_mobile, validate_phone
from linli.core.widgets import DateTimeInput

from .choices import AppealKind, CallbackMiss, Outcome, Priority, Rating, Tier
from .fields import PhotosField, VoiceField
from .validation import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    NOTE_MAX,
    TITLE_MAX,
    TOPIC_TEXT_MAX,
)

# Mainland China and its seas, generously: a point outside is a typo or a spoofed position.
LNG_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)


def set_choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _required_message(label: Any) -> str:
    return gettext("%(field)s: this field is required.") % {"field": label}


_required = lazy(_required_message, str)


def _note(label: Any, *, required: bool = True, rows: int = 3, maximum: int = NOTE_MAX) -> forms.CharField:
    """A text area of at most `maximum` characters (the bound validation.py holds the service to)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=maximum,
        widget=forms.Textarea(attrs={"rows": rows, "data-max": maximum}),
        # Say which field is missing (Django's own "此项为必填项" names none).
        error_messages={"required": _required(label)},
    )


def category_choices(empty: Any = None) -> list[tuple[Any, Any]]:
    """Second-level categories grouped under their first level, with an empty choice first: a resident's "let us
    choose", or `empty` (staff choose; left empty, the appeal keeps its category)."""
    from .models import Category

    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    order: list[int] = []
    for cat in Category.objects.filter(active=True).select_related("parent").order_by("position", "code"):
        if cat.parent_id is None:
            if cat.pk not in groups:
                groups[cat.pk] = (cat.name, [])
                order.append(cat.pk)
            continue
        if cat.parent_id not in groups:
            assert cat.parent is not None
            groups[cat.parent_id] = (cat.parent.name, [])
            order.append(cat.parent_id)
        groups[cat.parent_id][1].append((cat.code, cat.name))
    choices: list[tuple[Any, Any]] = [
        ("", empty if empty is not None else _("Not sure: let the staff decide"))
    ]
    for pk in order:
        name, children = groups[pk]
        if children:
            choices.append((name, children))
    return choices


class _LocationMixin(TextForm):
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Building 3, Heping Road No. 1 compound")}),
    )

    def clean_location(self, cleaned: dict[str, Any]) -> None:
        lng, lat = cleaned.get("lng"), cleaned.get("lat")
        if (lng is None) != (lat is None):
            self.add_error(None, _("The map position is incomplete; tap the map again."))
        elif (
            lng is not None
            and lat is not None
            and not (LNG_RANGE[0] <= lng <= LNG_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1])
        ):
            self.add_error(None, _("The map position is outside China; tap the map where the problem is."))


class _AppealTextMixin(TextForm):
    kind = forms.ChoiceField(
        label=_("What kind of appeal is it?"),
        choices=AppealKind.choices,
        initial=AppealKind.HELP,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Optional: a few words; we take the start of the description otherwise."),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "data-max": DESCRIPTION_MAX,
                "placeholder": _("What happened, where exactly, since when, and what you would like done."),
            }
        ),
        error_messages={
            "required": _("Please describe the problem."),
            "min_length": _("Please describe the problem in at least %(limit_value)d characters."),
            "max_length": _(
                "The description is too long: at most %(limit_value)d characters (you typed %(show_value)d)."
            ),
        },
    )
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", category_choices())
        self.fields["category"].widget.attrs.update({"data-category": "1"})

    def title_or_excerpt(self) -> str:
        title = (self.cleaned_data.get("title") or "").strip()
        if title:
            return title
        text = " ".join((self.cleaned_data.get("description") or "").split())
        return text[:30] + ("…" if len(text) > 30 else "")


class ResidentAppealForm(_AppealTextMixin, _LocationMixin):
    """The resident phone page. Guests give a mobile number; signed-in residents may change the contact."""

    grid = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    photos = PhotosField(label=_("Photos"), help_text=_("Up to 6 photos, 5 MB each."))
    contact_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Mobile number"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("We send the tracking number and progress by SMS; it is never shown in public."),
    )
    photos_public = forms.BooleanField(
        label=_("My photos may be shown on the public page once the problem is solved"),
        required=False,
        help_text=_("Only the photos: never your name, number, address or words."),
    )
    voice = VoiceField()
    voice_seconds = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, guest: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guest = guest
        self.fields["contact_phone"].required = guest
        if guest:  # text messages only once the number is proven with a code (partials/phone_proof.html)
            self.fields["contact_phone"].help_text = _(
                "With it you follow your appeal by its tracking number; it is never shown in public."
            )
        self.fields["contact_phone"].error_messages["required"] = _(
            "Please give a mobile number so we can reach you."
        )

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone", "").strip()
        if not value:
            if self.guest:
                raise ValidationError(_("Please give a mobile number so we can reach you."), code="required")
            return ""
        return validate_mobile(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_location(cleaned)
        return cleaned


class HotlineForm(_AppealTextMixin, _LocationMixin):
    """12345 / community hotline: an operator types a caller's appeal, and may answer a consultation at once."""

    caller_name = forms.CharField(
        label=_("Caller's name"),
        max_length=50,
        error_messages={"required": _("Please give the caller's name.")},
    )
    caller_phone = forms.CharField(
        label=_("Caller's number"),
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel"}),
        error_messages={"required": _("Please give the caller's number.")},
    )
    grid = forms.ChoiceField(label=_("Grid"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    answer_now = forms.BooleanField(
        label=_("Answered on the call (consultation closed at first contact)"), required=False
    )
    answer = _note(_("Answer given to the caller"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, grids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid_choices: list[tuple[str, Any]] = [("", _("Not known: locate by the address"))]
        grid_choices += [(g.code, f"{g.name}（{g.code}）") for g in (grids or [])]
        set_choices(self, "grid", grid_choices)

    def clean_caller_phone(self) -> str:
        return validate_phone(self.cleaned_data.get("caller_phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_location(cleaned)
        if cleaned.get("answer_now"):
            if cleaned.get("kind") != AppealKind.CONSULTATION:
                self.add_error("answer_now", _("Only a consultation can be answered and closed on the call."))
            if not (cleaned.get("answer") or "").strip():
                self.add_error("answer", _("Write down the answer you gave the caller."))
        return cleaned


class PatrolForm(_AppealTextMixin, _LocationMixin):
    """A grid worker's patrol report from the phone: photos and position; may be resolved on the spot."""

    photos = PhotosField(label=_("Photos"), help_text=_("Up to 6 photos, 5 MB each."))
    resolve_now = forms.BooleanField(label=_("Resolved on the spot"), required=False)
    resolution_note = _note(_("What was done"), required=False)
    # A resident who told the worker of it on patrol: their contact, so that they are told how it goes.
    contact_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Resident's mobile number"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        help_text=_(
            "When a resident raised it with you, so that they can be called back; leave empty for what you found yourself."
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = AppealKind.HELP
        self.fields["description"].widget.attrs["placeholder"] = _(
            "What you found, where exactly, how serious, and who or what is affected."
        )

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone", "").strip()
        return validate_mobile(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_location(cleaned)
        if cleaned.get("lng") is None and not (cleaned.get("address") or "").strip():
            self.add_error(None, _("Give the position: use your location, tap the map, or type an address."))
        if cleaned.get("resolve_now") and not (cleaned.get("resolution_note") or "").strip():
            self.add_error("resolution_note", _("Say what was done to resolve it on the spot."))
        return cleaned


# --- Staff actions on one appeal -------------------------------------------------------------------------


class NoteForm(TextForm):
    note = _note(_("Note"), required=False)


class ReasonForm(TextForm):
    reason = _note(_("Reason"))


class ContactForm(TextForm):
    note = _note(_("What was said to the resident"))


RESOLVE_CHOICES = [
    (o.value, o.label)
    for o in (Outcome.FIXED, Outcome.ANSWERED, Outcome.NOT_OUR_RESPONSIBILITY, Outcome.NO_FURTHER_ACTION)
]


class ResolveForm(TextForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RESOLVE_CHOICES, initial=Outcome.FIXED)
    note = _note(_("Resolution note"))
    photos = PhotosField(label=_("Photos of the result"))


class ExtensionRequestForm(TextForm):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30, initial=3)
    reason = _note(_("Why more time is needed"))


class WhistleForm(TextForm):
    organisations = forms.MultipleChoiceField(
        label=_("Departments or partner units to summon"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one unit to summon.")},
    )
    note = _note(_("What each must do"))
    report_hours = forms.FloatField(
        label=_("Report in within (working hours)"),
        required=False,
        min_value=0.25,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    finish_by = forms.DateTimeField(
        label=_("Finish the part by"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=DateTimeInput(),
    )

    def __init__(
        self, *args: Any, organisations: Any = None, limits: tuple[float, float] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisations", [(str(o.pk), o.name) for o in (organisations or [])])
        if limits is not None:
            default, limit = limits
            self.fields["report_hours"].widget.attrs.update(
                {"max": f"{limit:g}", "placeholder": f"{default:g}"}
            )
            self.fields["report_hours"].help_text = _(
                "Empty: %(default)s working hours; at most %(limit)s."
            ) % {"default": f"{default:g}", "limit": f"{limit:g}"}
        self.fields["finish_by"].help_text = _(
            "Empty: the appeal's own deadline, which is also the latest date."
        )


class MergeForm(TextForm):
    primary = forms.CharField(
        label=_("Tracking number of the appeal to merge into"),
        max_length=24,
        widget=forms.TextInput(attrs={"placeholder": "LL20261123-000123", "autocapitalize": "characters"}),
    )
    note = _note(_("Note"), required=False, rows=2)

    def clean_primary(self) -> str:
        return self.cleaned_data["primary"].strip().upper()


class BulkAcknowledgeForm(TextForm):
    ids = forms.TypedMultipleChoiceField(coerce=int, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are the ids the person posted; the service fetches each through the scoping helper.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else self.data.get("ids", [])
        set_choices(self, "ids", [(v, v) for v in raw if str(v).isdigit()])
        self.fields["ids"].error_messages["required"] = _("Tick at least one appeal.")


# --- Staff actions on an appeal's page ------------------------------------------------------------------


class DispatchForm(TextForm):
    grid = forms.ChoiceField(label=_("Place it in a grid"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    organisation = forms.ChoiceField(label=_("Or a department / partner unit"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    reason = _note(_("Note"), required=False, rows=2)
    # The service's arguments these fields feed: its refusals go under them (core.pages.apply_domain_error).
    field_aliases = {"category_code": "category", "grid_code": "grid"}

    def __init__(self, *args: Any, organisations: Any = (), grids: Any = None, **kwargs: Any) -> None:
        """`grids`: the grids an appeal without a place may be placed in (None: it has a place)."""
        super().__init__(*args, **kwargs)
        if grids is None:
            del self.fields["grid"]
        else:
            set_choices(self, "grid", [("", "—")] + [(g.code, f"{g.name}（{g.code}）") for g in grids])
        set_choices(self, "tier", [("", "—")] + [(t.value, t.label) for t in Tier if t != Tier.DEPARTMENT])
        set_choices(self, "organisation", [("", "—")] + [(str(o.pk), o.name) for o in organisations])
        # Staff choose (it read 不确定，由工作人员判断, the resident's words, to the staff who judge).
        set_choices(self, "category", category_choices(_("- Select an option -")))

    def clean(self) -> dict[str, Any]:
        """A grid chosen is enough: the appeal goes to that grid's tier; a department needs no tier either."""
        cleaned = super().clean() or {}
        if not cleaned.get("tier") and not cleaned.get("organisation"):
            if cleaned.get("grid"):
                cleaned["tier"] = Tier.GRID
            else:
                self.add_error("tier", _("Choose a tier or a department."))
        return cleaned


class ExtensionDecisionForm(TextForm):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    note = _note(_("Note"), required=False, rows=2, maximum=COMMENT_MAX)


class PartForm(TextForm):
    part_id = forms.IntegerField(widget=forms.HiddenInput)
    note = _note(_("Note"), required=False, rows=2)

    def __init__(self, *args: Any, step: str = "", for_unit: bool = False, **kwargs: Any) -> None:
        """`step` "complete": the note says what the unit did and is required (the service requires it too);
        `for_unit`: recorded on behalf of a unit with no account."""
        super().__init__(*args, **kwargs)
        if step == "complete":
            note = self.fields["note"]
            note.label = _("What the unit did") if for_unit else _("What your unit did")
            note.required = True
            note.error_messages["required"] = _required(note.label)


class PartDeclineForm(TextForm):
    """不属于本单位职责: a summoned unit, before reporting in, says why the matter is not its duty."""

    part_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = _note(_("Why it is not your unit's duty"), rows=3, maximum=COMMENT_MAX)


class PartInsistForm(TextForm):
    """The summoner insists a unit that said the matter is not its duty does its part, saying why."""

    part_id = forms.IntegerField(widget=forms.HiddenInput)
    note = _note(_("Why the unit must do its part"), rows=3, maximum=COMMENT_MAX)


# --- Resident actions ------------------------------------------------------------------------------------


def _text_required_for(
    form: forms.Form, cleaned: dict[str, Any], answer: tuple[str, str], text: str, message: Any
) -> None:
    """A text the form asks for only after one answer of a choice (`answer`: the field and the value): what is
    still wrong after "unsatisfied", what happened on a call that did not get through for "other"."""
    field, value = answer
    if cleaned.get(field) == value and not (cleaned.get(text) or "").strip():
        form.add_error(text, message)


class RatingForm(TextForm):
    value = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose satisfied, basically satisfied or unsatisfied.")},
    )
    comment = _note(_("Comment"), required=False, maximum=COMMENT_MAX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        message = _("Please tell us what is still wrong, so the unit can handle it again.")
        _text_required_for(self, cleaned, ("value", Rating.UNSATISFIED), "comment", message)
        return cleaned


class CallbackAttemptForm(TextForm):
    """回访未接通: why the call did not reach the resident (a note is required for "other")."""

    result = forms.ChoiceField(
        label=_("Why the call did not get through"),
        choices=CallbackMiss.choices,
        initial=CallbackMiss.NO_ANSWER,
        error_messages={"required": _("Choose why the call did not get through.")},
    )
    note = _note(_("Note"), required=False, rows=2, maximum=COMMENT_MAX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _text_required_for(
            self, cleaned, ("result", CallbackMiss.OTHER), "note", _("Say what happened on the call.")
        )
        return cleaned


class WithdrawForm(TextForm):
    reason = _note(_("Why do you withdraw it?"), required=False, rows=2, maximum=500)


class TrackForm(TextForm):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=24,
        widget=forms.TextInput(attrs={"placeholder": "LL20261123-000123", "autocapitalize": "characters"}),
        error_messages={"required": _("Enter the tracking number you were given.")},
    )
    phone = forms.CharField(
        label=_("Mobile number given with the appeal"),
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Enter the mobile number you gave with the appeal.")},
    )

    def clean_tracking_number(self) -> str:
        return self.cleaned_data["tracking_number"].strip().upper()

    def clean_phone(self) -> str:
        return validate_mobile(self.cleaned_data["phone"])


class TopicAdoptForm(TextForm):
    """每月一题: adopt a candidate (or a proposed topic) with a plan."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, required=False)
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    plan = _note(_("Plan"), maximum=TOPIC_TEXT_MAX)


class TopicCompleteForm(TextForm):
    note = _note(_("Completion note"), maximum=TOPIC_TEXT_MAX)


class AddInfoForm(TextForm):
    """The resident adds to their open appeal: text, photos, a voice message (at least one of them)."""

    text = _note(_("What would you like to add?"), required=False)
    photos = PhotosField(label=_("Photos"), help_text=_("Up to 6 photos in all, 5 MB each."))
    voice = VoiceField()
    voice_seconds = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ReopenForm(TextForm):
    reason = _note(_("Why is the problem not solved?"), maximum=NOTE_MAX)
