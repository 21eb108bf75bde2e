"""Co-governance services: the five steps, the household rule, owners' votes, moderation, the result roll-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.appeals import services as appeals
from linli.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import Notification, OutboxMessage
from linli.deliberation import jobs, selectors, services
from linli.deliberation.choices import Moderation, Stage
from linli.deliberation.models import Decision, Meeting, Result, Topic
from linli.testing import Cast

from .conftest import (
    PNG,
    Hall,
    decision_taken,
    meeting_elsewhere,
    meeting_in,
    owners_vote,
    single_vote,
    survey,
    vote_of,
)

pytestmark = pytest.mark.django_db


def held_meeting(hall: Hall) -> tuple[Meeting, Decision, Topic]:
    """A meeting carried to the end of 事务共商: agenda, a member signed in, minutes, one decision."""
    cast = hall.cast
    meeting = meeting_in(cast)
    topic = services.topic_create(
        actor=hall.residents[1], title="楼道堆物", body="一楼楼道堆满杂物，影响通行。"
    )
    services.agenda_item_add(
        actor=cast.community_worker,
        meeting=meeting,
        title="楼道堆物清理",
        topic_ids=[topic.pk],
        other_sources=[("visit", "网格员走访3户反映")],
    )
    services.participant_add(
        actor=cast.community_worker,
        meeting=meeting,
        side="owners_committee",
        name="业委会王主任",
        phone="13600000001",
    )
    services.participants_invite(actor=cast.community_worker, meeting=meeting)
    decision = decision_taken(hall, meeting, "议定由物业一周内清理。", "物业清理楼道堆物", topic=topic)
    return meeting, decision, topic


def delivered(hall: Hall, meeting: Meeting, decision: Decision) -> None:
    """The held meeting's one result done in full: the meeting moves on to evaluation (评价)."""
    worker = hall.cast.community_worker
    services.meeting_transition(actor=worker, meeting=meeting, action="start_implementation")
    services.result_progress(actor=worker, result=decision.results.get(), progress=100, note="完成")
    services.meeting_transition(actor=worker, meeting=meeting, action="open_evaluation")


def test_a_joint_meeting_goes_through_all_five_steps_and_the_street_acknowledges_it(hall: Hall) -> None:
    cast = hall.cast
    meeting, decision, topic = held_meeting(hall)
    assert (
        OutboxMessage.objects.filter(channel="sms").count() == 1
    )  # the invitation to the member with a phone
    assert Notification.objects.filter(
        user=hall.residents[1], url__endswith=f"/{topic.pk}/"
    ).exists()  # answered
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="start_implementation")
    result = Result.objects.get(decision=decision)
    services.result_progress(actor=cast.community_worker, result=result, progress=100, note="已清理完毕")
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="open_evaluation")
    services.meeting_rate(
        actor=hall.residents[3], meeting=meeting, rating="satisfied", answers=survey(meeting)
    )
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="submit_filing")
    assert Notification.objects.filter(user=cast.street_officer).exists()
    services.meeting_transition(
        actor=cast.street_officer, meeting=meeting, action="return_filing", note="缺少签到表照片"
    )
    meeting.refresh_from_db()
    assert meeting.stage == Stage.EVALUATE and meeting.filing_note == "缺少签到表照片"
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="submit_filing")
    services.meeting_transition(actor=cast.street_officer, meeting=meeting, action="acknowledge_filing")
    meeting.refresh_from_db()
    assert meeting.stage == Stage.FILED
    assert [e.action for e in meeting.events.all()] == [
        "convene",
        "open_deliberation",
        "start_implementation",
        "open_evaluation",
        "submit_filing",
        "return_filing",
        "submit_filing",
        "acknowledge_filing",
    ]
    assert selectors.public_meetings().filter(pk=meeting.pk).exists()
    from linli.deliberation.printing import filing_record_pdf

    assert filing_record_pdf(meeting).startswith(b"%PDF")


def test_each_stage_refuses_to_move_on_before_its_work_is_done(cast: Cast) -> None:
    meeting = meeting_in(cast)
    with pytest.raises(ValidationFailed, match="议题"):
        services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="open_deliberation")
    services.agenda_item_add(actor=cast.community_worker, meeting=meeting, title="停车难")
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="open_deliberation")
    with pytest.raises(ValidationFailed, match="签到"):
        services.meeting_transition(
            actor=cast.community_worker, meeting=meeting, action="start_implementation"
        )
    with pytest.raises(InvalidTransition):
        services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="submit_filing")


def test_only_the_street_decides_on_a_filing(hall: Hall) -> None:
    meeting, decision, _topic = held_meeting(hall)
    cast = hall.cast
    delivered(hall, meeting, decision)
    services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="submit_filing")
    with pytest.raises(PermissionDenied):
        services.meeting_transition(actor=cast.community_worker, meeting=meeting, action="acknowledge_filing")
    with pytest.raises(ValidationFailed):
        services.meeting_transition(
            actor=cast.street_officer, meeting=meeting, action="return_filing", note=""
        )


def test_an_outsider_cannot_run_a_meeting_of_another_community(cast: Cast) -> None:
    meeting = meeting_in(cast)
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=cast.outsider, meeting=meeting, title="越界")


def test_agenda_links_appeals_of_the_area_by_tracking_number(cast: Cast) -> None:
    appeal = appeals.appeal_submit(
        actor=cast.resident,
        title="路灯不亮",
        description="小区东门路灯坏了一周，晚上很黑",
        kind="suggestion",
        channel="web",
        grid=cast.grid,
        contact_name="张三",
        contact_phone="13812345678",
    )
    meeting = meeting_in(cast)
    item = services.agenda_item_add(
        actor=cast.community_worker, meeting=meeting, title="照明", appeal_numbers=[appeal.tracking_number]
    )
    assert item.sources.get().appeal == appeal
    with pytest.raises(ValidationFailed, match="没有编号"):
        elsewhere = meeting_elsewhere(cast)
        services.agenda_item_add(
            actor=cast.outsider, meeting=elsewhere, title="照明", appeal_numbers=[appeal.tracking_number]
        )
    with pytest.raises(ValidationFailed, match="没有编号"):
        services.agenda_item_add(
            actor=cast.community_worker, meeting=meeting, title="照明", appeal_numbers=["X-404"]
        )


def test_agenda_links_entries_of_the_grid_visit_log_of_the_area(hall: Hall) -> None:
    """民意征集 from the visit log (情): the entry itself is the source, linked, and the form offers the area's
    visits that found something to follow up; a visit of another community is refused."""
    from linli.deliberation.forms import AgendaForm
    from linli.territory import services as territory

    cast = hall.cast
    visit = territory.visit_log(
        actor=cast.grid_worker,
        household=hall.households[0],
        found="老人反映楼道灯坏了，晚上上下楼不便",
        follow_up="楼道照明需要统一更换",
    )
    meeting = meeting_in(cast)
    form = AgendaForm(meeting=meeting, user=cast.community_worker)
    assert str(visit.pk) in [str(k) for k, _label in form.fields["visits"].choices]  # type: ignore[attr-defined]
    item = services.agenda_item_add(
        actor=cast.community_worker, meeting=meeting, title="楼道照明", visit_ids=[visit.pk]
    )
    source = item.sources.get()
    assert source.kind == "visit" and source.visit == visit and "楼道照明需要统一更换" in source.note
    elsewhere = meeting_elsewhere(cast)
    with pytest.raises(ValidationFailed):
        services.agenda_item_add(actor=cast.outsider, meeting=elsewhere, title="照明", visit_ids=[visit.pk])


def test_decision_due_date_counts_working_days(hall: Hall) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC)):  # before the National Day holiday
        _meeting, decision, _topic = held_meeting(hall)
    assert decision.due_on > dt.date(2026, 10, 8)


def test_a_second_ballot_from_the_same_household_is_refused_with_a_clear_message(hall: Hall) -> None:
    vote = single_vote(hall.cast, "充电桩位置", ("东门", "西门"))
    east = vote.options.get(label="东门")
    services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[east.pk])
    services.ballot_cast(actor=hall.residents[1], vote=vote, option_ids=[east.pk])
    with pytest.raises(Conflict, match="已经投过票") as refused:
        services.ballot_cast(actor=hall.neighbour, vote=vote, option_ids=[east.pk])
    assert hall.households[0].address in str(refused.value.message)
    assert selectors.vote_tally(vote).ballots == 2


def test_residents_without_a_verified_household_or_from_elsewhere_cannot_vote(hall: Hall, cast) -> None:  # type: ignore[no-untyped-def]
    vote = owners_vote(cast)
    from .conftest import verified

    stranger = verified(
        "stranger", cast.resident_record.household.__class__.objects.get(code="H002"), "13500000000"
    )
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=stranger, vote=vote, option_ids=[vote.options.first().pk])  # type: ignore[union-attr]
    stranger.household_verified_at = None
    stranger.save()
    with pytest.raises(PermissionDenied, match="已核验住户"):
        services.ballot_cast(actor=stranger, vote=vote, option_ids=[vote.options.first().pk])  # type: ignore[union-attr]


def _owners(hall: Hall, special: bool, votes: dict[int, str]):  # type: ignore[no-untyped-def]
    vote = owners_vote(hall.cast, special=special)
    keys = {o.key: o.pk for o in vote.options.all()}
    for index, key in votes.items():
        services.ballot_cast(actor=hall.residents[index], vote=vote, option_ids=[keys[key]])
    return selectors.vote_tally(vote)


def test_owners_vote_counts_households_and_floor_area_from_the_register(hall: Hall) -> None:
    # 450 m², 6 owners. Four take part (4/6 = 2/3 exactly; 100+100+80+60 = 340 m² ≥ 300 m²).
    # Agree: households 0 and 2 (2 of 4: exactly half by count) → fails an ordinary matter.
    tally = _owners(hall, False, {0: "agree", 1: "disagree", 2: "agree", 3: "abstain"})
    assert tally.owners is not None
    assert tally.owners.participation
    assert tally.area == Decimal("340")
    assert not tally.owners.approval_by_owners
    assert not tally.owners.passed


def test_owners_vote_passes_with_more_than_half_of_both(hall: Hall) -> None:
    tally = _owners(hall, False, {0: "agree", 1: "agree", 2: "agree", 3: "disagree"})
    assert tally.owners is not None and tally.owners.passed


def test_special_matter_needs_three_quarters_of_both(hall: Hall) -> None:
    # 3 of 4 owners agree (exactly ¾) with 260 of 340 m² (¾ is 255 m²) → passes;
    tally = _owners(hall, True, {0: "agree", 1: "agree", 2: "disagree", 3: "agree"})
    assert tally.owners is not None and tally.owners.approval_by_owners
    assert tally.owners.approval_by_area and tally.owners.passed
    # … and with the 100 m² household against instead, 240 of 340 m² is under three quarters.
    vote2 = _owners(hall, True, {0: "disagree", 1: "agree", 2: "agree", 3: "agree"})
    assert vote2.owners is not None and vote2.owners.approval_by_owners and not vote2.owners.approval_by_area


def test_owners_vote_is_refused_while_a_household_has_no_floor_area(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="没有建筑面积"):
        owners_vote(cast)


def test_paper_ballot_is_recorded_with_a_photo_and_marked(hall: Hall) -> None:
    vote = owners_vote(hall.cast)
    agree = vote.options.get(key="agree")
    with pytest.raises(ValidationFailed, match="照片"):
        services.ballot_record_paper(
            actor=hall.cast.grid_worker,
            vote=vote,
            household=hall.households[4],
            option_ids=[agree.pk],
            photo=SimpleUploadedFile("a.txt", b"x", "text/plain"),
        )
    ballot = services.ballot_record_paper(
        actor=hall.cast.grid_worker,
        vote=vote,
        household=hall.households[4],
        option_ids=[agree.pk],
        photo=SimpleUploadedFile("form.png", PNG, "image/png"),
    )
    assert ballot.is_paper and ballot.paper_photo and ballot.cast_by == hall.cast.grid_worker
    assert ballot.floor_area == Decimal("60")
    with pytest.raises(Conflict):
        services.ballot_cast(actor=hall.residents[4], vote=vote, option_ids=[agree.pk])
    assert selectors.vote_tally(vote).paper == 1


def test_a_closed_vote_takes_no_ballot_and_the_job_closes_votes_whose_time_is_up(hall: Hall) -> None:
    vote = owners_vote(hall.cast)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert jobs.close_due_votes() == 1
        with pytest.raises(InvalidTransition):
            services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[vote.options.first().pk])  # type: ignore[union-attr]


def test_hidden_results_stay_hidden_from_residents_until_closed(hall: Hall) -> None:
    vote = vote_of(hall.cast, "multiple", "活动室用途", ("棋牌", "舞蹈", "阅读"), results_hidden=True)
    assert not selectors.results_shown(vote, hall.residents[0])
    assert selectors.results_shown(vote, hall.cast.community_worker)
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    assert selectors.results_shown(vote, hall.residents[0])


def test_three_reports_hide_a_comment_until_a_moderator_removes_it_keeping_the_text(hall: Hall) -> None:
    topic = services.topic_create(actor=hall.residents[0], title="广场舞噪音", body="晚上十点后还有音乐")
    comment = services.comment_add(actor=hall.residents[1], topic=topic, body="骂人的话")
    for reporter in hall.residents[2:4]:
        services.content_report(actor=reporter, comment=comment, reason="人身攻击")
    comment.refresh_from_db()
    assert comment.moderation == Moderation.VISIBLE
    with pytest.raises(Conflict):
        services.content_report(actor=hall.residents[2], comment=comment, reason="再次举报")
    services.content_report(actor=hall.residents[4], comment=comment, reason="人身攻击")
    comment.refresh_from_db()
    assert comment.moderation == Moderation.HIDDEN
    assert comment in selectors.moderation_queue(hall.cast.community_worker)["comments"]
    assert selectors.moderation_queue(hall.cast.outsider)["comments"] == []
    with pytest.raises(PermissionDenied):
        services.content_moderate(actor=hall.cast.outsider, comment=comment, decision="remove", reason="x")
    with pytest.raises(ValidationFailed):
        services.content_moderate(
            actor=hall.cast.community_worker, comment=comment, decision="remove", reason=""
        )
    services.content_moderate(
        actor=hall.cast.community_worker, comment=comment, decision="remove", reason="人身攻击"
    )
    comment.refresh_from_db()
    assert comment.moderation == Moderation.REMOVED and comment.body == "骂人的话"
    assert comment.moderation_reason == "人身攻击"


def test_residents_only_see_the_hall_of_their_own_community(hall: Hall, cast) -> None:  # type: ignore[no-untyped-def]
    topic = services.topic_create(actor=hall.residents[0], title="快递柜", body="希望增设快递柜")
    assert selectors.topics_visible_to(hall.residents[1]).filter(pk=topic.pk).exists()
    assert not selectors.topics_visible_to(cast.outsider).filter(pk=topic.pk).exists()
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=cast.outsider, topic=topic, body="路过")


def test_progress_rolls_up_to_the_parent_weighted(hall: Hall) -> None:
    _meeting, decision, _topic = held_meeting(hall)
    cast = hall.cast
    root = decision.results.get()
    road = services.result_part_add(actor=cast.community_worker, parent=root, title="路面硬化", weight=3)
    lights = services.result_part_add(actor=cast.community_worker, parent=root, title="路灯", weight=1)
    sub = services.result_part_add(actor=cast.community_worker, parent=road, title="东段", weight=1)
    services.result_part_add(actor=cast.community_worker, parent=road, title="西段", weight=1)
    services.result_progress(actor=cast.community_worker, result=sub, progress=100, note="东段完工")
    road.refresh_from_db()
    root.refresh_from_db()
    assert road.progress == 50
    assert root.progress == round((3 * 50 + 1 * 0) / 4)  # 38
    with pytest.raises(ValidationFailed, match="子项汇总"):
        services.result_progress(actor=cast.community_worker, result=road, progress=90, note="x")
    services.result_progress(
        actor=cast.community_worker, result=lights, progress=0, note="取消", dropped=True
    )
    root.refresh_from_db()
    assert root.progress == 50  # a dropped part leaves the mean
    lights.refresh_from_db()
    with pytest.raises(InvalidTransition, match="已撤销"):
        services.result_part_add(actor=cast.community_worker, parent=lights, title="北段", weight=1)
    services.result_progress(actor=cast.community_worker, result=lights, progress=10, note="恢复")
    services.result_part_add(actor=cast.community_worker, parent=lights, title="北段", weight=1)


def test_a_household_rates_an_outcome_once(hall: Hall) -> None:
    meeting, decision, _topic = held_meeting(hall)
    with pytest.raises(InvalidTransition):
        services.meeting_rate(
            actor=hall.residents[0], meeting=meeting, rating="satisfied", answers=survey(meeting)
        )
    delivered(hall, meeting, decision)
    assert Notification.objects.filter(user=hall.residents[5], url__contains=str(meeting.pk)).exists()
    services.meeting_rate(actor=hall.residents[0], meeting=meeting, rating="basic", answers=survey(meeting))
    with pytest.raises(Conflict):
        services.meeting_rate(
            actor=hall.neighbour, meeting=meeting, rating="satisfied", answers=survey(meeting)
        )
    assert selectors.rating_summary(meeting) == {"satisfied": 0, "basic": 1, "unsatisfied": 0}


def test_qr_sign_in_needs_the_meeting_to_be_held_and_marks_once(hall: Hall) -> None:
    meeting = meeting_in(hall.cast)
    with pytest.raises(InvalidTransition):
        services.meeting_sign_in(actor=hall.residents[0], token=meeting.sign_in_token)
    with pytest.raises(ValidationFailed):
        services.meeting_sign_in(actor=hall.residents[0], token="nope")


def test_overview_counts_meetings_decisions_on_time_participation_and_ratings(hall: Hall) -> None:
    meeting, decision, _topic = held_meeting(hall)
    cast = hall.cast
    delivered(hall, meeting, decision)
    services.meeting_rate(
        actor=hall.residents[0], meeting=meeting, rating="satisfied", answers=survey(meeting)
    )
    services.meeting_rate(
        actor=hall.residents[1], meeting=meeting, rating="unsatisfied", answers=survey(meeting)
    )
    vote = owners_vote(cast)
    services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[vote.options.get(key="agree").pk])
    services.vote_close(actor=cast.community_worker, vote=vote)
    today = timezone.localdate()
    figures = selectors.overview(
        cast.street.path, today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    )
    assert figures.meetings == 1 and figures.units == [{"name": "幸福社区", "held": 1, "filed": 0}]
    assert (figures.decisions_due, figures.decisions_on_time) == (1, 1)
    assert (figures.households_voting, figures.households_asked) == (1, 6)
    assert figures.satisfaction == 0.5
    assert selectors.overview(cast.other_community.path, today, today).meetings == 0


def test_a_monthly_meeting_is_repeated_a_month_later_with_its_members(cast: Cast) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 20, 2, tzinfo=dt.UTC)):
        meeting = services.meeting_create(
            actor=cast.community_worker,
            node=cast.community,
            kind="monthly",
            title="每月一议",
            scheduled_at=dt.datetime(2026, 1, 31, 11, tzinfo=dt.UTC),
            place="议事厅",
        )
        services.participant_add(
            actor=cast.community_worker, meeting=meeting, side="owners_committee", name="李主任"
        )
        nxt = services.meeting_repeat(actor=cast.community_worker, meeting=meeting)
    assert timezone.localtime(nxt.scheduled_at).date() == dt.date(
        2026, 2, 28
    )  # the last day of a short month
    assert nxt.stage == Stage.COLLECT and nxt.place == "议事厅" and nxt.kind == "monthly"
    assert [p.name for p in nxt.participants.all()] == ["李主任"]
    assert nxt.participants.get().invited_at is None
    with pytest.raises(PermissionDenied):
        services.meeting_repeat(actor=cast.outsider, meeting=meeting)


def test_the_next_meeting_of_a_series_names_the_next_month(cast: Cast) -> None:
    """召集下月会议 on 十一月每月一议 convened a second 十一月每月一议 for December; the title now names its month."""
    from linli.deliberation.services.meetings import next_month_title

    with time_machine.travel(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)):
        november = services.meeting_create(
            actor=cast.community_worker,
            node=cast.community,
            kind="monthly",
            title="十一月每月一议",
            scheduled_at=dt.datetime(2026, 11, 28, 7, tzinfo=dt.UTC),
            place="议事厅",
        )
        december = services.meeting_repeat(actor=cast.community_worker, meeting=november)
        january = services.meeting_repeat(actor=cast.community_worker, meeting=december)
        named = services.meeting_repeat(actor=cast.community_worker, meeting=january, title="新春议事会")
    assert [december.title, january.title, named.title] == ["十二月每月一议", "一月每月一议", "新春议事会"]
    assert next_month_title("1月楼道议事会", january.scheduled_at) == "2月楼道议事会"
    assert next_month_title("十一月议事会", january.scheduled_at) == "十一月议事会"  # not 一月's


def test_an_owners_vote_opened_in_english_still_offers_chinese_choices(hall: Hall) -> None:
    from django.utils import translation

    with translation.override("en"):
        vote = owners_vote(hall.cast)
    assert [o.label for o in vote.options.all()] == ["同意", "反对", "弃权"]
