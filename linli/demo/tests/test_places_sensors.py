"""The demo's places and sensors parts: service places with walking circles on the demo's roads, coverage with
gaps, a sensor fleet with a month of alarms (each one work order), one alarm sounding now, devices offline."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.accounts.models import User
from linli.appeals.models import Appeal
from linli.demo import grid_log, places, sensors
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures
from linli.places.coverage import coverage_for
from linli.places.models import Place
from linli.sensors.models import Alarm, Device

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_places_sensors")


# The small district, built once for this module's tests; each rolls back what it wrote.
small_run, run, _only_where_asked = small_run_fixtures()


def test_places_have_circles_and_coverage_has_gaps(run: DemoRun) -> None:
    places.part(run)
    assert run.district is not None
    assert Place.objects.filter(kind="party_centre").count() == len(run.district.communities)
    assert all(p.circles.get("15") for p in Place.objects.all())
    found = coverage_for(User.objects.get(username="leader"))
    assert found.total.households > 0
    covered = found.total.covered
    assert 0 < covered["station"][0] <= found.total.households
    assert covered["outdoor_station"][0] < covered["station"][0]


def test_sensor_fleet_and_history(run: DemoRun) -> None:
    grid_log.part(run)
    sensors.part(run)
    assert Device.objects.count() > 20
    assert not Device.objects.filter(is_demo=False).exists()  # all marked as the demo's
    assert Device.objects.filter(online=False).count() == 3
    alarms = Alarm.objects.all()
    assert alarms.filter(state="active", acknowledged_at__isnull=True).count() == 1
    assert alarms.exclude(false_alarm_reason="").exists()
    assert all(a.messages >= 1 and a.appeal_number for a in alarms)
    numbers = set(alarms.values_list("appeal_number", flat=True))
    assert Appeal.objects.filter(channel="sensor", tracking_number__in=numbers).count() == alarms.count()


def test_each_alarm_s_work_order_opens_seconds_after_its_device_sent_it(run: DemoRun) -> None:
    """The overview's 告警到工单 (the median from a device's message to its work order) read 0.0 秒 on the demo: its
    alarms were written as if each message reached the platform the instant the device sent it. A message says
    when it was sent (`ts`) and arrives a second or a few later, as over a real network."""
    from linli.sensors.selectors import overview

    grid_log.part(run)
    sensors.part(run)
    alarms = Alarm.objects.exclude(ordered_at=None)
    assert alarms.exists()
    waits = [(a.ordered_at - a.published_at).total_seconds() for a in alarms]
    assert all(0.5 <= w <= 6 for w in waits), waits
    assert overview("", dt.date(2000, 1, 1), dt.date(2100, 1, 1))["order_s"] >= 0.5


def test_the_grid_log_s_follow_ups_are_done_days_after_their_visits_and_few_wait_a_week(run: DemoRun) -> None:
    # A grid worker does what a visit asked within days: the demo had half of a month's follow-ups open (some for
    # four weeks) and marked the rest done at the moment the demo was built.
    from django.utils import timezone

    from linli.territory.models import Visit

    grid_log.part(run)
    now = timezone.now()
    asked = Visit.objects.exclude(follow_up="")
    done = asked.exclude(follow_up_done_at=None)
    assert done.exists()
    for visit in done:
        assert visit.visited_at + dt.timedelta(hours=12) < visit.follow_up_done_at < now  # type: ignore[operator]
        assert visit.follow_up_done_at - visit.visited_at < dt.timedelta(days=5)  # type: ignore[operator]
    week_old = asked.filter(visited_at__lt=now - dt.timedelta(days=7))
    assert week_old.filter(follow_up_done_at=None).count() <= week_old.count() * 0.2
    assert all(9 <= timezone.localtime(v.visited_at).hour <= 17 for v in Visit.objects.all())


def test_the_worker_finishes_the_orders_of_alarms_the_device_cleared_but_the_last_two(run: DemoRun) -> None:
    """The device's own clear leaves an alarm's work order with its handler (linli.sensors.appeal_link): the demo
    left every such order open, the oldest a month old, climbing the tiers. The grid worker who acknowledged the
    alarm resolves it through appeals' own service minutes after the clear, as done on site; only the last two stay
    open, past their deadline by now, so the appeals' deadline jobs mark them late at it (test_whole_demo)."""
    from django.utils import timezone

    from linli.demo import appeals_deadlines

    grid_log.part(run)
    sensors.part(run)
    ended = list(Alarm.objects.exclude(state="active").order_by("raised_at"))
    orders = {
        a.tracking_number: a
        for a in Appeal.objects.filter(tracking_number__in=[e.appeal_number for e in ended])
    }
    by_device = [a for a in ended if not a.false_alarm_reason]
    assert len(by_device) > sensors.STILL_OPEN
    finished, still = by_device[: -sensors.STILL_OPEN], by_device[-sensors.STILL_OPEN :]
    for alarm in finished:
        order = orders[alarm.appeal_number]
        assert (order.state, order.outcome) == ("resolved", "fixed"), alarm.appeal_number
        assert order.resolution_note == sensors.SITE_NOTES[alarm.type]
        resolved = order.events.get(action="resolve")
        assert alarm.acknowledged_by_id is not None and resolved.actor_id == alarm.acknowledged_by_id
        assert alarm.cleared_at is not None
        assert dt.timedelta(minutes=2) < resolved.at - alarm.cleared_at < dt.timedelta(minutes=13)
    # The false alarms' orders were finished by the worker who marked them, with the reason.
    for alarm in ended:
        if alarm.false_alarm_reason:
            order = orders[alarm.appeal_number]
            assert order.state == "resolved" and order.resolution_note == f"误报：{alarm.false_alarm_reason}"
    # Open: exactly the last two the device cleared, days ago, past their deadline.
    now = timezone.now()
    assert [a for a in ended if orders[a.appeal_number].is_open] == still
    for alarm in still:
        order = orders[alarm.appeal_number]
        assert alarm.raised_at < now - dt.timedelta(days=1)
        assert order.resolve_due_at is not None and order.resolve_due_at < now and order.breached_at is None
    appeals_deadlines.appeal_jobs_catch_up()
    for alarm in still:
        order = Appeal.objects.get(tracking_number=alarm.appeal_number)
        assert order.is_open and order.breached_at is not None and order.resolve_due_at is not None
        assert dt.timedelta(0) <= order.breached_at - order.resolve_due_at < dt.timedelta(hours=1)
