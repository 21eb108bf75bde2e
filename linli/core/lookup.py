"""Finding a person among rows by what one types in a search box: a part of their name, their whole mobile number,
and for staff the last digits of it. The one finder of a person (core.finder: the time bank's accounts, party's
beacon-household members) looks through it; each use names its own name and phone fields.

A number may be typed as people write it (138 1234 5678, 138-1234-5678, +86 138…): it is squeezed the way
core.validators stores one (normalize_phone, dashes dropped too). A whole number is what core.validators.MOBILE_RE
accepts, the same check every registration passes, so whoever could be registered can be found by their number.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model, Q, QuerySet

from .validators import MOBILE_RE, normalize_phone

PHONE_END = 4  # the fewest last digits of a number that staff may search by


def typed_digits(text: str) -> str:
    """A number as typed, as digits ("" when the text is not a number)."""
    squeezed = normalize_phone(text).replace("-", "")
    return squeezed if squeezed.isdigit() else ""


def _any_of(fields: Sequence[str], lookup: str, value: str) -> Q:
    q = Q()
    for name in fields:
        q |= Q(**{f"{name}{lookup}": value})
    return q


def people_found[M: Model](
    rows: QuerySet[M], text: str, *, names: Sequence[str], phone: str, by_phone_end: bool = False
) -> QuerySet[M]:
    """The rows a search box's `text` may mean, as suggestions: a part of any of the `names` fields, a whole
    mobile number in the `phone` field, and when `by_phone_end` (staff) its last four digits or more. A resident
    finds a neighbour by name or whole number, not by trying digits."""
    text = text.strip()
    if not text:
        return rows.none()
    digits = typed_digits(text)
    if digits:
        if MOBILE_RE.match(digits):
            return rows.filter(**{phone: digits})
        if by_phone_end and len(digits) >= PHONE_END:
            return rows.filter(**{f"{phone}__endswith": digits})
        return rows.none()
    return rows.filter(_any_of(names, "__contains", text))


def people_named[M: Model](rows: QuerySet[M], text: str, *, names: Sequence[str], phone: str) -> QuerySet[M]:
    """The rows `text` names exactly: the whole of one of the `names` fields, or the whole mobile number."""
    text = text.strip()
    digits = typed_digits(text)
    if digits:
        return rows.filter(**{phone: digits}) if MOBILE_RE.match(digits) else rows.none()
    return rows.filter(_any_of(names, "", text)) if text else rows.none()
