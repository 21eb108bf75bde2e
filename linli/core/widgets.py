"""Date and time inputs that the browser's own pickers can read back.

An `<input type="date">` holds an ISO date (`2026-12-05`) whatever the page's language, and `datetime-local` an ISO
date and time (`2026-12-05T09:30`). Django's widgets render a value in the active language's first input format
(`2026/12/05` in Chinese), which the browser discards: a stored date or a default showed as an empty field, and an
edit form saved without one. Every date or date-and-time field of a Linli form uses these.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME_LOCAL)


def limit_choices(field: forms.Field, queryset: Any) -> None:
    """Offer the objects of the user's scope in a choice; when a required one has just one (a community worker's
    community), it stands chosen already (`form_kit.preselect_the_only`)."""
    from .form_kit import preselect_the_only

    field.queryset = queryset  # type: ignore[attr-defined]
    preselect_the_only(field)
