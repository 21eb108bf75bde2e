"""Who may act on party organisation: the one table of party actions and the roles that may take them.

Every action is taken inside an area of the org tree (the organisation's node, the member's branch, the
community a registration is for, the grid of a beacon household): a person may act when their role is in the
action's row and the area lies in their own part of the tree (administrators everywhere). The services enforce
it (`require`); the pages and the API read the same table (`actions_for`) to decide what to offer. The system
(imports, the demo) acts as `None` and is not checked.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import PermissionDenied
from linli.core.orgpath import path_covers
from linli.core.roles import Role
from linli.core.scoping import Viewer, is_admin, is_signed_in, is_staff_member

MANAGERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "org_manage": MANAGERS,  # create and edit party organisations
    "member_manage": MANAGERS,  # join, transfer, leave, positions
    "registration_decide": MANAGERS,  # 双报到: approve, refuse, give a post, end
    "beacon_manage": MANAGERS | {Role.GRID_WORKER},  # designate and revoke beacon households
    "partner_manage": MANAGERS,  # partner units paired with a community
}

DENIED = {
    "org_manage": _("Only a community or street worker of this area may change its party organisations."),
    "member_manage": _("Only a community or street worker of this area may change its party members."),
    "registration_decide": _("Only a worker of this community may decide on its member registrations."),
    "beacon_manage": _("Only a worker of this grid's area may designate its beacon households."),
    "partner_manage": _("Only a worker of this community may pair it with partner units."),
}


def may(user: Viewer, action: str, path: str) -> bool:
    """Whether a signed-in person may take `action` in the area whose org path is `path`."""
    if not is_signed_in(user) or not is_staff_member(user):
        return False
    if is_admin(user):
        return True
    return user.role in ACTION_RULES[action] and path_covers(user.org_path, path)


def require(actor: Viewer, action: str, path: str) -> None:
    """Raise PermissionDenied unless `actor` may take `action` there (the system, None, always may)."""
    if actor is None:
        return
    if not may(actor, action, path):
        raise PermissionDenied(DENIED[action])


def actions_for(user: Viewer, path: str) -> set[str]:
    """The actions `user` may take in the area `path` (what a page or the API offers)."""
    return {action for action in ACTION_RULES if may(user, action, path)}


def may_manage_anywhere(user: Viewer, action: str) -> bool:
    """Whether `user`'s role takes `action` at all (to show a page's "new" buttons)."""
    return is_admin(user) or (
        is_signed_in(user) and is_staff_member(user) and user.role in ACTION_RULES[action]
    )
