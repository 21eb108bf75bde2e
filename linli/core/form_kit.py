"""What every app's forms share:
one clear message for a text that is too long, naming the field and its limit (Django's own says "this value"
in words a resident does not use; a field that has its own message keeps it), and the only possible choice of a
required field chosen in advance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _


def length_message(label: Any) -> str:
    """The too-long message for a field labelled `label`; %(limit_value)d and %(show_value)d stay for Django."""
    name = str(label or _("This text")).strip().rstrip("?？:：").replace("%", "%%")
    return _("{field} is too long: at most %(limit_value)d characters (you typed %(show_value)d).").replace(
        "{field}", name
    )


def name_length_limits(form: forms.BaseForm) -> None:
    """Give each length-limited text field of the form (its own copy of the field) the clear message."""
    for field in form.fields.values():
        limited = isinstance(field, forms.CharField) and field.max_length is not None
        if limited and "max_length" not in field.error_messages:
            field.error_messages["max_length"] = length_message(field.label)


class TextForm(forms.Form):
    """A form whose too-long texts say which field and how long it may be."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_length_limits(self)


def preselect_the_only(field: forms.Field, among: QuerySet[Any] | None = None) -> None:
    """A required choice with exactly one option (a worker's only community or grid) starts on it rather than on
    "— choose —"; an optional one stays empty, as empty means something there. `among` narrows what counts: a
    community's compounds are offered with it, yet the one community is what to start on."""
    queryset = among if among is not None else getattr(field, "queryset", None)
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    if multiple or not field.required or not isinstance(queryset, QuerySet):
        return
    options = list(queryset[:2])
    if len(options) == 1:
        field.initial = options[0].pk
