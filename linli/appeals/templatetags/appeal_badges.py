"""Badge colours straight from appeals/choices.py, so no stylesheet keeps a copy of them."""

from __future__ import annotations

from django import template

from linli.appeals.choices import STATE_COLOURS, TOPIC_STATUS_COLOURS

register = template.Library()


@register.filter
def state_colour(state: str) -> str:
    """The badge colour of an appeal state (STATE_COLOURS); the stylesheet tints the background from it."""
    return STATE_COLOURS.get(state, "")  # type: ignore[call-overload]


@register.filter
def topic_colour(status: str) -> str:
    """The badge colour of a monthly topic's status (TOPIC_STATUS_COLOURS), tinted the same way."""
    return TOPIC_STATUS_COLOURS.get(status, "")  # type: ignore[call-overload]
