"""Reads of sensors and alarms, scoped by the org tree (a grid worker sees their grids' area, admins all)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from linli.core.scoping import get_or_404, scope_by_org
from linli.territory.selectors import Viewer

from .choices import AlarmState
from .models import Alarm, Device
from .services import LOW_BATTERY_PCT


def devices_visible_to(user: Viewer) -> QuerySet[Device]:
    return scope_by_org(
        Device.objects.select_related("grid", "venue", "building", "household"), user, "org_path"
    )


def alarms_visible_to(user: Viewer) -> QuerySet[Alarm]:
    return scope_by_org(
        Alarm.objects.select_related(
            "device__grid", "device__venue", "device__building", "device__household", "acknowledged_by"
        ),
        user,
        "org_path",
    )


def alarm_get_for(user: Viewer, pk: int) -> Alarm:
    return get_or_404(alarms_visible_to(user).prefetch_related("events__actor"), pk=pk)


def device_figures(user: Viewer) -> dict[str, int]:
    return devices_visible_to(user).aggregate(
        n_total=Count("id", filter=Q(active=True)),
        n_online=Count("id", filter=Q(active=True, online=True)),
        n_offline=Count("id", filter=Q(active=True, online=False)),
        n_low_battery=Count("id", filter=Q(active=True, battery_pct__lt=LOW_BATTERY_PCT)),
    )


def alarm_figures(user: Viewer, *, days: int = 30) -> dict[str, float | int | None]:
    """Open and unacknowledged alarms now; in the last `days`: how many, false ones, and the median minutes from
    an alarm to its acknowledgement."""
    since = timezone.now() - dt.timedelta(days=days)
    alarms = alarms_visible_to(user)
    recent = list(
        alarms.filter(raised_at__gte=since).values_list("raised_at", "acknowledged_at", "false_alarm_reason")
    )
    waits = sorted((ack - raised).total_seconds() / 60 for raised, ack, _r in recent if ack is not None)
    return {
        "active": alarms.filter(state=AlarmState.ACTIVE).count(),
        "unacknowledged": alarms.filter(state=AlarmState.ACTIVE, acknowledged_at__isnull=True).count(),
        "recent": len(recent),
        "false": sum(1 for _r, _a, reason in recent if reason),
        "median_ack_min": round(waits[len(waits) // 2], 1) if waits else None,
    }
