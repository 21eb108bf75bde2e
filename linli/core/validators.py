"""Validation of Chinese resident ID numbers (GB 11643-1999) and mainland phone numbers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ValidationFailed, invalid
from .form_kit import length_message

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def id_check_digit(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character ID number, or raise ValidationError saying what is wrong."""
    number = normalize_id_number(value)
    if not _ID_RE.match(number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a final digit or X."), code="id_format"
        )
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date inside the ID number is not a real date."), code="id_birth"
        ) from None
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; please check it for a typo."), code="id_check"
        )
    return number


def birth_date_from_id(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(number: str) -> str:
    return "male" if int(number[16]) % 2 == 1 else "female"


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s()（）]", "", value.strip())
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    return phone


def validate_phone(value: str) -> str:
    """Return the normalised phone number (mainland mobile or landline), or raise ValidationError."""
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    raise ValidationError(
        _("Enter an 11-digit mobile number such as 13812345678, or a landline such as 010-12345678."),
        code="phone",
    )


def validate_mobile(value: str) -> str:
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone):
        return phone
    raise ValidationError(_("Enter an 11-digit mainland mobile number, such as 13812345678."), code="mobile")


def checked(field: str, validator: Callable[[str], str], value: str) -> str:
    """`validator(value)` (one of the checks above), its error raised as `errors.invalid(field, ...)`: how a
    service checks one field."""
    try:
        return validator(value)
    except ValidationError as exc:
        raise invalid(field, str(exc.messages[0])) from None


def checked_phone(field: str, value: str | None) -> str:
    """A phone number a service stores (a party's, a contact's): blank stays blank; anything else is normalised,
    or refused with the reason on `field`, so the API and the pages refuse the same numbers."""
    value = (value or "").strip()
    return checked(field, validate_phone, value) if value else ""


# What a text is called in a refusal that stands alone (a page's message, an API answer), by the name services give
# its field, when the service names no label of its own.
TEXT_LABELS: dict[str, Any] = {
    "reason": gettext_lazy("Reason"),
    "note": gettext_lazy("Note"),
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "address": gettext_lazy("Address"),
}


def too_long(field: str, label: Any, text: str, most: int) -> ValidationFailed:
    """The refusal of a text longer than `most` characters, naming the field (`label`) and its limit, as the
    forms word it (form_kit.length_message): a text is refused whole, never cut."""
    message = length_message(label) % {"limit_value": most, "show_value": len(text)}
    return invalid(field, message)


def clean_text(
    field: str, value: object, *, most: int, least: int = 0, required: bool = False, label: Any = None
) -> str:
    """A text a service stores, stripped: refused on `field` when required and blank, shorter than `least` or
    longer than `most` characters, so every app words these refusals the same way. Too long, it is refused whole,
    never cut, and the message names the field (a page whose input is not on a form, or an API caller, shows it
    alone): `label`, else the usual name of a field so called (TEXT_LABELS)."""
    text = str(value or "").strip()
    if required and not text:
        raise invalid(field, _("This field is required."))
    if len(text) < least:
        raise invalid(field, _("At least %(n)d characters.") % {"n": least})
    if len(text) > most:
        label = label if label is not None else TEXT_LABELS.get(field)
        if label is not None:
            raise too_long(field, label, text, most)
        raise invalid(field, _("At most %(n)d characters.") % {"n": most})
    return text
