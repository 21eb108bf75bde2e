"""Member points for joint-meeting decisions delivered, and the star indicator "results delivered", read from
deliberation through party's registry (`deliberation/contributions.py` fills it): a delivered decision credits
the members of the answerable branches who took part in the meeting, by mobile number or (with none) by name."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from linli.deliberation import services as deliberation
from linli.party import jobs, results, services
from linli.party.models import PartyOrg
from linli.party.selectors import member_points_total
from linli.testing import Cast

pytestmark = pytest.mark.django_db


# Days on which the decision's result (five working days ahead) once fell due in the next year, and the test
# looked for it among this year's.
ON_DAYS = [None, "2026-12-30 10:00 +08:00"]


@pytest.mark.parametrize("on", ON_DAYS, ids=["today", *(d[:10] for d in ON_DAYS[1:] if d)])
def test_a_delivered_decision_credits_the_branch_members_who_took_part(
    on: str | None, db: None, request: pytest.FixtureRequest
) -> None:
    if on is None:
        _credits(request.getfixturevalue("cast"), request.getfixturevalue("branch"))
        return
    with time_machine.travel(on, tick=True):
        _credits(request.getfixturevalue("cast"), request.getfixturevalue("branch"))


def _credits(cast: Cast, branch: PartyOrg) -> None:
    worker = cast.community_worker
    wang = services.party_member_create(actor=None, name="王建国", party_org=branch, phone="13900000001")
    li = services.party_member_create(actor=None, name="李四", party_org=branch)
    away = services.party_member_create(actor=None, name="赵六", party_org=branch, phone="13900000003")
    meeting = deliberation.meeting_create(
        actor=worker,
        node=cast.compound,
        kind="joint",
        title="五月联席会议",
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        convener=branch,
    )
    deliberation.agenda_item_add(actor=worker, meeting=meeting, title="加装电梯")
    by_phone = deliberation.participant_add(
        actor=worker, meeting=meeting, side="compound_branch", name="老王", phone="13900000001"
    )
    by_name = deliberation.participant_add(actor=worker, meeting=meeting, side="compound_branch", name="李四")
    deliberation.participant_add(
        actor=worker, meeting=meeting, side="compound_branch", name="赵六", phone="13900000003"
    )  # invited, never came
    deliberation.participant_add(
        actor=worker, meeting=meeting, side="owners_committee", name="业委会主任", phone="13600000001"
    )
    deliberation.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    for p in (by_phone, by_name):
        deliberation.participant_mark_present(actor=worker, participant=p)
    deliberation.minutes_save(actor=worker, meeting=meeting, minutes="议定加装电梯。")
    decision = deliberation.decision_add(
        actor=worker, meeting=meeting, text_="1号楼加装电梯", responsible_name="阳光物业", working_days=5
    )
    deliberation.meeting_transition(actor=worker, meeting=meeting, action="start_implementation")
    root = decision.results.get()
    year = root.due_on.year  # the year it falls due in (the next one, late in December)

    # Not delivered yet: due, counted as not delivered; nobody credited.
    due = [r for r in results.results_due(cast.compound.path, *_year(year)) if r.source.startswith("delib")]
    assert [(r.title, r.done_on, r.members) for r in due] == [("1号楼加装电梯", None, ())]
    assert jobs.result_points() == 0
    deliberation.result_progress(actor=worker, result=root, progress=100, note="电梯已投用")
    (delivered,) = [r for r in results.results_due("", *_year(year)) if r.source.startswith("delib")]
    assert delivered.on_time and set(delivered.members) == {wang.pk, li.pk}
    assert results.results_delivered(branch, year).value == 1.0

    assert jobs.result_points() == 2
    assert jobs.result_points() == 0  # once per result and member
    credited = timezone.localdate().year  # points count in the year they are earned: today's
    assert member_points_total(wang, year=credited) == 8
    assert member_points_total(li, year=credited) == 8
    assert member_points_total(away, year=credited) == 0
    # Outside the area nothing is due: another community's branch reads no result of this one.
    assert results.results_due("/nowhere/", *_year(year)) == []


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
