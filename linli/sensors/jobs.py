"""Background work: escalate alarms nobody acknowledged, mark silent devices offline."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .choices import AlarmState
from .models import Alarm
from .services import alarm_escalate, devices_mark_offline, messages_forget

BATCH = 200


def escalate_due_alarms() -> int:
    """Claim due, unacknowledged active alarms (SKIP LOCKED: workers share them) and move each one step up."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Alarm.objects.filter(state=AlarmState.ACTIVE, acknowledged_at__isnull=True, escalate_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("escalate_at")
            .values_list("pk", flat=True)[:BATCH]
        )
        return sum(1 for pk in due if alarm_escalate(alarm_pk=pk, now=now))


def mark_offline() -> int:
    return devices_mark_offline()


def forget_messages() -> int:
    return messages_forget()


JOBS = {
    "sensors.escalate": escalate_due_alarms,
    "sensors.offline": mark_offline,
    "sensors.forget": forget_messages,
}
