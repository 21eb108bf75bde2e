"""吹哨报到 (issue 11): each summoned part has its own clocks, set by the summoner within the deadline rule; the
worker chases a late report-in and tells the department's leader; a summons can be withdrawn; a unit with no
account has its part recorded by the summoning unit on its behalf; a grid worker raises a whistle request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.models import AppealEvent, AppealPart, WhistleRequest
from linli.appeals.parts import part_state
from linli.appeals.tests.factories import at_community, submit, summon
from linli.appeals.tests.test_worker import at, run_worker
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.core.roles import Role
from linli.territory.models import Organisation
from linli.testing import Cast


def _leader(cast: Cast) -> User:
    return User.objects.create_user(
        username="fenguan",
        role=Role.DISTRICT_LEADER,
        org_node=cast.district,
        organisation=cast.department,
        display_name="分管区领导",
    )


def test_a_part_gets_the_rule_default_report_in_and_the_appeal_deadline_as_finish_date(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = at_community(cast)
        part = summon(cast, appeal)
    appeal.refresh_from_db()
    assert part.report_due_at == at(2026, 11, 2, 12, 0)
    assert part.due_at == appeal.resolve_due_at
    assert part.warn_at is not None and part.warn_at < part.due_at


def test_the_summoner_sets_the_clocks_within_the_rule_limits(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = at_community(cast)
        appeal.refresh_from_db()
        assert appeal.resolve_due_at is not None
        with pytest.raises(ValidationFailed, match="最多 8 个工作小时"):
            summon(cast, appeal, report_hours=9)
        with pytest.raises(ValidationFailed, match="不得晚于诉求本身的期限"):
            summon(cast, appeal, finish_by=appeal.resolve_due_at + dt.timedelta(days=1))
        finish = at(2026, 11, 5, 17, 0)
        part = summon(cast, appeal, report_hours=4, finish_by=finish)
    assert part.report_due_at == at(2026, 11, 2, 14, 0)
    assert part.due_at == finish
    # Nothing was saved by the refused attempts.
    assert AppealPart.objects.filter(appeal=appeal).count() == 1


def test_the_worker_chases_a_late_report_in_and_tells_the_department_leader_once(cast: Cast) -> None:
    leader = _leader(cast)
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal)
        traveller.move_to(at(2026, 11, 2, 11, 59))
        assert "appeals.part_report_ins=0" in run_worker()
        traveller.move_to(at(2026, 11, 2, 12, 1))
        assert "appeals.part_report_ins=1" in run_worker()
        assert "appeals.part_report_ins=0" in run_worker()
    part.refresh_from_db()
    assert part.report_breached_at == at(2026, 11, 2, 12, 1)
    chase = Notification.objects.get(user=cast.department_handler, title__contains="请立即报到")
    assert appeal.tracking_number in chase.title
    assert Notification.objects.filter(user=leader, title__contains="未按时报到").count() == 1
    event = AppealEvent.objects.get(appeal=appeal, action="part_breach")
    assert event.data["clock"] == "report" and event.data["leaders"] == ["分管区领导"]
    assert (
        event.reason
        == f"{cast.department.name} 未在 11-02 12:00 前报到：已催报，并告知分管领导（分管区领导）。"
    )


def test_without_an_attached_leader_the_district_leaders_are_told(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        summon(cast, appeal)
        traveller.move_to(at(2026, 11, 3, 10, 0))
        run_worker()
    assert Notification.objects.filter(user=cast.district_leader, title__contains="未按时报到").exists()


def test_a_part_reported_in_on_time_is_not_chased_but_is_warned_and_marked_when_late(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal, finish_by=at(2026, 11, 4, 10, 0))
        services.part_report_in(actor=cast.department_handler, part=part)
        # The warning comes when a fifth of the part's time is left.
        traveller.move_to(at(2026, 11, 4, 8, 0))
        output = run_worker()
        assert "appeals.part_report_ins=0" in output
        assert "appeals.part_warn=1" in output
        traveller.move_to(at(2026, 11, 4, 10, 1))
        assert "appeals.part_breaches=1" in run_worker()
        assert "appeals.part_breaches=0" in run_worker()
    part.refresh_from_db()
    assert part.breached_at == at(2026, 11, 4, 10, 1)
    assert Notification.objects.filter(user=cast.community_worker, title__contains="协办超期").exists()


def test_the_summoner_urges_a_part_and_the_department_hears(cast: Cast) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    with pytest.raises(PermissionDenied):
        services.part_urge(actor=cast.department_handler, part=part, note="自己催自己")
    services.part_urge(actor=cast.community_worker, part=part, note="请尽快到场")
    part.refresh_from_db()
    assert part.urge_count == 1
    assert Notification.objects.filter(user=cast.department_handler, title__contains="督办").exists()


def test_a_withdrawn_summons_stops_its_clocks_and_no_longer_blocks_resolution(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal)
        with pytest.raises(PermissionDenied):
            services.part_withdraw(actor=cast.department_handler, part=part, reason="不归我们管理的事项")
        with pytest.raises(ValidationFailed):
            services.part_withdraw(actor=cast.community_worker, part=part, reason="")
        services.part_withdraw(actor=cast.community_worker, part=part, reason="经核实属物业职责，无需城管。")
        with pytest.raises(Conflict):
            services.part_report_in(actor=cast.department_handler, part=part)
        traveller.move_to(at(2026, 11, 3, 10, 0))
        assert "appeals.part_report_ins=0" in run_worker()
        services.appeal_resolve(
            actor=cast.community_worker, appeal=appeal, note="物业已拆除广告牌，问题解决。"
        )
    part.refresh_from_db()
    assert part.withdrawn_by == cast.community_worker
    assert part.withdraw_reason == "经核实属物业职责，无需城管。"
    assert AppealEvent.objects.filter(appeal=appeal, action="part_withdraw").exists()
    assert Notification.objects.filter(user=cast.department_handler, title__contains="撤回").exists()


def test_a_withdrawn_unit_can_be_summoned_again(cast: Cast) -> None:
    appeal = at_community(cast)
    part = summon(cast, appeal)
    services.part_withdraw(actor=cast.community_worker, part=part, reason="召集错了，稍后重新召集。")
    again = summon(cast, appeal)
    assert again.pk != part.pk
    with pytest.raises(ValidationFailed, match="已被吹哨召集，不能重复召集"):
        summon(cast, appeal)


def test_the_summoning_unit_records_the_part_of_a_unit_without_accounts(cast: Cast) -> None:
    company = Organisation.objects.create(
        kind="property_company", name="幸福物业公司", code="PROP-1", org_node=cast.community
    )
    appeal = at_community(cast)
    part = summon(cast, appeal, unit=company)
    services.part_report_in(actor=cast.community_worker, part=part, note="物业经理电话报到")
    services.part_complete(actor=cast.community_worker, part=part, note="物业已清理楼道堆物。")
    part.refresh_from_db()
    assert part.on_behalf is True and part.done_at is not None
    events = AppealEvent.objects.filter(appeal=appeal, action__in=["part_report_in", "part_complete"])
    assert [e.data["on_behalf"] for e in events] == [True, True]
    # A unit that has its own handlers records its own part: the summoner may not.
    other = summon(cast, appeal)
    with pytest.raises(PermissionDenied):
        services.part_report_in(actor=cast.community_worker, part=other)
    # An outsider may not record for the company either.
    with pytest.raises(PermissionDenied):
        services.part_send_back(actor=cast.outsider, part=part, note="不是我的诉求啊啊")


def test_a_grid_worker_raises_a_whistle_request_the_community_summons_from_it(cast: Cast) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.whistle_request_raise(
            actor=cast.outsider, appeal_id=appeal.pk, reason="需要城管执法到场处理。"
        )
    request = services.whistle_request_raise(
        actor=cast.grid_worker, appeal_id=appeal.pk, reason="占道经营屡劝不改，需要城管执法到场。"
    )
    assert request.community == cast.community
    assert Notification.objects.filter(user=cast.community_worker, title__contains="网格吹哨").exists()
    with pytest.raises(Conflict):
        services.whistle_request_raise(
            actor=cast.grid_worker, appeal_id=appeal.pk, reason="再次申请吹哨召集部门。"
        )
    parts = services.whistle_request_summon(
        actor=cast.community_worker,
        request=request,
        units=[cast.department],
        reason="网格员申请吹哨，请城管到现场。",
    )
    request.refresh_from_db()
    assert request.status == "summoned" and request.decided_by == cast.community_worker
    assert parts[0].organisation == cast.department
    assert Notification.objects.filter(user=cast.grid_worker, title__contains="已召集").exists()
    with pytest.raises(Conflict):
        services.whistle_request_decline(actor=cast.community_worker, request=request, note="已经召集过了。")


def test_the_community_declines_a_whistle_request_with_a_reason(cast: Cast) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    request = services.whistle_request_raise(
        actor=cast.grid_worker, appeal_id=appeal.pk, reason="楼道堆物需要消防部门到场。"
    )
    with pytest.raises(ValidationFailed):
        services.whistle_request_decline(actor=cast.community_worker, request=request, note="")
    services.whistle_request_decline(
        actor=cast.community_worker, request=request, note="社区可协调物业清理，无需召集部门。"
    )
    request.refresh_from_db()
    assert request.status == "declined"
    assert WhistleRequest.objects.filter(status="open").count() == 0
    assert Notification.objects.filter(user=cast.grid_worker, title__contains="未予召集").exists()


def test_a_parts_clocks_stand_while_the_appeal_waits_on_the_resident_and_move_on_at_resume(
    cast: Cast,
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal, finish_by=at(2026, 11, 4, 10, 0))
        traveller.move_to(at(2026, 11, 2, 11, 0))
        services.appeal_pause(actor=cast.community_worker, appeal=appeal, reason="等居民提供房屋产权证明")
        # Three working days of waiting: the report-in and the finish date pass, nobody is chased or warned.
        traveller.move_to(at(2026, 11, 4, 10, 30))
        output = run_worker()
        assert "appeals.part_report_ins=0" in output
        assert "appeals.part_warn=0" in output
        assert "appeals.part_breaches=0" in output
        traveller.move_to(at(2026, 11, 5, 11, 0))
        services.appeal_resume(actor=cast.community_worker, appeal=appeal, note="居民已提供证明")
        part.refresh_from_db()
        # Each clock moves on by the three working days it stood: one hour left to report in, as at the pause.
        assert part.report_due_at == at(2026, 11, 5, 12, 0)
        assert part.due_at == at(2026, 11, 9, 10, 0)
        assert part.warn_at is not None and at(2026, 11, 5, 11, 0) < part.warn_at < part.due_at
        traveller.move_to(at(2026, 11, 5, 11, 59))
        assert "appeals.part_report_ins=0" in run_worker()
        traveller.move_to(at(2026, 11, 5, 12, 1))
        assert "appeals.part_report_ins=1" in run_worker()
    part.refresh_from_db()
    assert part.report_breached_at == at(2026, 11, 5, 12, 1) and part.breached_at is None


def test_a_part_reported_in_before_the_pause_keeps_its_report_in_time(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal, finish_by=at(2026, 11, 4, 10, 0))
        services.part_report_in(actor=cast.department_handler, part=part)
        services.appeal_pause(actor=cast.community_worker, appeal=appeal, reason="等居民提供房屋产权证明")
        traveller.move_to(at(2026, 11, 3, 10, 0))
        services.appeal_resume(actor=cast.community_worker, appeal=appeal)
    part.refresh_from_db()
    assert part.report_due_at == at(2026, 11, 2, 12, 0) and part.due_at == at(2026, 11, 5, 10, 0)


def test_while_paused_a_part_reads_as_it_stood_at_the_pause(cast: Cast, client_for: Any) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal)
        services.appeal_pause(actor=cast.community_worker, appeal=appeal, reason="等居民提供房屋产权证明")
        traveller.move_to(at(2026, 11, 3, 10, 0))
        appeal.refresh_from_db()
        assert part_state(part, at(2026, 11, 3, 10, 0), paused_at=appeal.paused_at) == "awaiting_report"
        assert part_state(part, at(2026, 11, 3, 10, 0)) == "report_overdue"
        body = client_for("community_worker").get(f"/api/appeals/{appeal.pk}").json()
        assert body["parts"][0]["state"] == "awaiting_report"
