from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """0.9234 → "92.3%"; no data → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def days(value: Any) -> str:
    return "—" if value is None else f"{float(value):.2f}"
