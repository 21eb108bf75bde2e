"""Who may act on party organisation: the one table of party actions and the roles that may take them.

Every action is taken inside an area of the org tree (the organisation's node, the member's branch, the
community a registration is for, the grid of a beacon household): a person may act when their role is in the
action's row and the area lies in their own part of the tree (administrators everywhere). The services enforce
it (`require`); the pages and the API read the same table (`actions_for`) to decide what to offer. The system
(imports, the demo) acts as `None` and is not checked.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

MANAGERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "org_manage": MANAGERS,  # create and edit party organisations
    "member_manage": MANAGERS,  # join, transfer, leave, positions
    "registration_decide": MANAGERS,  # 双报到: approve, refuse, give a post, end
    "beacon_manage": MANAGERS | {Role.GRID_WORKER},  # designate and revoke beacon households
    "partner_manage": MANAGERS,  # partner units paired with a community
    "meeting_record": MANAGERS,  # record a branch meeting (三会一课) and who attended
    "points_grant": MANAGERS,  # a member points entry on the branch secretary's word, with a reason
    "stars_compute": MANAGERS,  # compute a branch's star rating for a year
    "stars_approve": frozenset({Role.STREET_OFFICER, Role.ADMIN}),  # the street approves a rating
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
    "meeting_record": _("Only a community or street worker of this area may record its branch meetings."),
    "points_grant": _("Only a community or street worker of this area may enter member points."),
    "stars_compute": _("Only a community or street worker of this area may compute its branch stars."),
    "stars_approve": _("Only the street may approve a branch's stars."),
    "rules_set": _(
        "Only an administrator may change the star weights and member points, which apply everywhere."
    ),
}


TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
