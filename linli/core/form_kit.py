"""What every app's forms share:
one clear message for a text that is too long, naming the field and its limit (Django's own says "this value"
in words a resident does not use; a field that has its own message keeps it), the limit given to the browser as
`data-max` (a counter) rather than `maxlength` (which cuts a pasted text silently), the only possible choice of a
required field chosen in advance, and the two coordinates of a point picked on the site's map."""

from __future__ import annotations

from collections.abc import Callable
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
    """The limits of the form's texts said, not enforced by the browser: each length-limited text field (the
    form's own copy of it) gets the clear message, and its limit goes to the browser as `data-max`, not
    `maxlength`, which cuts a pasted text without a word. web/site.js reads `data-max` to say what is left near
    the limit, and over it by how much; the form refuses an over-long text whole and shows it again. A line break
    counts as one character, as the counter counts it (browsers send it as two). A form that adds fields after its
    __init__ calls this again."""
    for field in form.fields.values():
        name_length_limit(field)


def name_length_limit(field: forms.Field) -> None:
    """One field's limit said, not enforced by the browser (see name_length_limits): for a field built alone, as
    the Django admin builds each field of a model (core.admin.TextLimitsAdmin)."""
    if isinstance(field, forms.CharField) and field.max_length is not None:
        if "max_length" not in field.error_messages:
            field.error_messages["max_length"] = length_message(field.label)
        limit = field.widget.attrs.pop("maxlength", None)
        if limit is not None:
            field.widget.attrs["data-max"] = limit
        if not getattr(field, "_one_char_line_breaks", False):
            setattr(field, "to_python", _line_breaks_as_one(field.to_python))  # noqa: B010 (the field's own copy)
            setattr(field, "_one_char_line_breaks", True)  # noqa: B010


def _line_breaks_as_one(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def to_python_with_one_char_breaks(value: Any) -> Any:
        value = to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

    return to_python_with_one_char_breaks


class TextForm(forms.Form):
    """A form whose too-long texts say which field and how long it may be, and come back whole (see
    name_length_limits): every Linli form with a limited text builds on it."""

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
