"""Badge colours straight from appeals/choices.py, so no stylesheet keeps a copy of them."""

from __future__ import annotations

from django import template

from linli.appeals.choices import AppealState, TopicStatus

from ..permissions import Actor, is_tree_staff

register = template.Library()


@register.filter
def state_colour(state: str) -> str:
    """The badge colour of an appeal state; the stylesheet tints the background from it."""
    return AppealState.colour_of(state)


@register.filter
def topic_colour(status: str) -> str:
    """The badge colour of a monthly topic's status, tinted the same way."""
    return TopicStatus.colour_of(status)


@register.filter
def tree_staff(user: Actor) -> bool:
    """Whether `user` is staff of the territory's tree (the tree's tools are theirs; permissions.is_tree_staff)."""
    return is_tree_staff(user)
