"""The resident's clock (issue 11): a total deadline from receipt, set at intake, kept through escalations and
re-dispatches, shown beside the tier's own deadline and enforced by the worker — an appeal cannot wait
7 + 7 + 7 + 7 + 15 working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import submit
from linli.testing import Cast, at, run_worker


def test_the_total_deadline_is_set_at_intake_and_shown_beside_the_tier_s(cast: Cast, client_for: Any) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = submit(cast)
        # 15 working days from Monday 2 November 10:00 (the default LINLI_APPEAL_TOTAL_WORKING_DAYS).
        assert appeal.total_due_at == at(2026, 11, 23, 10, 0)
        assert appeal.resolve_due_at == at(2026, 11, 11, 10, 0)
        body = client_for("grid_worker").get(f"/api/appeals/{appeal.pk}").json()
        assert dt.datetime.fromisoformat(body["total_due_at"]) == at(2026, 11, 23, 10, 0)
        staff = client_for("grid_worker").get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
        assert "本级办结时限" in staff and "总办结时限" in staff
        assert "2026-11-23 10:00" in staff and "2026-11-11 10:00" in staff
        mine = client_for("resident").get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
        assert "2026-11-23" in mine.content.decode()


def test_escalation_keeps_the_resident_s_clock_and_the_worker_breaches_and_escalates_on_it(
    cast: Cast, settings: Any
) -> None:
    settings.LINLI_APPEAL_TOTAL_WORKING_DAYS = 10
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        total = appeal.total_due_at
        assert total == at(2026, 11, 16, 10, 0)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        traveller.move_to(at(2026, 11, 10, 10, 0))
        services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="涉及多个楼栋，需要协调")
        appeal.refresh_from_db()
        assert appeal.resolve_due_at == at(2026, 11, 19, 10, 0)  # the compound's own fresh 7 days
        assert appeal.total_due_at == total  # the resident's clock runs on
        traveller.move_to(at(2026, 11, 16, 10, 30))
        output = run_worker()
        assert "appeals.total_breaches=1" in output
        assert "appeals.total_breaches=0" in run_worker()
    appeal.refresh_from_db()
    assert appeal.total_breached_at == at(2026, 11, 16, 10, 30)
    assert appeal.tier == "community"  # escalated on the resident's clock, one tier
    events = list(appeal.events.values_list("action", "data"))
    assert ("breach", {"clock": "total"}) in events
    done = services.appeal_resolve(
        actor=cast.community_worker, appeal=appeal, note="已协调物业完成维修处理。"
    )
    assert done.resolved_on_time is False


def test_waiting_on_the_resident_moves_the_total_deadline_too(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.appeal_pause(actor=cast.grid_worker, appeal=appeal, reason="等待居民提供照片")
        traveller.move_to(at(2026, 11, 3, 10, 0))  # one working day
        services.appeal_resume(actor=cast.grid_worker, appeal=appeal)
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.total_due_at == at(2026, 11, 24, 10, 0)


def test_an_approved_extension_moves_the_resident_s_deadline_by_the_days_it_was_told(
    cast: Cast, client_for: Any
) -> None:
    """The resident is texted that the deadline was extended by N working days: their page's 总办结时限 says so, and
    the worker does not mark the old date as missed and escalate an appeal the tier above gave more time."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        assert appeal.total_due_at == at(2026, 11, 23, 10, 0)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        request = services.appeal_extension_request(
            actor=cast.grid_worker, appeal=appeal, days=10, reason="需要协调产权单位，预计十个工作日"
        )
        services.appeal_extension_approve(actor=cast.community_worker, request=request)
        appeal.refresh_from_db()
        assert appeal.resolve_due_at == at(2026, 11, 25, 10, 0)  # 11 November + 10 working days
        assert appeal.total_due_at == at(2026, 12, 7, 10, 0)  # 23 November + 10 working days
        mine = client_for("resident").get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
        assert "2026-12-07" in mine.content.decode()
        traveller.move_to(at(2026, 11, 23, 10, 30))  # the old total deadline passed: nothing missed
        assert "appeals.total_breaches=0" in run_worker()
    appeal.refresh_from_db()
    assert appeal.total_breached_at is None
    assert appeal.tier == "grid"
