"""Who may act on volunteering: the one table of actions and the staff roles that may take them.

Every action is taken in a community (the volunteer's, the team's, the activity's, the account's): a staff member
may act when their role is in the action's row and the community lies in their part of the tree (administrators
everywhere). A volunteer's own steps (sign up, cancel, check in, spend their hours) need no row: the service
checks the volunteer is the signed-in person. The system (demo, jobs) acts as None and is not checked.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.errors import PermissionDenied
from linli.core.orgpath import path_covers
from linli.core.roles import Role
from linli.core.scoping import is_admin, is_staff_member

MANAGERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "volunteer_manage": MANAGERS | {Role.GRID_WORKER},  # enrol volunteers, their certificates and grids
    "team_manage": MANAGERS,  # teams: colour, leader, members
    "activity_manage": MANAGERS,  # activities, shifts and roles; open and cancel
    "hours_confirm": MANAGERS | {Role.GRID_WORKER},  # confirm a volunteer's hours, mark a no-show
    "bank_manage": MANAGERS,  # transfers between accounts of the time bank, reversals
}

DENIED = {
    "volunteer_manage": _("Only a worker of this community may enrol its volunteers."),
    "team_manage": _("Only a community or street worker may change this community's teams."),
    "activity_manage": _("Only a community or street worker may change this community's activities."),
    "hours_confirm": _("Only a worker of this community may confirm hours of its activities."),
    "bank_manage": _("Only a community or street worker may move hours of this community's time bank."),
}


def may(user: Any, action: str, path: str) -> bool:
    if not is_staff_member(user):
        return False
    if is_admin(user):
        return True
    return user.role in ACTION_RULES[action] and path_covers(user.org_path, path)


def require(actor: Any, action: str, path: str) -> None:
    if actor is None:
        return
    if not may(actor, action, path):
        raise PermissionDenied(DENIED[action])


def actions_for(user: Any, path: str) -> set[str]:
    return {action for action in ACTION_RULES if may(user, action, path)}


def may_manage_anywhere(user: Any, action: str) -> bool:
    return is_admin(user) or (is_staff_member(user) and user.role in ACTION_RULES[action])
