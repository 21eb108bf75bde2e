"""What a refused API request says, in the reader's language: pydantic's English errors for a request's fields
("Field required", "Input should be a valid number") turned into one message a field, as a page's form says them.
linli/api.py's handlers use it for every router."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

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


def _words(kind: str, ctx: Mapping[str, Any]) -> str:
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"date_past", "datetime_past"}:
        return _("Enter a date in the past.")
    if kind in {"date_future", "datetime_future"}:
        return _("Enter a date in the future.")
    if kind.startswith("datetime"):
        return _("Enter a date and time as YYYY-MM-DDTHH:MM.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind == "string_too_long":
        return _("Enter at most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("Enter at least %(n)s characters.") % {"n": ctx.get("min_length", "")}
    if kind == "too_long":
        return _("Give at most %(n)s items.") % {"n": ctx.get("max_length", "")}
    if kind == "too_short":
        return _("Give at least %(n)s items.") % {"n": ctx.get("min_length", "")}
    if kind == "greater_than":
        return _("Enter a number greater than %(n)s.") % {"n": ctx.get("gt", "")}
    if kind == "greater_than_equal":
        return _("Enter a number no smaller than %(n)s.") % {"n": ctx.get("ge", "")}
    if kind == "less_than":
        return _("Enter a number smaller than %(n)s.") % {"n": ctx.get("lt", "")}
    if kind == "less_than_equal":
        return _("Enter a number no larger than %(n)s.") % {"n": ctx.get("le", "")}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(values)s.") % {"values": _choices(ctx.get("expected", ""))}
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Give a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Give an object.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
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
    return _("The request body is not valid JSON.")


def refused_request_message(fields: Mapping[str, str]) -> str:
    """One line for the whole request: 请求数据无效：description：此项为必填项。"""
    listed = _("; ").join(_("%(field)s: %(problem)s") % {"field": n, "problem": w} for n, w in fields.items())
    return _("The request's data is not valid: %(fields)s") % {"fields": listed}
