"""Who may act on sensors and their alarms: the one table of actions and the roles that may take them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.actions import ActionTable
from linli.core.roles import Role

GRID_STAFF = frozenset({Role.GRID_WORKER, Role.PART_TIME_GRID_WORKER, Role.GRID_LEADER})
AREA_STAFF = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})

ACTION_RULES: dict[str, frozenset[str]] = {
    "alarm_handle": GRID_STAFF | AREA_STAFF,  # acknowledge, clear, mark as false alarm
    "device_manage": AREA_STAFF,  # register devices
}

DENIED = {
    "alarm_handle": _("Only a worker of this area may handle its alarms."),
    "device_manage": _("Only a community or street worker of this area may register its sensors."),
}

TABLE = ActionTable(ACTION_RULES, DENIED)
may = TABLE.may
require = TABLE.require
actions_for = TABLE.actions_for
may_anywhere = TABLE.may_manage_anywhere
