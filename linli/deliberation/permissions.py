"""Who may act in co-governance: the one table of actions and the roles that may take them.

Every action is taken in an area of the org tree (the meeting's or vote's community or compound): a person may
act when their role is in the action's row and the area lies in their own part of the tree (administrators
everywhere). Residents act in the hall through their verified household, checked by the hall services. The
services enforce the table (`require`); pages and the API read it (`actions_for`) to decide what to offer.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.errors import PermissionDenied
from linli.core.orgpath import path_covers
from linli.core.roles import Role
from linli.core.scoping import is_admin, is_staff_member

SECRETARIES = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "meeting_run": SECRETARIES,  # convene, agenda, members, minutes, decisions, stages, submit for filing
    "result_update": SECRETARIES | {Role.GRID_WORKER},  # progress and timeline of results
    "filing_decide": frozenset({Role.STREET_OFFICER, Role.ADMIN}),  # the street acknowledges or returns
    "hall_moderate": SECRETARIES,  # hide, restore, remove topics and comments
    "vote_manage": SECRETARIES,  # open and close votes
    "paper_ballot": SECRETARIES | {Role.GRID_WORKER},  # 入户征求意见: record a household's paper ballot
}

DENIED = {
    "meeting_run": _("Only a community or street worker of this area may run its meetings."),
    "result_update": _("Only a worker of this area may report progress on its results."),
    "filing_decide": _("Only the street may acknowledge or return a filing."),
    "hall_moderate": _("Only a community or street worker of this area may moderate its hall."),
    "vote_manage": _("Only a community or street worker of this area may open or close its votes."),
    "paper_ballot": _("Only a worker of this area may record paper ballots."),
}


def may(user: Any, action: str, path: str) -> bool:
    if not is_staff_member(user):
        return False
    if is_admin(user):
        return True
    return user.role in ACTION_RULES[action] and path_covers(user.org_path, path)


def require(actor: Any, action: str, path: str) -> None:
    """Raise PermissionDenied unless `actor` may take `action` in the area `path` (the system, None, may)."""
    if actor is None:
        return
    if not may(actor, action, path):
        raise PermissionDenied(DENIED[action])


def actions_for(user: Any, path: str) -> set[str]:
    return {action for action in ACTION_RULES if may(user, action, path)}


def may_anywhere(user: Any, action: str) -> bool:
    return is_admin(user) or (is_staff_member(user) and user.role in ACTION_RULES[action])
