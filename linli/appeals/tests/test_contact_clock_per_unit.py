"""Each unit that is given an appeal calls the resident itself: escalated one tier up, passed by the district to a
department, or dispatched again after a return, the new unit gets a fresh contact clock (联系时限) and the earlier
unit's call does not answer for it. Before, the clock was set afresh but the earlier unit's first contact stayed,
so the new unit's clock showed as met (✓) on its page and in the API, and the worker never marked it missed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import by_hotline, classifier_says, submit
from linli.testing import Cast, at, run_worker

CALLED = "已电话联系居民，说明了处理安排。"


def _contact_shown(page: str) -> str:
    """The staff page's 联系时限 line: its deadline, with ✓ and the time when the clock is met."""
    found = re.search(r"<dt>联系时限</dt><dd>(.*?)</dd>", page)
    assert found is not None
    return found.group(1)


def _called_and_escalated(cast: Cast) -> Appeal:
    """The grid worker takes the appeal on, calls the resident, then passes it up a tier (the community handles
    it)."""
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    services.appeal_contact(actor=cast.grid_worker, appeal=appeal, note=CALLED)
    services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调物业处置")
    appeal.refresh_from_db()
    return appeal


def test_the_tier_above_an_escalated_appeal_calls_the_resident_within_its_own_clock(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False) as traveller:
        appeal = _called_and_escalated(cast)
        assert appeal.unit_node == cast.compound  # the tier above the grid (the community worker handles it)
        assert appeal.first_contact_at is None  # the grid worker's call does not answer for the tier above
        assert appeal.contact_due_at is not None and appeal.contact_due_at > at(2026, 11, 2, 9, 0)
        late = appeal.contact_due_at + dt.timedelta(minutes=1)
        traveller.move_to(late)
        assert "appeals.contact_breaches=1" in run_worker()
        appeal.refresh_from_db()
        assert appeal.contact_breached_at == late
        services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
        services.appeal_contact(actor=cast.community_worker, appeal=appeal, note=CALLED)
    appeal.refresh_from_db()
    assert appeal.first_contact_at == late  # the community's own call stops its clock


def test_the_community_sees_its_contact_clock_not_met_after_the_escalation(
    cast: Cast, client_for: Any
) -> None:
    appeal = _called_and_escalated(cast)
    community = client_for("community_worker")
    shown = _contact_shown(community.get(f"/appeals/{appeal.pk}/").content.decode())
    assert "✓" not in shown
    body = community.get(f"/api/appeals/{appeal.pk}").json()
    assert body["contact_due_at"] is not None and body["first_contact_at"] is None
    services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
    services.appeal_contact(actor=cast.community_worker, appeal=appeal, note=CALLED)
    assert "✓" in _contact_shown(community.get(f"/appeals/{appeal.pk}/").content.decode())


def _hotline_unplaced(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Appeal:
    """A hotline appeal the classifier cannot place: it waits at the triage desk for the district to send it."""
    classifier_says(monkeypatch, "environment.noise", 0.0)
    return by_hotline(cast, cast.grid, "河道里有垃圾漂浮，气味很大，请尽快处理一下。")


def _at_the_district(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Appeal:
    """A hotline appeal the district took on itself from the triage desk, acknowledged and the resident called."""
    appeal = _hotline_unplaced(cast, monkeypatch)
    appeal = services.appeal_dispatch(
        actor=cast.district_leader, appeal=appeal, unit_node=cast.district, category_code="environment.noise"
    )
    services.appeal_acknowledge(actor=cast.district_leader, appeal=appeal)
    services.appeal_contact(actor=cast.district_leader, appeal=appeal, note=CALLED)
    appeal.refresh_from_db()
    assert appeal.first_contact_at is not None
    return appeal


def test_a_department_the_district_passes_its_appeal_to_calls_the_resident_itself(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False) as traveller:
        appeal = _at_the_district(cast, monkeypatch)
        traveller.shift(600)
        appeal = services.appeal_dispatch(actor=cast.district_leader, appeal=appeal, unit_org=cast.department)
        assert appeal.unit_org == cast.department and appeal.first_contact_at is None
        department = client_for("department_handler")
        assert "✓" not in _contact_shown(department.get(f"/appeals/{appeal.pk}/").content.decode())
        assert department.get(f"/api/appeals/{appeal.pk}").json()["first_contact_at"] is None
        assert appeal.contact_due_at is not None
        traveller.move_to(appeal.contact_due_at)
        traveller.shift(60)
        assert "appeals.contact_breaches=1" in run_worker()


def test_a_unit_given_a_returned_appeal_calls_the_resident_itself_even_when_it_is_the_same_one(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The department called the resident, then returned the appeal as not its own; given it again (the same
    department, told why, or another), it owes the resident a call within the new clock: the resident heard the
    appeal was being passed on."""
    appeal = _hotline_unplaced(cast, monkeypatch)
    appeal = services.appeal_dispatch(
        actor=cast.district_leader, appeal=appeal, unit_org=cast.department, category_code="environment.noise"
    )
    services.appeal_acknowledge(actor=cast.department_handler, appeal=appeal)
    services.appeal_contact(actor=cast.department_handler, appeal=appeal, note=CALLED)
    services.appeal_return(
        actor=cast.department_handler, appeal=appeal, reason="不属于本部门职责，请重新派单给水务部门"
    )
    appeal = services.appeal_dispatch(
        actor=cast.district_leader,
        appeal=appeal,
        unit_org=cast.department,
        reason="河道保洁属于城管委职责，请予办理。",
    )
    assert appeal.first_contact_at is None
    leader = client_for("district_leader")
    assert "✓" not in _contact_shown(leader.get(f"/appeals/{appeal.pk}/").content.decode())
    assert leader.get(f"/api/appeals/{appeal.pk}").json()["first_contact_at"] is None
