"""Who may act on volunteering: the one table of actions and the staff roles that may take them.

Every action is taken in a community (the volunteer's, the team's, the activity's, the account's): a staff member
may act when their role is in the action's row and the community lies in their part of the tree (administrators
everywhere). A volunteer's own steps (sign up, cancel, check in, spend their hours) need no row: the service
checks the volunteer is the signed-in person. The system (demo, jobs) acts as None and is not checked.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

MANAGERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "volunteer_manage": MANAGERS | {Role.GRID_WORKER},  # enrol volunteers, their certificates and grids
    "account_link": MANAGERS,  # link a volunteer record to a resident's account, or unlink it
    "team_manage": MANAGERS,  # teams: colour, leader, members
    "activity_manage": MANAGERS,  # activities, shifts and roles; open and cancel
    "hours_confirm": MANAGERS | {Role.GRID_WORKER},  # confirm a volunteer's hours, mark a no-show
    "bank_manage": MANAGERS,  # transfers between accounts of the time bank, reversals
    "store_manage": MANAGERS,  # the points store: donated items, handing over, cancelling redemptions
    "honour_review": MANAGERS,  # compute honours by rule, publish or refuse them
    "rules_set": MANAGERS,  # a community's points rules: per hour, multipliers, caps, bonuses
}

DENIED = {
    "volunteer_manage": _("Only a worker of this community may enrol its volunteers."),
    "account_link": _("Only a community or street worker may link this community's volunteers to accounts."),
    "team_manage": _("Only a community or street worker may change this community's teams."),
    "activity_manage": _("Only a community or street worker may change this community's activities."),
    "hours_confirm": _("Only a worker of this community may confirm hours of its activities."),
    "bank_manage": _("Only a community or street worker may move hours of this community's time bank."),
    "store_manage": _("Only a community or street worker may keep this community's points store."),
    "honour_review": _("Only a community or street worker may review this community's honours."),
    "rules_set": _("Only a community or street worker may set this community's points rules."),
}


TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
may_manage_anywhere = TABLE.may_manage_anywhere
