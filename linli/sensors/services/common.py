"""What the rooms of sensors' services share: who is told of an alarm or a silent device (inbox and SMS), what an
alarm's texts are about (to withdraw them once it is over), where an alarm's page is, the category of fire safety
that sensors' work orders are filed under, and the battery levels that open and close a battery task."""

from __future__ import annotations

from collections.abc import Iterable

from linli.accounts.models import User
from linli.appeals.models import Category
from linli.core.outbox import notification_create, sms_enqueue

from ..models import Alarm, Device

FIRE_CATEGORY = "public_safety.fire_safety"
LOW_BATTERY_PCT = 20
BATTERY_REPLACED_PCT = 50


def grid_workers(device: Device) -> list[User]:
    return list(device.grid.workers.filter(is_active=True))


def tell(users: Iterable[User], title: str, body: str, url: str, about: str = "") -> None:
    for user in users:
        notification_create(user=user, title=title, body=body, url=url)
        if user.phone:
            sms_enqueue(phone=str(user.phone), text=f"{title}：{body}", about=about)


def alarm_about(alarm: Alarm) -> str:
    """What an alarm's text messages are about: once the alarm is over, those not sent yet are withdrawn."""
    return f"sensors.alarm:{alarm.pk}"


def alarm_url(alarm: Alarm) -> str:
    return f"/sensors/alarms/{alarm.pk}/"


def fire_category() -> str:
    return FIRE_CATEGORY if Category.objects.filter(code=FIRE_CATEGORY, active=True).exists() else ""
