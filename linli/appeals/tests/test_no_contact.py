"""An appeal with nobody to contact — a sensor's work order or a patrol report given with no contact phone, and no
resident (intake's NO_CONTACT_CHANNELS) — has no first-contact clock and no callback. Before, it was given a contact
deadline all the same: the worker marked it missed at every tier it passed through (标记超期：联系时限), its page
said 逾期 13 分钟联系居民 once it was resolved, and when its rating window passed the community was given a
callback task with no number to call, which closed only after three calls recorded as not getting through. Now it
closes when the rating window passes, its trace saying why; an appeal with a contact phone is called back as before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from linli.appeals import services
from linli.appeals.models import Appeal, CallbackTask
from linli.appeals.tests.factories import resolve_by_grid_worker, submit
from linli.testing import Cast, at, run_worker

ALARM = "传感器 SD-0001（烟感探测器，3号楼楼道）发出紧急级烟雾告警，请立即前往处置。"
PATROL = "巡查发现3号楼东侧井盖缺失，已设置临时围挡，需尽快更换井盖。"


def _sensor_order(cast: Cast, **kw: Any) -> Appeal:
    """A sensor's work order as the sensors app opens it: the system submits it, with no contact at all."""
    return submit(cast, actor=None, kind="help", channel="sensor", title="烟雾告警", description=ALARM, **kw)


def _patrol_report(cast: Cast, **kw: Any) -> Appeal:
    """The grid worker's patrol report of what they found themselves: no contact phone given."""
    return submit(cast, actor=cast.grid_worker, channel="patrol", title="井盖缺失", description=PATROL, **kw)


def test_a_sensor_order_or_a_patrol_report_with_no_phone_gets_no_contact_clock(cast: Cast) -> None:
    sensor, patrol = _sensor_order(cast), _patrol_report(cast)
    called = _patrol_report(cast, contact_name="王大爷", contact_phone="13800138000")
    for appeal in (sensor, patrol):
        assert appeal.contact_phone == "" and appeal.resident_id is None
        assert appeal.contact_due_at is None
        assert appeal.ack_due_at is not None and appeal.resolve_due_at is not None
    assert called.contact_due_at is not None
    # Escalated, the tier above gets fresh clocks: still none to call anyone by.
    services.appeal_escalate(actor=cast.grid_worker, appeal=sensor, reason="需要社区协调处置")
    sensor.refresh_from_db()
    assert sensor.unit_node == cast.compound and sensor.contact_due_at is None


def test_the_worker_marks_no_contact_missed_on_an_appeal_with_nobody_to_contact(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        sensor, called = _sensor_order(cast), submit(cast)
        # A row an earlier version gave a contact clock keeps it in the table, but it is not missed either.
        earlier = _patrol_report(cast)
        Appeal.objects.filter(pk=earlier.pk).update(contact_due_at=at(2026, 11, 2, 12, 0))
        for appeal in (sensor, called, earlier):
            services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        traveller.move_to(at(2026, 11, 3, 10, 30))  # past one working day
        assert "appeals.contact_breaches=1" in run_worker()
    assert Appeal.objects.get(pk=called.pk).contact_breached_at is not None
    for appeal in (sensor, earlier):
        appeal.refresh_from_db()
        assert appeal.contact_breached_at is None
        assert not appeal.events.filter(action="breach", data__clock="contact").exists()


def test_with_nobody_to_call_back_it_closes_when_the_rating_window_passes_with_no_callback_task(
    cast: Cast,
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        sensor, patrol, called = _sensor_order(cast), _patrol_report(cast), submit(cast)
        for appeal in (sensor, patrol, called):
            resolve_by_grid_worker(cast, appeal, note="已到场处置，隐患已排除。")
        traveller.move_to(at(2026, 11, 4, 10, 0))  # inside the rating window: nothing yet
        run_worker()
        assert Appeal.objects.filter(state="resolved").count() == 3
        closed_at = at(2026, 11, 5, 10, 1)
        traveller.move_to(closed_at)
        run_worker()
        run_worker()  # a second pass finds nothing more
    for appeal in (sensor, patrol):
        appeal.refresh_from_db()
        assert appeal.state == "closed" and appeal.closed_at == closed_at
        assert appeal.callback_due_at is None
        assert appeal.first_contact_at is None  # nobody was contacted; the resolution does not say so
        assert not CallbackTask.objects.filter(appeal=appeal).exists()
        close = appeal.events.get(action="close")
        assert close.actor_id is None and "无需回访" in close.reason
    # The appeal with a phone is called back as before.
    called.refresh_from_db()
    assert called.state == "resolved"
    assert CallbackTask.objects.get(appeal=called).status == "open"


def test_a_row_given_a_contact_clock_before_gets_no_callback_task_either(cast: Cast) -> None:
    """An appeal resolved before this change (its contact clock set and its callback due) is closed by the job,
    not given a callback."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        sensor = _sensor_order(cast)
        resolve_by_grid_worker(cast, sensor)
        Appeal.objects.filter(pk=sensor.pk).update(
            contact_due_at=at(2026, 11, 2, 11, 0), first_contact_at=at(2026, 11, 2, 12, 0)
        )
        traveller.move_to(at(2026, 11, 5, 10, 1))
        run_worker()
    sensor.refresh_from_db()
    assert sensor.state == "closed"
    assert not CallbackTask.objects.filter(appeal=sensor).exists()


def test_its_page_and_the_api_say_no_contact_deadline_and_offer_no_contact_step(
    cast: Cast, client_for: Any
) -> None:
    sensor = _sensor_order(cast)
    # A row of an earlier version, its contact clock long past and its resolution taken for the first contact.
    earlier = _sensor_order(cast, idempotency_key="sensor-alarm-2")
    resolve_by_grid_worker(cast, earlier)
    past = earlier.created_at - dt.timedelta(hours=1)
    Appeal.objects.filter(pk=earlier.pk).update(contact_due_at=past)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=sensor)
    worker = client_for("grid_worker")
    for appeal in (sensor, earlier):
        page = worker.get(f"/appeals/{appeal.pk}/").content.decode()
        assert "联系时限" not in page and "联系居民" not in page and "与居民联系" not in page
        assert worker.get(f"/api/appeals/{appeal.pk}").json()["contact_due_at"] is None
    assert "contact" not in worker.get(f"/api/appeals/{sensor.pk}").json()["actions"]
    called = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=called)
    page = worker.get(f"/appeals/{called.pk}/").content.decode()
    assert "联系时限" in page and "记录与居民联系" in page


def test_a_sensor_order_is_not_split(cast: Cast) -> None:
    """A sensor's order is one device's one alarm, written by the machine: never several issues to split (the
    classifier read its words as two). A patrol report with no phone is a person's words, and may be."""
    from linli.appeals.permissions import actions_for

    sensor, patrol = _sensor_order(cast), _patrol_report(cast)
    for appeal in (sensor, patrol):
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        appeal.refresh_from_db()
    assert "split" not in actions_for(cast.grid_worker, sensor)
    assert "split" in actions_for(cast.grid_worker, patrol)
    # Waiting on someone stays: a sensor in a shop waits for its owner to open the door.
    assert "pause" in actions_for(cast.grid_worker, sensor)
