"""Sensors API (mounted under /api/sensors): devices and alarms of the caller's area, acknowledging and clearing
an alarm, and a batch ingest endpoint for gateways that post readings over HTTP instead of MQTT (staff or
integration accounts only). Writes go through the same services as the pages and the MQTT ingest."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.roles import Role
from linli.territory.schemas import ErrorOut

from . import selectors, services
from .models import Alarm, Device

router = Router(tags=["sensors"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
INGEST_MAX = 5000


class DeviceOut(Schema):
    code: str
    kind: str
    grid: str
    place: str
    online: bool
    last_seen_at: dt.datetime | None
    battery_pct: int | None


class AlarmOut(Schema):
    id: int
    device: str
    type: str
    severity: str
    state: str
    raised_at: dt.datetime
    messages: int
    appeal_number: str
    acknowledged_at: dt.datetime | None
    escalation_level: int
    false_alarm_reason: str
    outcome: str  # how it ended: handled (on site), device (reset by the device), false; "" while it is on


class OrderEndOut(Schema):
    """What became of the alarm's work order as the alarm ended: `resolved` (finished with it), `closed` (finished
    and closed, when the one who cleared it is the tier that closes it), `waiting` (left with its handler: the
    order went to another unit, or the caller may not finish it) or `over` (finished before). `message` is the
    sentence the alarm's page shows ("" when over before, unless a false alarm's note was added to the order)."""

    number: str
    fate: Literal["resolved", "closed", "waiting", "over"]
    message: str


class AlarmClearedOut(AlarmOut):
    """The alarm as it ended, with what became of its work order (null for an alarm without one)."""

    order: OrderEndOut | None


class DevicePage(Schema):
    """A page of devices (core.api_paging): `count` of all, `items` of this page."""

    count: int
    items: list[DeviceOut]


class AlarmPage(Schema):
    count: int
    items: list[AlarmOut]


class ClearIn(Schema):
    false_alarm_reason: str = ""


class AckIn(Schema):
    note: str = ""


class IngestIn(Schema):
    readings: list[dict[str, Any]]


class IngestOut(Schema):
    readings: int
    heartbeats: int
    alarms_opened: int
    alarms_repeated: int
    cleared: int
    rejected: int
    unknown_devices: list[str]


def _device(d: Device) -> dict[str, Any]:
    return {
        "code": d.code,
        "kind": d.kind,
        "grid": d.grid.code,
        "place": d.place_label,
        "online": d.online,
        "last_seen_at": d.last_seen_at,
        "battery_pct": d.battery_pct,
    }


def _alarm(a: Alarm) -> dict[str, Any]:
    return {
        "id": a.pk,
        "device": a.device.code,
        "type": a.type,
        "severity": a.severity,
        "state": a.state,
        "raised_at": a.raised_at,
        "messages": a.messages,
        "appeal_number": a.appeal_number,
        "acknowledged_at": a.acknowledged_at,
        "escalation_level": a.escalation_level,
        "false_alarm_reason": a.false_alarm_reason,
        "outcome": a.outcome,
    }


@router.get("/devices", response={200: DevicePage, **ERRORS})
def device_list(
    request: HttpRequest, offline: bool = False, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The devices of the caller's area (only those offline if asked) by code, a page at a time."""
    devices = selectors.devices_visible_to(staff_caller(request))
    if offline:
        devices = devices.filter(online=False)
    return page(devices.order_by("code", "pk"), limit, offset, _device)


@router.get("/alarms", response={200: AlarmPage, **ERRORS})
def alarm_list(
    request: HttpRequest, open_only: bool = True, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The alarms of the caller's area (only the active ones unless `open_only=false`), newest first, a page at a
    time."""
    alarms = selectors.alarms_visible_to(staff_caller(request))
    if open_only:
        alarms = alarms.filter(state="active")
    return page(alarms.order_by("-raised_at", "-id"), limit, offset, _alarm)


@router.post("/alarms/{pk}/acknowledge", response={200: AlarmOut, **ERRORS})
def alarm_acknowledge(request: HttpRequest, pk: int, payload: AckIn) -> dict[str, Any]:
    user = staff_caller(request)
    alarm = services.alarm_acknowledge(actor=user, alarm=selectors.alarm_get_for(user, pk), note=payload.note)
    return _alarm(selectors.alarm_get_for(user, alarm.pk))


@router.post("/alarms/{pk}/clear", response={200: AlarmClearedOut, **ERRORS})
def alarm_clear(request: HttpRequest, pk: int, payload: ClearIn) -> dict[str, Any]:
    """The alarm handled (处置完毕), or a false alarm with `false_alarm_reason` (误报): its work order is finished
    in the same step when the caller may, and the answer's `order` says what became of it."""
    user = staff_caller(request)
    alarm = selectors.alarm_get_for(user, pk)
    if payload.false_alarm_reason.strip():
        _ended, order = services.alarm_mark_false(actor=user, alarm=alarm, reason=payload.false_alarm_reason)
    else:
        _ended, order = services.alarm_clear(actor=user, alarm=alarm)
    ended = {"number": order.number, "fate": order.fate, "message": order.message} if order else None
    return {**_alarm(selectors.alarm_get_for(user, pk)), "order": ended}


@router.post("/ingest", response={200: IngestOut, **ERRORS})
def ingest(request: HttpRequest, payload: IngestIn) -> dict[str, Any]:
    """A gateway's batch of readings (the same messages as over MQTT). Administrators' integration accounts only."""
    user = staff_caller(request)
    if user.role != Role.ADMIN:
        raise PermissionDenied(_("Only an integration account of the administrators may post readings."))
    if len(payload.readings) > INGEST_MAX:
        raise ValidationFailed(_("At most %(n)s readings per request.") % {"n": INGEST_MAX})
    result = services.readings_ingest(payload.readings)
    return {
        "readings": result.readings,
        "heartbeats": result.heartbeats,
        "alarms_opened": result.alarms_opened,
        "alarms_repeated": result.alarms_repeated,
        "cleared": result.cleared,
        "rejected": result.rejected,
        "unknown_devices": sorted(result.unknown_devices)[:100],
    }
