"""Who may act in co-building: the one table of actions and the staff roles that may take them.

Every action is taken in a community (the need's, the order's, the fund's): a staff member may act when their
role is in the action's row and the community lies in their part of the tree (administrators everywhere). A
resident's own steps (order, rate, post a wish, thank) and a provider's own steps (fulfil an order assigned to
them) need no row: the service checks the person. The system (demo, jobs) acts as None and is not checked.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

MANAGERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "lists_manage": MANAGERS | {Role.GRID_WORKER},  # needs and resources; confirm matches
    "project_manage": MANAGERS,  # projects formed from matches, their progress
    "order_dispatch": MANAGERS,  # take an order and assign it, or refuse it
    "wish_manage": MANAGERS | {Role.GRID_WORKER},  # post a wish on a resident's behalf
    "fund_record": MANAGERS,  # record income, request payments
    "fund_approve": frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN}),  # approve payments
}

DENIED = {
    "lists_manage": _("Only a worker of this community may change its needs and resources."),
    "project_manage": _("Only a community or street worker may change this community's projects."),
    "order_dispatch": _("Only a community or street worker may take this community's orders."),
    "wish_manage": _("Only a worker of this community may post wishes for its residents."),
    "fund_record": _("Only a community or street worker may record this community's fund."),
    "fund_approve": _("Only a community or street worker may approve spending of this community's fund."),
}


TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
may_manage_anywhere = TABLE.may_manage_anywhere

offered = TABLE.offered_in  # what a page offers in the communities its forms can name (core.actions)
