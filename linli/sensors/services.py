"""Every write of sensors: register a device, take in readings, raise an alarm as a work order (once per open
alarm, however many messages arrive), acknowledge, clear, mark false, escalate, mark devices offline.

An alarm's work order goes through appeals' own intake on the `sensor` channel (emergency priority: the short
clock of the SLA rules), filed under fire safety, located at the device's grid and place; its grid workers get an
inbox entry and an SMS at once. Escalation widens the circle every few minutes while nobody acknowledges:
community workers, then the street, then the district."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.choices import AppealKind, Channel, Priority
from linli.appeals.models import Category
from linli.appeals.services import appeal_submit
from linli.core.errors import Conflict, ValidationFailed, invalid
from linli.core.outbox import notification_create, outbox_withdraw, sms_enqueue
from linli.core.roles import Role
from linli.core.validators import clean_text
from linli.territory.models import Building, Grid, Household, Venue
from linli.territory.selectors import Viewer

from . import appeal_link, permissions
from .choices import HEARTBEAT_TIMEOUT, AlarmAction, AlarmState, AlarmType, DeviceKind, Severity
from .models import Alarm, AlarmEvent, Device, Message

FIRE_CATEGORY = "public_safety.fire_safety"
LOW_BATTERY_PCT = 20
BATTERY_REPLACED_PCT = 50
# While nobody acknowledges: after each wait, who is told next (roles at the alarm's community, street, district).
ESCALATION: list[tuple[dt.timedelta, frozenset[str]]] = [
    (dt.timedelta(minutes=3), frozenset({Role.GRID_LEADER, Role.COMMUNITY_WORKER})),
    (dt.timedelta(minutes=5), frozenset({Role.STREET_OFFICER})),
    (dt.timedelta(minutes=10), frozenset({Role.DISTRICT_LEADER})),
]


def _event(alarm: Alarm, action: str, *, actor: Viewer = None, note: str = "", at: dt.datetime) -> None:
    person = actor if isinstance(actor, User) else None
    AlarmEvent.objects.create(alarm=alarm, action=action, actor=person, note=note[:200], at=at)


def device_register(
    *,
    actor: User | None,
    code: str,
    kind: str,
    venue: Venue | None = None,
    building: Building | None = None,
    household: Household | None = None,
    location: str = "",
    installer: str = "",
    installed_on: dt.date | None = None,
) -> Device:
    """A device bound to the venue, building or household it protects (exactly one), in that place's grid."""
    code = clean_text("code", code, most=64, label=_("Code"))
    if not code:
        raise invalid("code", _("A value is required."))
    location = clean_text("location", location, most=100, label=_("Location"))
    installer = clean_text("installer", installer, most=100, label=_("Installed by"))
    if kind not in DeviceKind.values:
        raise invalid("kind", _("Choose a kind of sensor."))
    if sum(x is not None for x in (venue, building, household)) != 1:
        raise invalid("venue", _("Bind the sensor to one venue, building or household."))
    grid: Grid
    if venue is not None:
        grid, lng, lat = venue.grid, venue.lng, venue.lat
    elif building is not None:
        grid, lng, lat = building.grid, building.lng, building.lat
    else:
        assert household is not None
        grid, lng, lat = household.building.grid, household.building.lng, household.building.lat
    permissions.require(actor, "device_manage", grid.org_node.path)
    if Device.objects.filter(code=code).exists():
        raise Conflict(_("A sensor with this code is already registered."), extra={"field": "code"})
    return Device.objects.create(
        code=code,
        kind=kind,
        grid=grid,
        org_path=grid.org_node.path,
        venue=venue,
        building=building,
        household=household,
        location=location,
        lng=lng,
        lat=lat,
        installer=installer,
        installed_on=installed_on,
    )


def device_update(
    *,
    actor: User | None,
    device: Device,
    location: str | None = None,
    installer: str | None = None,
    installed_on: dt.date | None = None,
) -> Device:
    """Change where a device hangs, who installed it and when (None leaves a value as it is)."""
    permissions.require(actor, "device_manage", device.org_path)
    fields = ["updated_at"]
    for name, value, label in (
        ("location", location, _("Location")),
        ("installer", installer, _("Installed by")),
    ):
        if value is not None:
            setattr(device, name, clean_text(name, value, most=100, label=label))
            fields.append(name)
    if installed_on is not None:
        device.installed_on = installed_on
        fields.append("installed_on")
    device.save(update_fields=fields)
    return device


def _grid_workers(device: Device) -> list[User]:
    return list(device.grid.workers.filter(is_active=True))


def _tell(users: Iterable[User], title: str, body: str, url: str, about: str = "") -> None:
    for user in users:
        notification_create(user=user, title=title, body=body, url=url)
        if user.phone:
            sms_enqueue(phone=str(user.phone), text=f"{title}：{body}", about=about)


def _about(alarm: Alarm) -> str:
    """What an alarm's text messages are about: once the alarm is over, those not sent yet are withdrawn."""
    return f"sensors.alarm:{alarm.pk}"


def _alarm_url(alarm: Alarm) -> str:
    return f"/sensors/alarms/{alarm.pk}/"


def _order(alarm: Alarm) -> None:
    """Open the alarm's work order through appeals' intake (once: the idempotency key is the alarm's)."""
    device = alarm.device
    category = _fire_category()
    label = device.place_label
    appeal = appeal_submit(
        actor=None,
        kind=AppealKind.HELP,
        channel=Channel.SENSOR,
        title=_("%(type)s alarm at %(place)s") % {"type": alarm.get_type_display(), "place": label},
        description=_(
            "Sensor %(code)s (%(kind)s, %(where)s) raised a %(severity)s %(type)s alarm at %(at)s. Go at once."
        )
        % {
            "code": device.code,
            "kind": device.get_kind_display(),
            "where": device.location or label,
            "severity": alarm.get_severity_display(),
            "type": alarm.get_type_display(),
            "at": f"{timezone.localtime(alarm.published_at):%Y-%m-%d %H:%M:%S}",
        },
        category_code=category,
        priority=Priority.EMERGENCY,
        grid=device.grid,
        lng=device.lng,
        lat=device.lat,
        address=label[:200],
        idempotency_key=f"sensor-alarm-{alarm.pk}",
    )
    ordered_at = timezone.now()  # after intake's work: the alarm's page shows how long the order took
    Alarm.objects.filter(pk=alarm.pk).update(appeal_number=appeal.tracking_number, ordered_at=ordered_at)
    alarm.appeal_number, alarm.ordered_at = appeal.tracking_number, ordered_at
    _event(alarm, AlarmAction.ORDERED, note=appeal.tracking_number, at=ordered_at)
    _tell(
        _grid_workers(device),
        _("Fire alarm: %(place)s") % {"place": label},
        _("%(type)s at %(where)s, work order %(number)s. Acknowledge it in Linli.")
        % {
            "type": alarm.get_type_display(),
            "where": device.location or label,
            "number": appeal.tracking_number,
        },
        _alarm_url(alarm),
        about=_about(alarm),
    )


def alarm_raise(
    *, device: Device, type: str, severity: str = Severity.CRITICAL, published_at: dt.datetime | None = None
) -> tuple[Alarm, bool]:
    """The device's open alarm of this type, counted once more; or a new alarm with its work order.
    Returns (alarm, created). Near-simultaneous duplicates meet the database's one-open-alarm constraint: the
    loser counts its message on the winner's alarm."""
    if type not in AlarmType.values:
        raise invalid("type", _("Unknown alarm type."))
    if severity not in Severity.values:
        severity = Severity.CRITICAL
    now = timezone.now()
    published_at = published_at or now
    open_alarm = Q(device=device, type=type, state=AlarmState.ACTIVE)
    with transaction.atomic():
        if Alarm.objects.filter(open_alarm).update(messages=F("messages") + 1, last_message_at=now):
            return Alarm.objects.get(open_alarm), False
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    device=device,
                    type=type,
                    severity=severity,
                    org_path=device.org_path,
                    published_at=published_at,
                    raised_at=now,
                    last_message_at=now,
                    escalate_at=now + ESCALATION[0][0],
                )
        except IntegrityError:
            Alarm.objects.filter(open_alarm).update(messages=F("messages") + 1, last_message_at=now)
            return Alarm.objects.get(open_alarm), False
        alarm.device = device
        _event(alarm, AlarmAction.RAISED, note=alarm.get_severity_display(), at=now)
        _order(alarm)
    return alarm, True


@contextmanager
def _handling(actor: Viewer, alarm: Alarm, field: str, text: str) -> Iterator[tuple[Alarm, str, dt.datetime]]:
    """A person handling an alarm: may they (the table), their text within its limit, then the row locked."""
    permissions.require(actor, "alarm_handle", alarm.org_path)
    text = clean_text(field, text, most=200)
    with transaction.atomic():
        locked = Alarm.objects.select_for_update().select_related("device__grid__org_node").get(pk=alarm.pk)
        yield locked, text, timezone.now()


def alarm_acknowledge(*, actor: Viewer, alarm: Alarm, note: str = "") -> Alarm:
    """Someone responsible is on the alarm: escalation stops; they sign its work order if they may (appeal_link)."""
    with _handling(actor, alarm, "note", note) as (alarm, note, now):
        if alarm.acknowledged_at is not None:
            raise Conflict(_("This alarm was already acknowledged."))
        alarm.acknowledged_at, alarm.escalate_at = now, None
        alarm.acknowledged_by = actor if isinstance(actor, User) else None
        alarm.save(update_fields=["acknowledged_at", "acknowledged_by", "escalate_at", "updated_at"])
        note = appeal_link.sentences(note, appeal_link.order_acknowledge(actor, alarm))
        _event(alarm, AlarmAction.ACKNOWLEDGED, actor=actor, note=note, at=now)
    return alarm


def alarm_clear(
    *, actor: Viewer, alarm: Alarm, false_alarm_reason: str = ""
) -> tuple[Alarm, appeal_link.OrderEnd | None]:
    """The alarm is over (the device said so, or a worker who checked); a false alarm needs its reason. Its work
    order follows when the person may finish it (appeal_link); otherwise its history says the order waits.
    Returns the alarm and what became of its work order (None when it has none)."""
    with _handling(actor, alarm, "reason", false_alarm_reason) as (alarm, reason, now):
        if reason and alarm.false_alarm_reason:
            raise Conflict(_("This alarm is already marked as a false alarm."))
        if not reason and alarm.state == AlarmState.CLEARED:
            raise Conflict(_("This alarm is already cleared."))
        fields = ["updated_at"]
        if alarm.state == AlarmState.ACTIVE:
            alarm.state, alarm.cleared_at, alarm.escalate_at = AlarmState.CLEARED, now, None
            fields += ["state", "cleared_at", "escalate_at"]
            outbox_withdraw(about=_about(alarm))  # a fire alarm texted after it is over only alarms
        if reason:
            alarm.false_alarm_reason = reason
            fields.append("false_alarm_reason")
        alarm.save(update_fields=fields)
        action = AlarmAction.FALSE_ALARM if reason else AlarmAction.CLEARED
        _event(alarm, action, actor=actor, note=reason, at=now)
        order = appeal_link.order_finish(actor, alarm, false_alarm_reason=reason)
        if order is not None and order.message:
            _event(alarm, AlarmAction.ORDER, actor=actor, note=order.message, at=now)
    return alarm, order


def alarm_mark_false(
    *, actor: Viewer, alarm: Alarm, reason: str
) -> tuple[Alarm, appeal_link.OrderEnd | None]:
    if not (reason or "").strip():
        raise invalid("reason", _("Say why it was a false alarm (cooking smoke, dust, a test …)."))
    return alarm_clear(actor=actor, alarm=alarm, false_alarm_reason=reason)


def _people_at(alarm: Alarm, roles: frozenset[str]) -> list[User]:
    chain = alarm.device.grid.org_node.chain()
    return list(User.objects.filter(is_active=True, role__in=roles, org_node__in=chain))


def alarm_escalate(*, alarm_pk: int, now: dt.datetime | None = None) -> bool:
    """One step up for an active alarm nobody acknowledged whose escalation is due (compare-and-swap on the level,
    so two workers never escalate the same step twice)."""
    now = now or timezone.now()
    alarm = Alarm.objects.select_related("device__grid__org_node").get(pk=alarm_pk)
    level = alarm.escalation_level
    if level >= len(ESCALATION):
        return False
    nxt = now + ESCALATION[level + 1][0] if level + 1 < len(ESCALATION) else None
    with transaction.atomic():
        won = Alarm.objects.filter(
            pk=alarm.pk,
            state=AlarmState.ACTIVE,
            acknowledged_at__isnull=True,
            escalation_level=level,
            escalate_at__lte=now,
        ).update(escalation_level=level + 1, escalate_at=nxt)
        if not won:
            return False
        people = _people_at(alarm, ESCALATION[level][1])
        minutes = int((now - alarm.raised_at).total_seconds() // 60)
        _event(
            alarm, AlarmAction.ESCALATED, note=", ".join(p.display_name or p.username for p in people), at=now
        )
        _tell(
            people,
            _("Unacknowledged fire alarm: %(place)s") % {"place": alarm.device.place_label},
            _("%(type)s, no one has acknowledged it for %(n)s minutes. Work order %(number)s.")
            % {"type": alarm.get_type_display(), "n": minutes, "number": alarm.appeal_number},
            _alarm_url(alarm),
            about=_about(alarm),
        )
    return True


def devices_mark_offline(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Devices silent past their kind's heartbeat timeout: marked offline (compare-and-swap), their grid workers
    and the venue's person in charge told."""
    now = now or timezone.now()
    done = 0
    for kind, timeout in HEARTBEAT_TIMEOUT.items():
        silent = Device.objects.filter(active=True, online=True, kind=kind, last_seen_at__lt=now - timeout)
        for device in silent.select_related("grid", "venue", "building", "household")[:limit]:
            with transaction.atomic():
                if not Device.objects.filter(pk=device.pk, online=True).update(
                    online=False, offline_since=now
                ):
                    continue
                title = _("Sensor offline: %(code)s") % {"code": device.code}
                body = _("%(kind)s at %(place)s has sent nothing since %(at)s.") % {
                    "kind": device.get_kind_display(),
                    "place": device.place_label,
                    "at": f"{timezone.localtime(device.last_seen_at):%m-%d %H:%M}"
                    if device.last_seen_at
                    else "-",
                }
                _tell(_grid_workers(device), title, body, "/sensors/")
                if device.venue is not None and device.venue.contact_phone:
                    sms_enqueue(phone=device.venue.contact_phone, text=f"{title}：{body}")
                done += 1
    return done


def _fire_category() -> str:
    return FIRE_CATEGORY if Category.objects.filter(code=FIRE_CATEGORY, active=True).exists() else ""


def _battery_order(device: Device, now: dt.datetime) -> None:
    appeal = appeal_submit(
        actor=None,
        kind=AppealKind.HELP,
        channel=Channel.SENSOR,
        title=_("Replace the battery of sensor %(code)s") % {"code": device.code},
        description=_(
            "Sensor %(code)s (%(kind)s) at %(place)s reports %(pct)s%% battery. Replace it before it goes silent."
        )
        % {
            "code": device.code,
            "kind": device.get_kind_display(),
            "place": device.place_label,
            "pct": device.battery_pct,
        },
        category_code=_fire_category(),  # fire-safety equipment: no need to classify the text
        grid=device.grid,
        lng=device.lng,
        lat=device.lat,
        address=device.place_label[:200],
        idempotency_key=f"sensor-battery-{device.pk}-{now:%Y%m%d}",
    )
    Device.objects.filter(pk=device.pk).update(battery_order=appeal.tracking_number)


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
            _battery_order(device, now)
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
