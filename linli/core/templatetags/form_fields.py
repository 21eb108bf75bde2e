"""`{% load form_fields %}`: what the one form partial (core/partials/form_fields.html, one field in
core/partials/field.html) asks of a form that Django's template language cannot say."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

WIDE_WIDGETS = frozenset({"textarea", "checkboxselectmultiple"})


@register.filter
def is_wide(field: BoundField, wide: Any = "") -> bool:
    """Whether a field spans the form's columns: a text area, a list of tick boxes, or a field named in `wide`
    (names separated by spaces, as the include says it: `wide="name description"`)."""
    return field.widget_type in WIDE_WIDGETS or field.name in str(wide or "").split()


@register.filter
def top_errors(form: Any) -> list[str]:
    """What the form refused as a whole, then the errors of its hidden fields (which have no place of their own
    to show them), each once."""
    errors = [str(e) for e in form.non_field_errors()]
    for field in form.hidden_fields():
        errors.extend(str(e) for e in field.errors)
    return list(dict.fromkeys(errors))
