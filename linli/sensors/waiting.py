"""Fire alarms nobody has acknowledged, first on a member of staff's home (core.todo)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Viewer
from linli.core.todo import Todo

from .choices import AlarmState
from .selectors import alarms_visible_to


def _unacknowledged(user: Viewer) -> int:
    return alarms_visible_to(user).filter(state=AlarmState.ACTIVE, acknowledged_at__isnull=True).count()


TODOS = [
    Todo(
        "sensors.alarms",
        _("Fire alarms nobody has acknowledged"),
        "sensors:alarms",
        _unacknowledged,
        urgent=True,
        rank=0,
    )
]
