"""Readings: a batch of device messages taken in (alarms and clears one by one, then every device's last-seen time
and battery in one statement), the ids of alarm and clear messages kept against redelivery, and the map of device
codes a long-running ingest process keeps."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from linli.core.errors import ValidationFailed

from ..choices import AlarmState, Severity
from ..models import Alarm, Device, Message
from .alarms import alarm_clear, alarm_raise
from .common import BATTERY_REPLACED_PCT, LOW_BATTERY_PCT
from .devices import battery_order


@dataclass
class IngestResult:
    readings: int = 0
    heartbeats: int = 0
    alarms_opened: int = 0
    alarms_repeated: int = 0
    cleared: int = 0
    unknown_devices: set[str] = field(default_factory=set)
    rejected: int = 0
    duplicates: int = 0  # alarm/clear messages whose id was already written (a redelivery)
    orders: list[tuple[str, str]] = field(default_factory=list)  # (alarm id, work order) opened in this batch

    def add(self, done: IngestResult) -> None:
        """Count another batch's results into these totals (a file ingested line by line, the MQTT listener)."""
        self.readings += done.readings
        self.heartbeats += done.heartbeats
        self.alarms_opened += done.alarms_opened
        self.alarms_repeated += done.alarms_repeated
        self.cleared += done.cleared
        self.rejected += done.rejected
        self.duplicates += done.duplicates
        self.unknown_devices |= done.unknown_devices
        self.orders.extend(done.orders)


def _epoch(value: Any, now: float) -> float:
    """A message's `ts` (epoch seconds or ISO 8601) as epoch seconds, never later than now."""
    if isinstance(value, (int, float)) and value > 0:
        return min(float(value), now)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return now
        return min((parsed if parsed.tzinfo else timezone.make_aware(parsed)).timestamp(), now)
    return now


def _first_delivery(message: dict[str, Any], now: dt.datetime) -> bool:
    """Record an alarm or clear message's id; False when it was recorded before (QoS 1 redelivers a message whose
    acknowledgement was lost, possibly to another ingest process). A message without an id always counts."""
    mid = str(message.get("id") or "")[:80]
    if not mid:
        return True
    try:
        with transaction.atomic():
            Message.objects.create(mid=mid, at=now)
    except IntegrityError:
        return False
    return True


def messages_forget(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop recorded message ids older than any redelivery could be."""
    return Message.objects.filter(at__lt=timezone.now() - older_than).delete()[0]


class DeviceCodes:
    """Device code → id of the devices in service, for a long-running ingest process: a batch of heartbeats then
    costs no query to find its devices. Codes not known yet are looked up (in bulk) as they first appear; the
    whole map is forgotten every `ttl` seconds, so a device taken out of service or re-registered is seen."""

    def __init__(self, ttl: float = 300.0) -> None:
        self.ttl = ttl
        self.ids: dict[str, int] = {}
        self.loaded = time.monotonic()

    def lookup(self, codes: set[str]) -> dict[str, int]:
        if time.monotonic() - self.loaded > self.ttl:
            self.ids, self.loaded = {}, time.monotonic()
        missing = [c for c in codes if c not in self.ids]
        for i in range(0, len(missing), 5000):
            chunk = missing[i : i + 5000]
            self.ids.update(Device.objects.filter(code__in=chunk, active=True).values_list("code", "pk"))
        return self.ids


def _seen_write(seen: dict[int, list[Any]]) -> None:
    """Last-seen time (only ever forward, whichever process wrote last), battery and online for a batch of devices
    ({id: [epoch seconds, battery or None]}) in one statement: on PostgreSQL an UPDATE … FROM unnest(arrays), on
    SQLite one prepared UPDATE run for every device (executemany). A battery back above BATTERY_REPLACED_PCT
    closes the device's battery task. (Django's bulk_update builds a CASE per row in Python: 6 ms a device.)"""
    if not seen:
        return
    table = connection.ops.quote_name(Device._meta.db_table)
    utc = dt.UTC
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, ats, batteries = [], [], []
            for pk, (at, battery) in seen.items():
                ids.append(pk)
                ats.append(dt.datetime.fromtimestamp(at, utc))
                batteries.append(battery)
            cursor.execute(
                f"UPDATE {table} AS d SET last_seen_at = GREATEST(d.last_seen_at, v.at), "
                "battery_pct = COALESCE(v.battery, d.battery_pct), online = TRUE, offline_since = NULL, "
                f"battery_order = CASE WHEN v.battery >= {BATTERY_REPLACED_PCT} THEN '' ELSE d.battery_order END "
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[]) AS v(id, at, battery) "
                "WHERE d.id = v.id AND d.active",
                [ids, ats, batteries],
            )
            return
        # SQLite keeps a datetime as its naive UTC text (what Django's adapt_datetimefield_value writes), which
        # compares in time order as text.
        rows = []
        for pk, (at, battery) in seen.items():
            text = str(dt.datetime.fromtimestamp(at, utc).replace(tzinfo=None))
            rows.append((text, text, battery, battery, pk))
        cursor.executemany(
            f"UPDATE {table} SET last_seen_at = CASE WHEN last_seen_at IS NULL OR last_seen_at < %s THEN %s "
            "ELSE last_seen_at END, battery_pct = COALESCE(%s, battery_pct), online = 1, offline_since = NULL, "
            f"battery_order = CASE WHEN %s >= {BATTERY_REPLACED_PCT} THEN '' ELSE battery_order END "
            "WHERE id = %s AND active",
            rows,
        )


def readings_ingest(messages: Iterable[dict[str, Any]], *, codes: DeviceCodes | None = None) -> IngestResult:
    """A batch of decoded device messages: {"id": message id, "device": code, "type": "heartbeat" | "alarm" |
    "clear", "alarm": "smoke", "severity": "critical", "battery": 87, "ts": epoch seconds}. Alarms and clears
    first, one by one (an alarm's work order should not wait for the heartbeats); then the last-seen time and
    battery of every device heard, in one statement (heartbeats of one device in the batch coalesce: the newest
    time, the newest battery). A long-running process passes its `codes` map so that heartbeats need no query to
    find their devices; the per-message work is a few dictionary operations on plain floats."""
    now = timezone.now()
    clock = now.timestamp()
    result = IngestResult()
    batch = [m for m in messages if isinstance(m, dict)]
    result.readings = len(batch)
    ids = (codes or DeviceCodes()).lookup({str(m.get("device", "")) for m in batch})
    seen: dict[int, list[Any]] = {}
    events: list[tuple[str, dict[str, Any]]] = []
    for m in batch:
        code = str(m.get("device", ""))
        pk = ids.get(code)
        if pk is None:
            result.unknown_devices.add(code[:64])
            continue
        kind = m.get("type")
        if kind == "heartbeat":
            result.heartbeats += 1
        elif kind in ("alarm", "clear"):
            events.append((code, m))
        else:
            result.rejected += 1
            continue
        at = _epoch(m.get("ts"), clock)
        battery = m.get("battery")
        battery = int(battery) if isinstance(battery, (int, float)) and 0 <= battery <= 100 else None
        heard = seen.get(pk)
        if heard is None:
            seen[pk] = [at, battery]
        elif heard[0] <= at:
            heard[0] = at
            if battery is not None:
                heard[1] = battery
    if events:
        _events_ingest(events, now, result)
    _seen_write(seen)
    low = [pk for pk, (_at, battery) in seen.items() if battery is not None and battery < LOW_BATTERY_PCT]
    if low:
        for device in Device.objects.filter(pk__in=low, battery_order="").select_related(
            "grid", "venue", "building", "household"
        ):
            device.battery_pct = seen[device.pk][1]
            battery_order(device, now)
    return result


def _events_ingest(events: list[tuple[str, dict[str, Any]]], now: dt.datetime, result: IngestResult) -> None:
    devices = {
        d.code: d
        for d in Device.objects.filter(code__in={code for code, _m in events}).select_related(
            "grid__org_node", "venue", "building", "household"
        )
    }
    clock = now.timestamp()
    for code, m in events:
        with transaction.atomic():  # one commit an alarm: its id, the alarm, its work order, the notices
            _event_ingest(devices[code], m, now, clock, result)


def _event_ingest(
    device: Device, m: dict[str, Any], now: dt.datetime, clock: float, result: IngestResult
) -> None:
    at = dt.datetime.fromtimestamp(_epoch(m.get("ts"), clock), dt.UTC)
    if not _first_delivery(m, now):
        result.duplicates += 1
        return
    alarm_type = str(m.get("alarm") or device.kind)
    if m["type"] == "alarm":
        if Alarm.objects.filter(
            device=device, type=alarm_type, state=AlarmState.CLEARED, clear_sent_at__gte=at
        ).exists():  # sent before the clear that closed its alarm, delivered after it
            result.alarms_repeated += 1
            return
        try:
            alarm, created = alarm_raise(
                device=device,
                type=alarm_type,
                severity=str(m.get("severity") or Severity.CRITICAL),
                published_at=at,
            )
        except ValidationFailed:
            result.rejected += 1
            return
        if created:
            result.alarms_opened += 1
            result.orders.append((str(alarm.pk), alarm.appeal_number))
        else:
            result.alarms_repeated += 1
    else:
        open_alarm = Alarm.objects.filter(device=device, type=alarm_type, state=AlarmState.ACTIVE).first()
        if open_alarm is not None:
            alarm_clear(actor=None, alarm=open_alarm)
            Alarm.objects.filter(pk=open_alarm.pk).update(clear_sent_at=at)
            result.cleared += 1
