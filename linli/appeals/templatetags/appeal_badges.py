"""Whether the person is staff of the territory's tree, for the appeals pages' tabs. (The appeals' badges are
core's: `{% load badges %}`, `{% badge appeal.state "appeals.AppealState" css="ap-badge ap-state" %}`.)"""

from __future__ import annotations

from django import template

from ..permissions import Actor, is_tree_staff

register = template.Library()


@register.filter
def tree_staff(user: Actor) -> bool:
    """Whether `user` is staff of the territory's tree (the tree's tools are theirs; permissions.is_tree_staff)."""
    return is_tree_staff(user)
