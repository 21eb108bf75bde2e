"""Working-day calendar and deadline rules, with the real Chinese holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from linli.appeals import services, sla
from linli.appeals.choices import ClockUnit
from linli.appeals.models import Category
from linli.appeals.tests.factories import submit
from linli.core import workdays
from linli.core.errors import PermissionDenied
from linli.testing import Cast, at


@pytest.mark.django_db  # the calendar reads the administrator's entries
def test_national_day_2026_is_off_and_the_saturday_after_is_a_working_day() -> None:
    assert not workdays.is_workday(dt.date(2026, 10, 1))
    assert not workdays.is_workday(dt.date(2026, 10, 7))
    assert workdays.is_workday(dt.date(2026, 10, 10))  # Saturday, make-up working day
    assert not workdays.is_workday(dt.date(2026, 10, 11))  # Sunday
    assert workdays.next_workday(dt.date(2026, 9, 30)) == dt.date(2026, 10, 8)


@pytest.mark.django_db  # the calendar reads the administrator's entries
def test_add_working_time_skips_the_holiday_and_uses_the_makeup_day() -> None:
    # Wed 30 Sep 17:00 + 2 working hours → Thu 8 Oct 10:00 (1 h on the 30th, then the holiday).
    assert workdays.add_working_time(at(2026, 9, 30, 17, 0), hours=2) == at(2026, 10, 8, 10, 0)
    # Fri 9 Oct 15:00 + 1 working day → Sat 10 Oct 15:00 (make-up day).
    assert workdays.add_working_time(at(2026, 10, 9, 15, 0), days=1) == at(2026, 10, 10, 15, 0)
    # Starting at night counts from the next opening.
    assert workdays.add_working_time(at(2026, 10, 9, 22, 0), hours=1) == at(2026, 10, 10, 10, 0)
    # Ending exactly at closing time stays there.
    assert workdays.add_working_time(at(2026, 10, 12, 9, 0), hours=9) == at(2026, 10, 12, 18, 0)


@pytest.mark.django_db  # the calendar reads the administrator's entries
def test_working_seconds_between_counts_only_working_hours() -> None:
    # Wed 30 Sep 16:00 → Thu 8 Oct 11:00: 2 h + 2 h.
    assert workdays.working_seconds_between(at(2026, 9, 30, 16, 0), at(2026, 10, 8, 11, 0)) == 4 * 3600
    assert workdays.working_seconds_between(at(2026, 10, 3, 10, 0), at(2026, 10, 4, 10, 0)) == 0
    assert (
        workdays.working_seconds_between(at(2026, 10, 9, 9, 0), at(2026, 10, 12, 9, 0))
        == 2 * workdays.SECONDS_PER_DAY
    )
    assert workdays.working_seconds_between(at(2026, 10, 12, 9, 0), at(2026, 10, 9, 9, 0)) == 0


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        workdays.add_working_time(dt.datetime(2026, 10, 9, 9, 0), hours=1)  # noqa: DTZ001


@pytest.mark.django_db
def test_shipped_rules_pick_emergency_utilities_ordinary_and_complex() -> None:
    utilities = Category.objects.get(code="utilities.water_supply")
    road = Category.objects.get(code="transport.traffic_congestion")
    emergency = sla.rule_for(kind="help", category=road, tier="grid", priority="emergency")
    water = sla.rule_for(kind="complaint", category=utilities, tier="street", priority="normal")
    ordinary = sla.rule_for(kind="complaint", category=road, tier="street", priority="normal")
    complex_ = sla.rule_for(kind="complaint", category=road, tier="department", priority="normal")
    assert emergency is not None and (emergency.resolve_amount, emergency.resolve_unit) == (
        2,
        ClockUnit.HOURS,
    )
    assert water is not None and (water.resolve_amount, water.resolve_unit) == (24, ClockUnit.HOURS)
    assert ordinary is not None and (ordinary.resolve_amount, ordinary.resolve_unit) == (
        7,
        ClockUnit.WORKING_DAYS,
    )
    assert complex_ is not None and (complex_.resolve_amount, complex_.resolve_unit) == (
        15,
        ClockUnit.WORKING_DAYS,
    )


def test_emergency_clock_runs_through_the_holiday(cast: Cast) -> None:
    with time_machine.travel(at(2026, 10, 2, 20, 0), tick=False):
        appeal = submit(
            cast, priority="emergency", kind="help", description="楼里燃气味很重，老人独居，请马上处理！"
        )
    assert appeal.resolve_due_at == at(2026, 10, 2, 22, 0)
    assert appeal.ack_due_at == at(2026, 10, 2, 20, 15)


def test_utilities_have_24_calendar_hours(cast: Cast) -> None:
    with time_machine.travel(at(2026, 10, 9, 16, 0), tick=False):
        appeal = submit(
            cast, category_code="utilities.water_supply", description="整栋楼停水两天了，没有任何通知。"
        )
    assert appeal.resolve_due_at == at(2026, 10, 10, 16, 0)
    assert appeal.tier == "street"


def test_pause_on_the_resident_moves_calendar_clocks_by_elapsed_time(cast: Cast) -> None:
    with time_machine.travel(at(2026, 10, 9, 16, 0), tick=False) as traveller:
        appeal = submit(
            cast, category_code="utilities.water_supply", description="整栋楼停水两天了，没有任何通知。"
        )
        appeal = services.appeal_acknowledge(actor=cast.street_officer, appeal=appeal)
        traveller.move_to(at(2026, 10, 9, 18, 0))
        appeal = services.appeal_pause(
            actor=cast.street_officer, appeal=appeal, reason="等居民回家开门查看水表"
        )
        traveller.move_to(at(2026, 10, 10, 8, 0))
        appeal = services.appeal_resume(actor=cast.street_officer, appeal=appeal)
    assert appeal.paused_seconds == 14 * 3600
    assert appeal.resolve_due_at == at(2026, 10, 11, 6, 0)


def test_approved_extension_adds_working_days_and_rejection_does_not(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = submit(cast)
        appeal = services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        due = appeal.resolve_due_at
        request = services.appeal_extension_request(
            actor=cast.grid_worker, appeal=appeal, days=3, reason="需要物业采购配件，预计三天到货"
        )
        with pytest.raises(PermissionDenied):
            services.appeal_extension_approve(actor=cast.grid_worker, request=request)
        services.appeal_extension_approve(actor=cast.community_worker, request=request, note="同意")
        appeal.refresh_from_db()
        assert due is not None
        assert appeal.resolve_due_at == workdays.add_working_time(due, days=3)
        second = services.appeal_extension_request(
            actor=cast.grid_worker, appeal=appeal, days=2, reason="配件仍未到货，再申请两天"
        )
        services.appeal_extension_reject(actor=cast.community_worker, request=second, note="请加快协调")
        appeal.refresh_from_db()
        assert appeal.resolve_due_at == workdays.add_working_time(due, days=3)
