"""A text typed too long for a sensor or an alarm is refused whole, the field and its limit named, never cut; the
page it was typed on gets it back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from linli.core.errors import ValidationFailed
from linli.sensors import services
from linli.sensors.models import Device
from linli.testing import Cast
from linli.testing.kept import kept_input, limit_given

REASON = "油烟，" * 70  # 210 characters: over the 200 a false alarm's reason may have


def test_a_false_alarm_reason_too_long_is_refused_whole_and_given_back(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client = client_for("grid_worker")
    limit_given(client, f"/sensors/alarms/{alarm.pk}/", "reason", 200)
    back = client.post(
        f"/sensors/alarms/{alarm.pk}/clear/", {"false_alarm": "1", "reason": REASON}, follow=True
    ).content.decode()
    assert "原因太长：最多 200 个字（您已输入 210 个字）" in back
    assert kept_input(back)["reason"] == REASON  # the whole text, for the field
    alarm.refresh_from_db()
    assert alarm.false_alarm_reason == "" and alarm.cleared_at is None  # nothing saved, nothing cut
    again = client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert "kept-input" not in again  # given back once


def test_registering_a_sensor_refuses_a_location_too_long_rather_than_cutting_it(cast: Cast) -> None:
    device = Device.objects.get()  # the fixture's, to bind the new one beside it
    with pytest.raises(ValidationFailed) as refused:
        services.device_register(
            actor=cast.community_worker,
            code="SD-0002",
            kind="smoke",
            venue=device.venue,
            location="后厨灶台上方" * 17,  # 102 characters
        )
    assert refused.value.extra["field"] == "location"
    assert str(refused.value.message) == "位置太长：最多 100 个字（您已输入 102 个字）。"
    assert Device.objects.count() == 1
    with pytest.raises(ValidationFailed, match="安装单位太长"):
        services.device_update(actor=cast.community_worker, device=device, installer="平安消防" * 26)
    device.refresh_from_db()
    assert device.installer == "平安消防"


@pytest.fixture(autouse=True)
def _device(device: Device) -> Device:
    return device
