"""`{% load lookup %}`: a mapping's value for a key a template holds in a variable (`{{ counts|get_item:state }}`),
which Django's dotted lookup cannot name."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or None when the key is absent (or the value is not a mapping)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
