"""What a refused API request says, in the reader's language: pydantic's English errors for a request's fields
("Field required", "Input should be a valid number") turned into one message a field, as a page's form says them.
linli/api.py's handlers use it for every router."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Where ninja puts the part of a request a field came from; the field's own name follows it.
_SOURCES = {"body", "query", "path", "form", "header", "cookie", "file"}


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        # A body schema is read into one parameter (`payload`): the field is what comes after it.
        if source in {"body", "form"} and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or _("the request")


def _choices(expected: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" as the values alone: a、b、c."""
    values = re.findall(r"'([^']*)'", str(expected))
    return "、".join(values) if values else str(expected)


def _kinds(*kinds: str, words: Any) -> dict[str, Any]:
    return dict.fromkeys(kinds, words)


# pydantic's error types, each with what it says (lazily, in the reader's language when said).
_FIXED: dict[str, Any] = {
    **_kinds("missing", words=gettext_lazy("This field is required.")),
    **_kinds("int_parsing", "int_type", "int_from_float", words=gettext_lazy("Enter a whole number.")),
    **_kinds(
        "float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number",
        words=gettext_lazy("Enter a number."),
    ),
    **_kinds("date_past", "datetime_past", words=gettext_lazy("Enter a date in the past.")),
    **_kinds("date_future", "datetime_future", words=gettext_lazy("Enter a date in the future.")),
    **_kinds("bool_parsing", "bool_type", words=gettext_lazy("Enter true or false.")),
    **_kinds("string_type", "string_unicode", words=gettext_lazy("Enter text.")),
    **_kinds("list_type", "tuple_type", "set_type", words=gettext_lazy("Give a list.")),
    **_kinds("dict_type", "model_type", "model_attributes_type", words=gettext_lazy("Give an object.")),
    **_kinds("json_invalid", words=gettext_lazy("The request body is not valid JSON.")),
}  # fmt: skip
# Those that name their limit: the words and the key of the limit in the error's context.
_LIMITS: dict[str, tuple[Any, str]] = {
    "string_too_long": (gettext_lazy("Enter at most %(n)s characters."), "max_length"),
    "string_too_short": (gettext_lazy("Enter at least %(n)s characters."), "min_length"),
    "too_long": (gettext_lazy("Give at most %(n)s items."), "max_length"),
    "too_short": (gettext_lazy("Give at least %(n)s items."), "min_length"),
    "greater_than": (gettext_lazy("Enter a number greater than %(n)s."), "gt"),
    "greater_than_equal": (gettext_lazy("Enter a number no smaller than %(n)s."), "ge"),
    "less_than": (gettext_lazy("Enter a number smaller than %(n)s."), "lt"),
    "less_than_equal": (gettext_lazy("Enter a number no larger than %(n)s."), "le"),
}


def _words(kind: str, ctx: Mapping[str, Any]) -> str:
    if kind in _FIXED:
        return str(_FIXED[kind])
    if kind in _LIMITS:
        words, key = _LIMITS[kind]
        return str(words) % {"n": ctx.get(key, "")}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(values)s.") % {"values": _choices(ctx.get("expected", ""))}
    if kind.startswith("datetime"):
        return _("Enter a date and time as YYYY-MM-DDTHH:MM.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    return _("This value is not valid.")


def field_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each refused field's name (as the request named it, dotted for a nested one) with what is wrong, in the
    reader's language; the first error a field has."""
    found: dict[str, str] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        found.setdefault(name, _words(str(error.get("type", "")), error.get("ctx") or {}))
    return found


def body_not_json() -> str:
    return str(_FIXED["json_invalid"])


def csrf_missing() -> str:
    return _(
        "The request has no valid CSRF token: send the session's CSRF token in the X-CSRFToken header with "
        "every write."
    )


def sign_in_first() -> str:
    """The 401's words, in the reader's language alone (the API said them in Chinese and English at once)."""
    return _("Sign in first.")


def refused_request_message(fields: Mapping[str, str]) -> str:
    """One line for the whole request: 请求数据无效：description：此项为必填项。"""
    listed = _("; ").join(_("%(field)s: %(problem)s") % {"field": n, "problem": w} for n, w in fields.items())
    return _("The request's data is not valid: %(fields)s") % {"fields": listed}
