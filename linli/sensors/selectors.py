"""Reads of sensors and alarms, scoped by the org tree (a grid worker sees their grids' area, admins all)."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from linli.appeals.choices import OPEN_STATE_VALUES
from linli.appeals.permissions import Actor
from linli.appeals.selectors import appeals_visible_to
from linli.core.roles import GRID_ROLES
from linli.core.scoping import get_or_404, is_admin, is_signed_in, scope_by_org
from linli.territory.selectors import Viewer, grids_visible_to

from .choices import AlarmOutcome, AlarmState
from .models import Alarm, Device
from .services import LOW_BATTERY_PCT


def _own_grids[M: Device | Alarm](qs: QuerySet[M], user: Viewer, grid_field: str) -> QuerySet[M]:
    """The org tree's scope, and for the grid roles (whose account sits on a compound or community) only their
    own grids, as in the territory (`territory.selectors.grids_visible_to`)."""
    qs = scope_by_org(qs, user, "org_path")
    if is_signed_in(user) and not is_admin(user) and user.role in GRID_ROLES:
        qs = qs.filter(**{f"{grid_field}__in": grids_visible_to(user).values("pk")})
    return qs


def devices_visible_to(user: Viewer) -> QuerySet[Device]:
    return _own_grids(Device.objects.select_related("grid", "venue", "building", "household"), user, "grid")


def alarms_visible_to(user: Viewer) -> QuerySet[Alarm]:
    return _own_grids(
        Alarm.objects.select_related(
            "device__grid", "device__venue", "device__building", "device__household", "acknowledged_by"
        ),
        user,
        "device__grid",
    )


def alarms_ended_order_open(user: Actor) -> QuerySet[Alarm]:
    """The alarms over (cleared, false, or cleared by the device itself) whose work order, one the reader sees, is
    still open: the device's clear leaves the order with its handler, and it stays at work (its clocks running,
    escalated up the tiers) until someone finishes it."""
    open_orders = appeals_visible_to(user).filter(state__in=OPEN_STATE_VALUES).values("tracking_number")
    return alarms_visible_to(user).exclude(state=AlarmState.ACTIVE).filter(appeal_number__in=open_orders)


def alarm_get_for(user: Viewer, pk: int) -> Alarm:
    return get_or_404(alarms_visible_to(user).prefetch_related("events__actor"), pk=pk)


def device_figures(user: Viewer) -> dict[str, int]:
    return devices_visible_to(user).aggregate(
        n_total=Count("id", filter=Q(active=True)),
        n_online=Count("id", filter=Q(active=True, online=True)),
        n_offline=Count("id", filter=Q(active=True, online=False)),
        n_low_battery=Count("id", filter=Q(active=True, battery_pct__lt=LOW_BATTERY_PCT)),
    )


def _median(values: list[float], digits: int) -> float | None:
    """The median of `values` (the mean of the middle two when there is an even number of them), rounded; None
    for none. The overview's other medians are taken the same way (appeals.figures.median_from_histogram)."""
    return round(statistics.median(values), digits) if values else None


def false_pct(false: int, alarms: int) -> int | None:
    """The false-alarm rate: false alarms as a whole percentage of all alarms (None for no alarms)."""
    return round(false * 100 / alarms) if alarms else None


def alarm_figures(user: Viewer, *, days: int = 30) -> dict[str, float | int | None]:
    """Open and unacknowledged alarms now; in the last `days`: how many, false ones and their share, and the
    median minutes from an alarm to its acknowledgement."""
    since = timezone.now() - dt.timedelta(days=days)
    alarms = alarms_visible_to(user)
    recent = list(
        alarms.filter(raised_at__gte=since).values_list("raised_at", "acknowledged_at", "false_alarm_reason")
    )
    waits = [(ack - raised).total_seconds() / 60 for raised, ack, _r in recent if ack is not None]
    false = sum(1 for _r, _a, reason in recent if reason)
    return {
        "active": alarms.filter(state=AlarmState.ACTIVE).count(),
        "unacknowledged": alarms.filter(state=AlarmState.ACTIVE, acknowledged_at__isnull=True).count(),
        "recent": len(recent),
        "false": false,
        "false_pct": false_pct(false, len(recent)),
        "median_ack_min": _median(waits, 1),
    }


# The periods the figures page offers, in days.
FIGURE_DAYS = (30, 90, 365)


def false_alarm_rates(user: Viewer, *, days: int = 30) -> dict[str, Any]:
    """The false-alarm rate over the alarms raised in the last `days` that the reader sees: in all, by the
    compound (or community) of the sensor's grid, and by sensor (those that raised any), the most false first. Each
    row: its alarms (`n`), false ones (`false`) and their share (`pct`); a compound's row its `node` name, a
    sensor's its `device` id (`with_devices` puts the sensor there, for a page of them). Three queries."""
    since = timezone.now() - dt.timedelta(days=days)
    alarms = alarms_visible_to(user).filter(raised_at__gte=since).order_by()
    false = Q(outcome=AlarmOutcome.FALSE)
    total = alarms.aggregate(n=Count("id"), false=Count("id", filter=false))
    nodes: list[dict[str, Any]] = [
        dict(row)
        for row in alarms.values(node=F("device__grid__org_node__name"), node_id=F("device__grid__org_node"))
        .annotate(n=Count("id"), false=Count("id", filter=false))
        .order_by("-false", "-n", "node")
    ]
    per_device: list[dict[str, Any]] = [
        dict(row)
        for row in alarms.values("device")
        .annotate(n=Count("id"), false=Count("id", filter=false))
        .order_by("-false", "-n", "device__code")
    ]
    for row in [*nodes, *per_device]:
        row["pct"] = false_pct(row["false"], row["n"])
    return {
        "days": days,
        "n": total["n"],
        "false": total["false"],
        "pct": false_pct(total["false"], total["n"]),
        "nodes": nodes,
        "devices": per_device,
    }


def with_devices(user: Viewer, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of `false_alarm_rates`' sensors with each sensor itself (and what it protects) in place of its id, in
    one query."""
    devices = devices_visible_to(user).in_bulk([row["device"] for row in rows])
    return [{**row, "device": devices[row["device"]]} for row in rows if row["device"] in devices]


def overview(path: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Fire sensors in an area (org path prefix, "" for all) for the dashboard: devices in service and online
    now; alarms raised in the period, false ones and their share, the median seconds from an alarm's message to its work order
    and the median minutes to its acknowledgement; alarms open and unacknowledged now."""
    devices = Device.objects.filter(org_path__startswith=path, active=True).aggregate(
        total=Count("id"), online=Count("id", filter=Q(online=True))
    )
    alarms = Alarm.objects.filter(org_path__startswith=path)
    period = list(
        alarms.filter(raised_at__date__range=(start, end)).values_list(
            "published_at", "raised_at", "ordered_at", "acknowledged_at", "false_alarm_reason"
        )
    )
    to_order = [(o - p).total_seconds() for p, _r, o, _a, _f in period if o is not None]
    to_ack = [(a - r).total_seconds() / 60 for _p, r, _o, a, _f in period if a is not None]
    false = sum(1 for *_x, reason in period if reason)
    return {
        "devices": devices["total"],
        "online": devices["online"],
        "online_pct": round(devices["online"] * 100 / devices["total"]) if devices["total"] else None,
        "alarms": len(period),
        "false": false,
        "false_pct": false_pct(false, len(period)),
        "order_s": _median(to_order, 1),
        "ack_min": _median(to_ack, 1),
        "open_unacknowledged": alarms.filter(state=AlarmState.ACTIVE, acknowledged_at__isnull=True).count(),
    }
