"""Member points (branch meetings, the secretary's entries) and branch stars on a worked example."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.party import services
from linli.party.models import BranchStarRating, StarIndicatorWeight
from linli.party.selectors import member_points_total
from linli.testing import Cast

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_meeting_attendance_earns_points_once(cast: Cast, branch) -> None:  # type: ignore[no-untyped-def]
    a = services.party_member_create(actor=None, name="张三", party_org=branch)
    b = services.party_member_create(actor=None, name="李四", party_org=branch)
    meeting = services.branch_meeting_record(
        actor=cast.community_worker,
        branch=branch,
        kind="lesson",
        held_on=timezone.localdate(),
        topic="学习民法典",
        attendees=[a],
    )
    assert member_points_total(a) == 3 and member_points_total(b) == 0
    # The same source is never credited twice.
    again = services.member_points_credit(
        actor=None,
        member=a,
        kind="meeting",
        units=1,
        on=timezone.localdate(),
        reason="重复",
        source=f"meeting:{meeting.pk}",
    )
    assert again is None and member_points_total(a) == 3


def test_secretary_entry_needs_a_reason_and_the_right(cast: Cast, branch) -> None:  # type: ignore[no-untyped-def]
    a = services.party_member_create(actor=None, name="张三", party_org=branch)
    with pytest.raises(ValidationFailed):
        services.member_points_grant(actor=cast.community_worker, member=a, points=5, reason=" ")
    with pytest.raises(ValidationFailed):
        services.member_points_grant(actor=cast.community_worker, member=a, points=0, reason="无")
    services.member_points_grant(actor=cast.community_worker, member=a, points=-2, reason="无故缺席组织生活")
    assert member_points_total(a) == -2
    with pytest.raises(ValidationFailed):  # another community's worker does not even see the member
        services.member_points_grant(actor=cast.outsider, member=a, points=5, reason="帮助邻居")


def test_stars_on_a_worked_example(cast: Cast, branch) -> None:  # type: ignore[no-untyped-def]
    """A branch of four members in 2025:
    - meetings: 4 assemblies (4/4), 6 committee meetings (6/12), 2 lessons (2/4): (1 + 0.5 + 0.5) / 3 = 2/3;
    - registered: 1 of 4 members has an active registration: 0.25;
    - active: 2 of 4 members earned at least 20 points: 0.5;
    - appeals: none resolved in the area: 1;
    - results delivered: none due in the area: 1.
    Weights 30, 20, 20, 30, 20: (30×2/3 + 20×0.25 + 20×0.5 + 30×1 + 20×1) / 120 = 70.8 → three stars."""
    members = [
        services.party_member_create(actor=None, name=n, party_org=branch) for n in ("甲", "乙", "丙", "丁")
    ]
    with time_machine.travel(dt.datetime(2025, 12, 20, 10, tzinfo=TZ)):
        plan = [("assembly", 4), ("committee", 6), ("lesson", 2)]
        for kind, count in plan:
            for i in range(count):
                services.branch_meeting_record(
                    actor=None,
                    branch=branch,
                    kind=kind,
                    held_on=dt.date(2025, 1 + i, 15),
                    topic=f"{kind}{i}",
                    attendees=members[:2],
                )
        reg = services.member_registration_register(
            actor=None,
            member=members[0],
            community=cast.community,
            workplace="区医院",
            specialty="medical",
            registered_on=dt.date(2025, 3, 1),
        )
        services.member_registration_assign_post(
            actor=None, registration=reg, grid=cast.grid, post="健康咨询"
        )
    # Members 甲 and 乙 attended 12 meetings: 36 points each; 丙 and 丁 none.
    assert member_points_total(members[0], year=2025) == 36
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=TZ)):
        rating = services.branch_stars_compute(actor=cast.community_worker, branch=branch, year=2025)
    values = {line["code"]: line["value"] for line in rating.indicators}
    assert values == {
        "meetings": 66.7,
        "registered": 25.0,
        "active": 50.0,
        "appeals": 100.0,
        "results": 100.0,
    }
    assert rating.score == Decimal("70.8") and rating.stars == 3
    evidence = {line["code"]: line["evidence"] for line in rating.indicators}
    assert any("6" in e and "12" in e for e in evidence["meetings"])
    # Weights are configurable: meetings count for more.
    StarIndicatorWeight.objects.create(code="meetings", weight=60)
    with time_machine.travel(dt.datetime(2026, 1, 6, 10, tzinfo=TZ)):
        rating = services.branch_stars_compute(actor=cast.community_worker, branch=branch, year=2025)
    # (60×2/3 + 20×0.25 + 20×0.5 + 30×1 + 20×1) / 150 = 105/150 = 70.0 → three stars
    assert rating.score == Decimal("70.0") and BranchStarRating.objects.count() == 1


def test_the_street_approves_and_then_it_is_frozen(cast: Cast, branch) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_compute(
        actor=cast.community_worker, branch=branch, year=timezone.localdate().year
    )
    with pytest.raises(InvalidTransition, match="支部尚未自评"):
        services.branch_stars_approve(actor=cast.street_officer, rating=rating, note="材料齐全")
    rating = services.branch_stars_submit(
        actor=None, rating=rating, claimed_stars=rating.computed_stars, statement="按期完成自查自评。"
    )
    with pytest.raises(PermissionDenied):
        services.branch_stars_approve(actor=cast.community_worker, rating=rating)
    services.branch_stars_approve(actor=cast.street_officer, rating=rating, note="材料齐全")
    rating.refresh_from_db()
    assert rating.state == "approved" and rating.approved_by == cast.street_officer
    with pytest.raises(InvalidTransition):
        services.branch_stars_approve(actor=cast.street_officer, rating=rating)
    with pytest.raises(InvalidTransition):
        services.branch_stars_compute(actor=cast.community_worker, branch=branch, year=rating.year)


def test_star_steps() -> None:
    assert [services.stars_for(Decimal(s)) for s in (95, 90, 89.9, 80, 70, 60, 50, 49.9, 0)] == [
        5,
        5,
        4,
        4,
        3,
        2,
        1,
        0,
        0,
    ]


def test_results_delivered_from_a_registered_reader(cast: Cast, branch) -> None:  # type: ignore[no-untyped-def]
    """An app that records decisions registers a reader: the indicator is the share delivered on time, and the
    job credits the members who delivered each one, once."""
    from linli.party import jobs, results

    member = services.party_member_create(actor=None, name="甲", party_org=branch)
    year = timezone.localdate().year
    today = timezone.localdate()
    due = [
        results.Result("test.result:1", "加装电梯", cast.compound.path, today, today, (member.pk,)),
        results.Result("test.result:2", "停车改造", cast.compound.path, today, None),
        results.Result("test.result:3", "他处", "/elsewhere/", today, today),
    ]

    def reader(path: str, start: dt.date, end: dt.date) -> list[results.Result]:
        return [r for r in due if r.org_path.startswith(path) and start <= r.due_on <= end]

    results.register("test", reader)
    try:
        reading = results.results_delivered(branch, year)
        assert reading.value == 0.5 and "1" in reading.evidence[0] and "2" in reading.evidence[0]
        assert (
            jobs.result_points() == 1
        )  # the delivered result with a member; the undelivered one credits none
        assert jobs.result_points() == 0  # never twice
    finally:
        results.unregister("test")
    assert member_points_total(member, year=year) == 8
