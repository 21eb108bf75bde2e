"""吹哨报到 (issue 11): summoned departments ranked by report-in on time, parts finished on time and satisfaction,
defined once in appeals.figures and served by the API (the dashboard shows the same, tested there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from linli.appeals import figures, services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import submit
from linli.appeals.tests.test_worker import at
from linli.testing import Cast, _user


def build_two_departments(cast: Cast) -> Appeal:
    """城管 reports in and finishes on time; 水务 is late with both; a withdrawn summons of a third unit does not
    count. The resident rates the appeal satisfied."""
    water = _user("water", "department_handler", org=cast.other_department, name="钱水务")
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
        services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
        on_time, late = services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.department, cast.other_department],
            reason="请两个部门到现场联合处置。",
            finish_by=at(2026, 11, 4, 17, 0),
        )
        traveller.move_to(at(2026, 11, 2, 11, 0))
        services.part_report_in(actor=cast.department_handler, part=on_time)
        traveller.move_to(at(2026, 11, 2, 13, 0))
        services.part_report_in(actor=water, part=late)
        traveller.move_to(at(2026, 11, 3, 10, 0))
        services.part_complete(actor=cast.department_handler, part=on_time, note="已拆除违规广告牌。")
        traveller.move_to(at(2026, 11, 5, 10, 0))
        services.part_complete(actor=water, part=late, note="积水已经排除干净。")
        services.appeal_resolve(actor=cast.community_worker, appeal=appeal, note="两个部门都已处置完毕。")
        services.appeal_rate(actor=cast.resident, appeal=appeal, value="satisfied")
    return appeal


def test_departments_rank_by_report_in_then_finishing_on_time_then_satisfaction(cast: Cast) -> None:
    appeal = build_two_departments(cast)
    ranks = figures.department_ranking(
        Appeal.objects.all(), start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), now=at(2026, 11, 6, 9, 0)
    )
    assert [r.name for r in ranks] == [cast.department.name, cast.other_department.name]
    first, second = ranks
    assert (first.report_on_time_rate, first.finish_on_time_rate, first.satisfaction_rate) == (1.0, 1.0, 1.0)
    assert (second.report_on_time_rate, second.finish_on_time_rate, second.satisfaction_rate) == (
        0.0,
        0.0,
        1.0,
    )
    # A period without summonses has no ranking.
    assert (
        figures.department_ranking(
            Appeal.objects.filter(pk=appeal.pk), start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)
        )
        == []
    )


def test_an_open_part_past_its_deadline_counts_as_late_and_a_withdrawn_one_not_at_all(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = submit(cast)
        services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
        services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
        (part,) = services.appeal_whistle(
            actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请到现场处置问题。"
        )
        (gone,) = services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.other_department],
            reason="请到现场处置问题。",
        )
        services.part_withdraw(actor=cast.community_worker, part=gone, reason="召集错了部门，撤回。")
    period = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}
    (before,) = figures.department_ranking(Appeal.objects.all(), **period, now=at(2026, 11, 2, 11, 0))
    assert before.report_due == 0 and before.report_on_time_rate is None  # not due yet: no figure
    (after,) = figures.department_ranking(Appeal.objects.all(), **period, now=at(2026, 11, 2, 12, 30))
    assert after.report_due == 1 and after.report_on_time_rate == 0.0
    assert after.name == cast.department.name and part.organisation_id == after.organisation_id


def test_the_api_serves_the_ranking_in_the_callers_scope_in_fixed_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    build_two_departments(cast)
    url = "/api/appeals/figures/departments?start=2026-11-01&end=2026-11-30"
    street = client_for("street_officer")
    street.get(url)
    # The session, the account, its org node (scope), the parts with their units, the latest ratings.
    with django_assert_num_queries(5):
        rows = street.get(url).json()
    assert [r["name"] for r in rows] == [cast.department.name, cast.other_department.name]
    assert rows[0]["report_on_time_rate"] == 1.0 and rows[1]["finish_on_time_rate"] == 0.0
    assert client_for("outsider").get(url).json() == []
