"""Who may act on service places: the one table of actions and the roles that may take them (core.actions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

ACTION_RULES: dict[str, frozenset[str]] = {
    "place_manage": frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN}),
}

DENIED = {
    "place_manage": _("Only a community or street worker of this area may manage its service places."),
}

TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
may_anywhere = TABLE.may_manage_anywhere
