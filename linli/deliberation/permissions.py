"""Who may act in co-governance: the one table of actions and the roles that may take them.

Every action is taken in an area of the org tree (the meeting's or vote's community or compound): a person may
act when their role is in the action's row and the area lies in their own part of the tree (administrators
everywhere). Residents act in the hall through their verified household, checked by the hall services. The
services enforce the table (`require`); pages and the API read it (`actions_for`) to decide what to offer.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

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


TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
