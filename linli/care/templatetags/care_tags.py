"""Badge colours of care levels, contact states and case states (from their ColouredChoices)."""

from __future__ import annotations

from django import template

from linli.territory.choices import CareLevel

from ..choices import CaseState, ContactState

register = template.Library()


@register.filter
def level_colour(value: str) -> str:
    return CareLevel.colour_of(value)


@register.filter
def contact_colour(value: str) -> str:
    return ContactState.colour_of(value)


@register.filter
def case_colour(value: str) -> str:
    return CaseState.colour_of(value)


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)
