"""Badge colours of volunteering for templates (the colours live in choices.py only)."""

from __future__ import annotations

from django import template

from ..choices import ACTIVITY_COLOURS, SIGNUP_COLOURS, TEAM_COLOURS

register = template.Library()


@register.filter
def team_colour(colour: str) -> str:
    return TEAM_COLOURS.get(colour, "#8a96a3")


@register.filter
def signup_colour(state: str) -> str:
    return SIGNUP_COLOURS.get(state, "#8a96a3")


@register.filter
def activity_colour(state: str) -> str:
    return ACTIVITY_COLOURS.get(state, "#8a96a3")


@register.filter
def star_marks(level: int) -> str:
    return "★" * int(level or 0)
