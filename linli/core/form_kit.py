"""What every app's forms share:
one clear message for a text that is too long, naming the field and its limit (Django's own says "this value"
in words a resident does not use; a field that has its own message keeps it), the only possible choice of a
required field chosen in advance, and the two coordinates of a point picked on the site's map."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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


# axis → (label, bound, what to type, the range), for `coordinate_field`
_AXES: dict[str, tuple[Any, int, Any, Any]] = {
    "lng": (
        gettext_lazy("Longitude"),
        180,
        gettext_lazy("Type the longitude as a number of degrees, such as 116.397."),
        gettext_lazy("The longitude lies between -180 and 180."),
    ),
    "lat": (
        gettext_lazy("Latitude"),
        90,
        gettext_lazy("Type the latitude as a number of degrees, such as 39.908."),
        gettext_lazy("The latitude lies between -90 and 90."),
    ),
}


def coordinate_field(axis: str, *, required_message: Any, hidden: bool = False) -> forms.FloatField:
    """One coordinate ("lng" or "lat", WGS-84 degrees) of a point clicked on the site's picking map (web/map.js),
    which fills it; `hidden` when the map is the only way to set it, otherwise it can also be typed. A missing
    point says `required_message`; a wrong one says what to type and the range, in the person's language."""
    label, bound, invalid, out_of_range = _AXES[axis]
    return forms.FloatField(
        label=label,
        min_value=-bound,
        max_value=bound,
        widget=forms.HiddenInput if hidden else None,
        error_messages={
            "required": required_message,
            "invalid": invalid,
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
    )
