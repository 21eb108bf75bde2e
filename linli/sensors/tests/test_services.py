from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine

from linli.appeals.models import Appeal
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.sensors import jobs, services
from linli.sensors.ingest import decode_line, ingest_lines
from linli.sensors.models import Alarm, Device
from linli.testing import Cast, at


def alarm_message(code: str = "SD-0001", **extra: object) -> dict[str, object]:
    return {"device": code, "type": "alarm", "alarm": "smoke", "severity": "critical", **extra}


def test_duplicate_messages_make_one_alarm_and_one_work_order(cast: Cast, device: Device) -> None:
    result = services.readings_ingest([alarm_message(), alarm_message(), alarm_message()])
    assert (result.alarms_opened, result.alarms_repeated) == (1, 2)
    services.readings_ingest([alarm_message()])  # the detector keeps sounding
    alarm = Alarm.objects.get()
    assert alarm.messages == 4
    orders = Appeal.objects.filter(channel="sensor")
    assert orders.count() == 1
    order = orders.get()
    assert order.tracking_number == alarm.appeal_number
    assert order.grid == cast.grid
    assert order.priority == "emergency"
    assert "老王家常菜" in order.title
    assert Notification.objects.filter(user=cast.grid_worker, url=f"/sensors/alarms/{alarm.pk}/").exists()
    # The order names its device: its possible duplicates are that device's own open orders (appeals' similarity).
    assert order.device_code == device.code


def test_an_alarm_racing_its_twin_counts_on_the_winner(device: Device) -> None:
    first, created = services.alarm_raise(device=device, type="smoke")
    assert created
    second, created_again = services.alarm_raise(device=device, type="smoke")
    assert not created_again and second.pk == first.pk
    other, created_other = services.alarm_raise(device=device, type="tamper")
    assert created_other and other.pk != first.pk  # one open alarm per device *and type*


def test_a_cleared_alarm_lets_the_next_one_open_a_new_order(device: Device) -> None:
    services.readings_ingest([alarm_message()])
    services.readings_ingest([{"device": "SD-0001", "type": "clear", "alarm": "smoke"}])
    assert Alarm.objects.get().state == "cleared"
    services.readings_ingest([alarm_message()])
    assert Alarm.objects.count() == 2
    assert Appeal.objects.filter(channel="sensor").count() == 2


def test_an_alarm_message_sent_before_the_clear_but_delivered_after_it_opens_nothing(device: Device) -> None:
    """Two listeners in a shared subscription: the detector's repeat reaches the slower one, which writes it after
    the other wrote the clear."""
    t0 = time.time() - 60
    services.readings_ingest([alarm_message(id="a-1", ts=t0)])
    services.readings_ingest(
        [{"id": "c-1", "device": "SD-0001", "type": "clear", "alarm": "smoke", "ts": t0 + 2}]
    )
    late = services.readings_ingest([alarm_message(id="a-2", ts=t0 + 0.5)])
    assert (late.alarms_opened, late.alarms_repeated) == (0, 1)
    assert Alarm.objects.count() == 1 and Appeal.objects.filter(channel="sensor").count() == 1
    again = services.readings_ingest([alarm_message(id="a-3", ts=t0 + 3)])  # a new fire after the clear
    assert again.alarms_opened == 1 and Alarm.objects.count() == 2


def test_unknown_devices_and_bad_messages_are_counted_not_written(device: Device) -> None:
    result = services.readings_ingest([alarm_message("NOPE"), {"device": "SD-0001", "type": "reboot"}, "x"])  # type: ignore[list-item]
    assert result.unknown_devices == {"NOPE"}
    assert result.rejected == 1
    assert not Alarm.objects.exists()


def test_escalation_while_nobody_acknowledges(cast: Cast, device: Device) -> None:
    with time_machine.travel(at(2026, 12, 7, 10, 0), tick=False):
        alarm, _created = services.alarm_raise(device=device, type="smoke")
        assert jobs.escalate_due_alarms() == 0
    with time_machine.travel(at(2026, 12, 7, 10, 3, 1), tick=False):
        assert jobs.escalate_due_alarms() == 1
        assert jobs.escalate_due_alarms() == 0  # the same step never twice
    alarm.refresh_from_db()
    assert alarm.escalation_level == 1
    assert Notification.objects.filter(user=cast.community_worker, title__contains="老王家常菜").exists()
    assert not Notification.objects.filter(user=cast.street_officer).exists()
    with time_machine.travel(at(2026, 12, 7, 10, 8, 2), tick=False):
        assert jobs.escalate_due_alarms() == 1
    assert Notification.objects.filter(user=cast.street_officer).exists()
    assert not Notification.objects.filter(user=cast.outsider).exists()


def test_acknowledging_stops_escalation(cast: Cast, device: Device) -> None:
    with time_machine.travel(at(2026, 12, 7, 10, 0), tick=False):
        alarm, _created = services.alarm_raise(device=device, type="smoke")
    with time_machine.travel(at(2026, 12, 7, 10, 1), tick=False):
        services.alarm_acknowledge(actor=cast.grid_worker, alarm=alarm)
        with pytest.raises(Conflict):
            services.alarm_acknowledge(actor=cast.grid_worker, alarm=alarm)
    with time_machine.travel(at(2026, 12, 7, 10, 30), tick=False):
        assert jobs.escalate_due_alarms() == 0
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == cast.grid_worker and alarm.escalation_level == 0


def test_only_workers_of_the_area_handle_alarms(cast: Cast, device: Device) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    for person in (cast.outsider, cast.resident, cast.department_handler):
        with pytest.raises(PermissionDenied):
            services.alarm_acknowledge(actor=person, alarm=alarm)


def test_a_false_alarm_needs_its_reason(cast: Cast, device: Device) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    with pytest.raises(ValidationFailed):
        services.alarm_mark_false(actor=cast.grid_worker, alarm=alarm, reason="  ")
    services.alarm_mark_false(actor=cast.grid_worker, alarm=alarm, reason="后厨炒菜油烟")
    alarm.refresh_from_db()
    assert (alarm.state, alarm.false_alarm_reason) == ("cleared", "后厨炒菜油烟")
    # The false alarm's work order is finished with it (the grid worker holds it), which the history says last.
    assert list(alarm.events.values_list("action", flat=True)) == [
        "raised",
        "ordered",
        "false_alarm",
        "order",
    ]


def test_silent_devices_go_offline_and_their_people_hear(cast: Cast, device: Device) -> None:
    with time_machine.travel(at(2026, 12, 7, 8, 0), tick=False):
        services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 90}])
    with time_machine.travel(at(2026, 12, 7, 13, 59), tick=False):
        assert jobs.mark_offline() == 0  # smoke detectors may be silent 6 hours
    with time_machine.travel(at(2026, 12, 7, 14, 1), tick=False):
        assert jobs.mark_offline() == 1
        assert jobs.mark_offline() == 0
    device.refresh_from_db()
    assert not device.online
    assert Notification.objects.filter(user=cast.grid_worker, title__contains="SD-0001").exists()
    with time_machine.travel(at(2026, 12, 7, 15, 0), tick=False):
        services.readings_ingest([{"device": "SD-0001", "type": "heartbeat"}])
    device.refresh_from_db()
    assert device.online and device.offline_since is None


def test_low_battery_becomes_one_maintenance_order(device: Device) -> None:
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 15}])
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 14}])
    device.refresh_from_db()
    orders = Appeal.objects.filter(channel="sensor", title__contains="SD-0001")
    assert orders.count() == 1 and device.battery_order == orders.get().tracking_number
    assert orders.get().device_code == device.code
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 100}])  # replaced
    device.refresh_from_db()
    assert device.battery_order == ""


def test_broker_lines_are_decoded_and_batched(device: Device) -> None:
    assert decode_line('linli/sensors/SD-0001/alarm {"type": "alarm", "alarm": "smoke"}') == {
        "type": "alarm",
        "alarm": "smoke",
        "device": "SD-0001",
    }
    assert decode_line("not json") is None
    ts = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(seconds=5)).timestamp()
    lines = [
        f'linli/sensors/SD-0001/heartbeat {{"type": "heartbeat", "battery": 80, "ts": {ts}}}',
        "",
        "garbage",
    ]
    result = ingest_lines([*lines, '{"device": "SD-0001", "type": "alarm", "alarm": "smoke"}'])
    assert (result.readings, result.heartbeats, result.alarms_opened) == (2, 1, 1)
    device.refresh_from_db()
    assert device.battery_pct == 80


def test_registering_refuses_a_taken_code_and_wrong_binding(cast: Cast, device: Device) -> None:
    with pytest.raises(Conflict):
        services.device_register(
            actor=cast.community_worker, code="SD-0001", kind="smoke", building=cast.building
        )
    with pytest.raises(ValidationFailed):
        services.device_register(actor=cast.community_worker, code="SD-2", kind="smoke")
    with pytest.raises(PermissionDenied):
        services.device_register(actor=cast.grid_worker, code="SD-3", kind="smoke", building=cast.building)


def test_an_alarms_texts_not_sent_yet_are_withdrawn_once_it_is_over(cast: Cast, device: Device) -> None:
    """A fire alarm texted after it was cleared (the gateway was down, the retry came later) only alarms: its
    texts still waiting are dropped when it ends; another alarm's text and what was sent stay."""
    from linli.core.models import OutboxMessage

    cast.grid_worker.phone = "13700002222"
    cast.grid_worker.save(update_fields=["phone"])
    services.readings_ingest([alarm_message()])
    services.readings_ingest([{"device": "SD-0001", "type": "alarm", "alarm": "heat"}])
    smoke, heat = Alarm.objects.get(type="smoke"), Alarm.objects.get(type="heat")
    waiting = OutboxMessage.objects.filter(channel="sms", status="pending", recipient="13700002222")
    assert waiting.count() == 2
    services.readings_ingest([{"device": "SD-0001", "type": "clear", "alarm": "smoke"}])
    assert [m.payload["about"] for m in waiting.all()] == [f"sensors.alarm:{heat.pk}"]
    services.alarm_mark_false(actor=cast.grid_worker, alarm=heat, reason="维保测试")
    assert not waiting.all().exists()
    assert smoke.appeal_number and heat.appeal_number  # the work orders stay: only the texts went


def test_sentences_follow_a_chinese_full_stop_without_a_space() -> None:
    """An alarm's history and messages put sentences one after another: 。 takes no space after it (it read
    "告警已解除。 工单 …"), a Chinese note typed without a stop gets one, English keeps its space."""
    from linli.sensors.appeal_link import sentences

    assert sentences("告警已解除。", "工单 A1 已随告警办结。") == "告警已解除。工单 A1 已随告警办结。"
    assert sentences("马上到", "工单 A1 已签收。") == "马上到。工单 A1 已签收。"
    assert sentences("", "工单 A1 已签收。") == "工单 A1 已签收。"
    assert sentences("马上到！", "") == "马上到！"
    assert sentences("On my way.", "Work order A1 acknowledged.") == "On my way. Work order A1 acknowledged."
