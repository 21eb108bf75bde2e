"""Badge colours of volunteering for templates (the colours are declared with the choices, core.choices.ColouredChoices)."""

from __future__ import annotations

from django import template

from ..choices import ActivityState, SignupState, TeamColour

UNKNOWN = "#8a96a3"  # a grey for a value that is no member (no team)

register = template.Library()


@register.filter
def team_colour(colour: str) -> str:
    return TeamColour.colour_of(colour) or UNKNOWN


@register.filter
def signup_colour(state: str) -> str:
    return SignupState.colour_of(state) or UNKNOWN


@register.filter
def activity_colour(state: str) -> str:
    return ActivityState.colour_of(state) or UNKNOWN


@register.filter
def star_marks(level: int) -> str:
    return "★" * int(level or 0)
