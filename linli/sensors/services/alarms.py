"""Alarms: raise one as a work order (once per open alarm, however many messages arrive), acknowledge, clear, mark
false, escalate.

An alarm's work order goes through appeals' own intake on the `sensor` channel (emergency priority: the short
clock of the SLA rules), filed under fire safety, located at the device's grid and place; its grid workers get an
inbox entry and an SMS at once. Escalation widens the circle every few minutes while nobody acknowledges:
community workers, then the street, then the district."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.choices import AppealKind, Channel, Priority
from linli.appeals.services import appeal_submit
from linli.core.errors import Conflict, invalid
from linli.core.outbox import outbox_withdraw
from linli.core.roles import Role
from linli.core.scoping import person
from linli.core.validators import clean_text
from linli.territory.selectors import Viewer

from .. import appeal_link, permissions
from ..choices import AlarmAction, AlarmOutcome, AlarmState, AlarmType, Severity
from ..models import Alarm, AlarmEvent, Device
from .common import alarm_about, alarm_url, fire_category, grid_workers, tell

# While nobody acknowledges: after each wait, who is told next (roles at the alarm's community, street, district).
ESCALATION: list[tuple[dt.timedelta, frozenset[str]]] = [
    (dt.timedelta(minutes=3), frozenset({Role.GRID_LEADER, Role.COMMUNITY_WORKER})),
    (dt.timedelta(minutes=5), frozenset({Role.STREET_OFFICER})),
    (dt.timedelta(minutes=10), frozenset({Role.DISTRICT_LEADER})),
]


def _event(alarm: Alarm, action: str, *, actor: Viewer = None, note: str = "", at: dt.datetime) -> None:
    AlarmEvent.objects.create(alarm=alarm, action=action, actor=person(actor), note=note[:200], at=at)


def _order(alarm: Alarm) -> None:
    """Open the alarm's work order through appeals' intake (once: the idempotency key is the alarm's)."""
    device = alarm.device
    category = fire_category()
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
        device_code=device.code,  # its possible duplicates are this device's own open orders
    )
    ordered_at = timezone.now()  # after intake's work: the alarm's page shows how long the order took
    Alarm.objects.filter(pk=alarm.pk).update(appeal_number=appeal.tracking_number, ordered_at=ordered_at)
    alarm.appeal_number, alarm.ordered_at = appeal.tracking_number, ordered_at
    _event(alarm, AlarmAction.ORDERED, note=appeal.tracking_number, at=ordered_at)
    tell(
        grid_workers(device),
        _("Fire alarm: %(place)s") % {"place": label},
        _("%(type)s at %(where)s, work order %(number)s. Acknowledge it in Linli.")
        % {
            "type": alarm.get_type_display(),
            "where": device.location or label,
            "number": appeal.tracking_number,
        },
        alarm_url(alarm),
        about=alarm_about(alarm),
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
        alarm.acknowledged_by = person(actor)
        alarm.save(update_fields=["acknowledged_at", "acknowledged_by", "escalate_at", "updated_at"])
        note = appeal_link.sentences(note, appeal_link.order_acknowledge(actor, alarm))
        _event(alarm, AlarmAction.ACKNOWLEDGED, actor=actor, note=note, at=now)
    return alarm


def alarm_clear(
    *, actor: Viewer, alarm: Alarm, false_alarm_reason: str = ""
) -> tuple[Alarm, appeal_link.OrderEnd | None]:
    """The alarm is over (the device said so, or a worker who checked); a false alarm needs its reason, and may be
    said after a clear. Its outcome is recorded: handled on site, reset by the device, or false. Its work order
    follows when the person may finish it (appeal_link); otherwise its history says the order waits, and a false
    alarm's order still open with another handler, or finished before, gets a note saying it was false.
    Returns the alarm and what became of its work order (None when it has none)."""
    with _handling(actor, alarm, "reason", false_alarm_reason) as (alarm, reason, now):
        if reason and alarm.false_alarm_reason:
            raise Conflict(_("This alarm is already marked as a false alarm."))
        if not reason and alarm.state == AlarmState.CLEARED:
            raise Conflict(_("This alarm is already cleared."))
        fields = ["updated_at", "outcome"]
        if alarm.state == AlarmState.ACTIVE:
            alarm.state, alarm.cleared_at, alarm.escalate_at = AlarmState.CLEARED, now, None
            fields += ["state", "cleared_at", "escalate_at"]
            outbox_withdraw(about=alarm_about(alarm))  # a fire alarm texted after it is over only alarms
            alarm.outcome = AlarmOutcome.DEVICE if person(actor) is None else AlarmOutcome.HANDLED
        if reason:
            alarm.false_alarm_reason = reason
            alarm.outcome = AlarmOutcome.FALSE
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
        tell(
            people,
            _("Unacknowledged fire alarm: %(place)s") % {"place": alarm.device.place_label},
            _("%(type)s, no one has acknowledged it for %(n)s minutes. Work order %(number)s.")
            % {"type": alarm.get_type_display(), "n": minutes, "number": alarm.appeal_number},
            alarm_url(alarm),
            about=alarm_about(alarm),
        )
    return True
