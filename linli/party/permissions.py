"""Who may act on party organisation: the one table of party actions and the roles that may take them.

Every action is taken inside an area of the org tree (the organisation's node, the member's branch, the
community a registration is for, the grid of a beacon household): a person may act when their role is in the
action's row and the area lies in their own part of the tree (administrators everywhere). The services enforce
it (`require`); the pages and the API read the same table (`actions_for`) to decide what to offer. The system
(imports, the demo) acts as `None` and is not checked.

A branch secretary (支部书记) or deputy is usually a resident, not staff: what they may do is not a role but
follows from their member record (`selectors.leading_posts`). `SECRETARY_ACTIONS` are the actions they take for
the organisations they lead and those under them (`may_for` / `require_for`, which the services call with the
organisation the action is about); the capability ends when the position does.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.errors import PermissionDenied
from linli.core.roles import Role
from linli.core.scoping import Viewer

from . import selectors
from .models import PartyOrg

MANAGERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})
STREET = frozenset({Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "org_manage": MANAGERS,  # create and edit party organisations
    "member_manage": MANAGERS,  # join, transfer, leave, positions
    "registration_decide": MANAGERS,  # 双报到: approve, refuse, give a post, end
    "beacon_manage": MANAGERS | {Role.GRID_WORKER},  # designate and revoke beacon households
    "partner_manage": MANAGERS,  # partner units paired with a community
    "meeting_record": MANAGERS,  # record a branch meeting (三会一课) and who attended
    "points_grant": MANAGERS,  # a member points entry on the branch secretary's word, with a reason
    "stars_compute": MANAGERS,  # compute a branch's star rating for a year
    # The branch assesses itself (自评): its secretary or deputy only (`SECRETARY_ACTIONS`); no staff role.
    "stars_submit": frozenset({Role.ADMIN}),
    "stars_approve": STREET,  # the street approves a rating, with the stars it grants
    "stars_return": STREET,  # the street returns a self-assessment to the branch, with the reason
    "stars_remind": STREET,  # the street reminds a branch that has not assessed itself (or not again)
    "rules_set": frozenset(
        {Role.ADMIN}
    ),  # star indicator weights and member points per kind (apply everywhere)
}

DENIED = {
    "org_manage": _("Only a community or street worker of this area may change its party organisations."),
    "member_manage": _("Only a community or street worker of this area may change its party members."),
    "registration_decide": _("Only a worker of this community may decide on its member registrations."),
    "beacon_manage": _("Only a worker of this grid's area may designate its beacon households."),
    "partner_manage": _("Only a worker of this community may pair it with partner units."),
    "meeting_record": _(
        "Only the branch's secretary or a community or street worker of this area may record its meetings."
    ),
    "points_grant": _(
        "Only the branch's secretary or a community or street worker of this area may enter member points."
    ),
    "stars_compute": _(
        "Only the branch's secretary or a community or street worker of this area may compute its stars."
    ),
    "stars_submit": _("Only the branch's secretary or deputy secretary may submit its self-assessment."),
    "stars_approve": _("Only the street may approve a branch's stars."),
    "stars_return": _("Only the street may return a branch's self-assessment."),
    "stars_remind": _("Only the street may remind a branch to assess itself."),
    "rules_set": _(
        "Only an administrator may change the star weights and member points, which apply everywhere."
    ),
}


TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for


# What a branch's secretary or deputy may do for the organisations they lead: the branch's own work.
SECRETARY_ACTIONS = frozenset({"meeting_record", "points_grant", "stars_compute", "stars_submit"})


def may_for(user: Viewer, action: str, org: PartyOrg) -> bool:
    """`may` in the organisation's area, or the organisation's own secretary (or deputy) taking a branch action."""
    if may(user, action, org.org_node.path):
        return True
    return action in SECRETARY_ACTIONS and org.pk in selectors.led_org_ids(user)


def branch_actions_for(user: Viewer, org: PartyOrg) -> set[str]:
    """The branch actions `user` may take for `org` (what the 我的支部 page and API offer), reading the
    organisations the user leads at most once."""
    allowed = {action for action in SECRETARY_ACTIONS if may(user, action, org.org_node.path)}
    if allowed != SECRETARY_ACTIONS and org.pk in selectors.led_org_ids(user):
        return set(SECRETARY_ACTIONS)
    return allowed


def require_for(actor: Viewer, action: str, org: PartyOrg) -> None:
    """Raise PermissionDenied unless `actor` may take `action` for `org` (the system, None, always may)."""
    if actor is not None and not may_for(actor, action, org):
        raise PermissionDenied(TABLE.denied[action])


# The session key under which the menu remembers is_secretary for a few minutes (core.session_memo). A branch
# page corrects it with what it reads: a secretary whose post has ended loses the entry on the page that refuses.
LEADS_KEY = "party.leads"
# Likewise whether the account is a party member, for the home's 我的党员积分 tile (templatetags.party_home);
# `/party/me/` corrects it.
MEMBER_KEY = "party.member"


def is_secretary(user: Viewer) -> bool:
    """Whether the user leads a party organisation now (the 我的支部 pages, menu entry and home card)."""
    return selectors.leading_posts(user).exists()
