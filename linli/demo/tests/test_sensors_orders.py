"""The demo's past alarms end as real ones do: the work order an alarm opened is finished by the grid worker who
went, not left open for weeks after the device cleared the alarm itself (the demo had 8 of its 15 ended alarms'
orders open, breaching and escalating, the oldest from a month ago); only the last few days' are still at work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.appeals.choices import OPEN_STATE_VALUES, AppealState
from linli.appeals.models import Appeal
from linli.demo import grid_log, sensors
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures
from linli.sensors.choices import AlarmState
from linli.sensors.models import Alarm

pytestmark = pytest.mark.xdist_group("test_sensors_orders")

small_run, run, _only_where_asked = small_run_fixtures()


def test_ended_alarms_work_orders_are_done_by_the_worker_but_the_last_few_days(run: DemoRun) -> None:
    grid_log.part(run)
    sensors.part(run)
    recent = timezone.now() - dt.timedelta(days=sensors.STILL_OPEN_DAYS + 1)
    ended = Alarm.objects.exclude(state=AlarmState.ACTIVE)
    assert ended.count() >= 10
    orders = {a.appeal_number: a for a in ended}
    appeals = Appeal.objects.filter(tracking_number__in=orders)
    old_open = [
        (a.tracking_number, a.state)
        for a in appeals
        if a.state in OPEN_STATE_VALUES and orders[a.tracking_number].raised_at < recent
    ]
    assert old_open == []
    still_open = [a for a in appeals if a.state in OPEN_STATE_VALUES]
    assert 1 <= len(still_open) <= 3
    # Those the device cleared: resolved as fixed by the worker who acknowledged the alarm, minutes after the clear.
    by_device = [a for a in ended if not a.false_alarm_reason and a.raised_at < recent]
    assert by_device
    for alarm in by_device:
        appeal = Appeal.objects.get(tracking_number=alarm.appeal_number)
        assert appeal.state == AppealState.RESOLVED
        resolved = appeal.events.get(action="resolve")
        assert resolved.actor_id == alarm.acknowledged_by_id
        assert alarm.cleared_at is not None
        assert dt.timedelta(minutes=2) < resolved.at - alarm.cleared_at < dt.timedelta(minutes=15)
