"""Co-governance follow-ups: linked appeals resolved with their decision, photos checked by their content."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import User
from linli.appeals import services as appeals
from linli.appeals.choices import AppealState, Outcome
from linli.appeals.models import Appeal
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.deliberation import jobs, selectors, services
from linli.deliberation.choices import Stage
from linli.deliberation.models import BallotMark, Meeting, MeetingRating, RatingAnswer, Vote
from linli.territory.models import OrgNode
from linli.testing import Cast, signed_in

from .conftest import PNG, Hall, decided, meeting_in, survey, vote_of

pytestmark = pytest.mark.django_db


def appeal_in_grid(cast: Cast, title: str, **kw: Any) -> Appeal:
    args: dict[str, Any] = {
        "actor": cast.resident,
        "kind": "complaint",
        "title": title,
        "description": "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。",
        "channel": "web",
        "category_code": "property_management.property_service",
        "grid": cast.grid,
    }
    args.update(kw)
    return appeals.appeal_submit(**args)


def test_linked_appeals_are_resolved_when_the_decision_is_done(hall: Hall) -> None:
    cast = hall.cast
    dispatched = appeal_in_grid(cast, "楼道灯坏了")
    waiting = appeal_in_grid(cast, "2单元灯也坏了")
    appeals.appeal_acknowledge(actor=cast.grid_worker, appeal=waiting)
    appeals.appeal_pause(actor=cast.grid_worker, appeal=waiting, reason="等待居民开门查看线路")
    meeting, decision = decided(hall, [dispatched.tracking_number, waiting.tracking_number])
    root = decision.results.get()
    part = services.result_part_add(actor=cast.community_worker, parent=root, title="采购灯具")
    services.result_progress(actor=cast.community_worker, result=part, progress=60, note="灯具已到货")
    dispatched.refresh_from_db()
    assert dispatched.state == AppealState.DISPATCHED  # not yet: the decision is not done
    services.result_progress(actor=cast.community_worker, result=part, progress=100, note="已全部更换")
    dispatched.refresh_from_db()
    waiting.refresh_from_db()
    assert dispatched.state == AppealState.RESOLVED and dispatched.outcome == Outcome.FIXED
    assert meeting.title in dispatched.resolution_note
    assert dispatched.events.filter(action="resolve", actor__isnull=True).exists()
    assert waiting.state == AppealState.WAITING  # left to its handler, and said so in the meeting's history
    event = meeting.events.get(action="appeals_resolved")
    assert dispatched.tracking_number in event.note and waiting.tracking_number in event.note


def test_a_decision_without_appeals_resolves_nothing(hall: Hall) -> None:
    meeting, decision = decided(hall, [])
    services.result_progress(
        actor=hall.cast.community_worker, result=decision.results.get(), progress=100, note="完成"
    )
    assert not meeting.events.filter(action="appeals_resolved").exists()


def test_result_photos_are_checked_by_their_content(hall: Hall) -> None:
    _meeting, decision = decided(hall, [])
    result = decision.results.get()
    fake = SimpleUploadedFile("done.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    with pytest.raises(ValidationFailed, match="不是可识别的照片") as error:
        services.result_progress(
            actor=hall.cast.community_worker, result=result, progress=50, note="完成一半", photo=fake
        )
    assert error.value.extra["field"] == "photo"
    result.refresh_from_db()
    assert result.progress == 0 and not result.updates.exists()
    done = services.result_progress(
        actor=hall.cast.community_worker,
        result=result,
        progress=50,
        note="完成一半",
        photo=SimpleUploadedFile("done.png", PNG, "image/png"),
    )
    assert done.updates.get().photo


# --- 镇街备案: the street's queue of filings waiting -------------------------------------------------------------


def waiting_filing(cast: Cast, node: OrgNode, title: str, actor: User, days_ago: int) -> Meeting:
    """A meeting already submitted for filing `days_ago` days ago (its earlier steps are tested elsewhere)."""
    meeting = services.meeting_create(
        actor=actor, node=node, kind="joint", title=title, scheduled_at=timezone.now() - dt.timedelta(days=40)
    )
    filed_at = timezone.now() - dt.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(stage=Stage.FILE, filed_at=filed_at)
    meeting.refresh_from_db()
    return meeting


def test_the_street_sees_its_filings_waiting_oldest_first_and_decides_from_the_queue(
    cast: Cast, client_for: Any
) -> None:
    recent = waiting_filing(cast, cast.community, "五月联席会议", cast.community_worker, 1)
    old = waiting_filing(cast, cast.community, "四月联席会议", cast.community_worker, 9)
    elsewhere = waiting_filing(cast, cast.other_community, "光明社区板凳会", cast.outsider, 3)
    meeting_in(cast)  # still collecting opinions: not in the queue
    assert list(selectors.filings_waiting(cast.street_officer)) == [old, elsewhere, recent]
    assert list(selectors.filings_waiting(cast.community_worker)) == [old, recent]
    assert not selectors.filings_waiting(cast.resident).exists()

    street = client_for("street_officer")
    page = street.get(reverse("deliberation:filings")).content.decode()
    assert page.index("四月联席会议") < page.index("五月联席会议")
    assert "等待 9 天" in page and "确认备案" in page
    response = street.post(
        reverse("deliberation:act", args=[old.pk, "acknowledge_filing"]), {"back": "filings"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("deliberation:filings")
    response = street.post(
        reverse("deliberation:act", args=[recent.pk, "return_filing"]),
        {"back": "filings", "note": "缺少签到表照片"},
    )
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.stage == Stage.FILED and recent.stage == Stage.EVALUATE
    assert recent.filing_note == "缺少签到表照片"
    assert list(selectors.filings_waiting(cast.street_officer)) == [elsewhere]

    # The community sees its own filings waiting, without the street's buttons.
    waiting_filing(cast, cast.community, "六月联席会议", cast.community_worker, 2)
    page = client_for("community_worker").get(reverse("deliberation:filings")).content.decode()
    assert "六月联席会议" in page and "光明社区板凳会" not in page and "acknowledge_filing" not in page
    assert client_for("resident").get(reverse("deliberation:filings")).status_code in (302, 403)


def test_the_filings_waiting_go_page_by_page_and_a_decision_returns_to_its_page(
    cast: Cast, client_for: Any, monkeypatch: Any
) -> None:
    """The street's queue stopped at the 200th filing without a word; now it goes a page at a time."""
    from linli.deliberation.views import meetings as meeting_views

    monkeypatch.setattr(meeting_views, "FILINGS_PER_PAGE", 2)
    made = [
        waiting_filing(cast, cast.community, f"第{n}次联席会议", cast.community_worker, 10 - n)
        for n in range(3)
    ]
    street = client_for("street_officer")
    first = street.get(reverse("deliberation:filings")).content.decode()
    assert "第 1 / 2 页，共 3 条" in first and 'href="?page=2"' in first
    assert "第0次联席会议" in first and "第2次联席会议" not in first
    second = street.get(reverse("deliberation:filings"), {"page": 2}).content.decode()
    assert "第2次联席会议" in second and 'name="page" value="2"' in second
    response = street.post(
        reverse("deliberation:act", args=[made[2].pk, "acknowledge_filing"]), {"back": "filings", "page": "2"}
    )
    assert response["Location"] == reverse("deliberation:filings") + "?page=2"
    made[2].refresh_from_db()
    assert made[2].stage == Stage.FILED


def test_the_queue_says_what_became_of_a_filing_and_a_returned_one_reads_as_an_error(
    cast: Cast, client_for: Any
) -> None:
    """A row left the queue without a word; and the street's reason for returning a filing, and the hall's note
    to a resident without a household, sat bare and centred (the error pages' `notice`)."""
    from linli.core.roles import Role
    from linli.testing import make_user, signed_in

    first = waiting_filing(cast, cast.community, "四月联席会议", cast.community_worker, 9)
    second = waiting_filing(cast, cast.community, "五月联席会议", cast.community_worker, 2)
    street = client_for("street_officer")
    act = "deliberation:act"
    done = street.post(reverse(act, args=[first.pk, "acknowledge_filing"]), {"back": "filings"}, follow=True)
    assert "“四月联席会议”已备案。" in done.content.decode()
    back = street.post(
        reverse(act, args=[second.pk, "return_filing"]),
        {"back": "filings", "note": "缺少签到表照片"},
        follow=True,
    )
    assert "已将“五月联席会议”的备案退回社区，并附上了理由。" in back.content.decode()
    page = (
        client_for("community_worker").get(reverse("deliberation:meeting", args=[second.pk])).content.decode()
    )
    assert (
        '<div class="alert alert-error" role="status"><strong>街道退回了备案：</strong> 缺少签到表照片'
        in page
    )
    newcomer = signed_in(make_user("newcomer", Role.RESIDENT, node=cast.community, name="新住户"))
    assert '<div class="alert" role="status">' in newcomer.get(reverse("deliberation:hall")).content.decode()


def test_the_filings_api_is_scoped_and_its_query_count_flat(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    waiting_filing(cast, cast.community, "四月联席会议", cast.community_worker, 9)
    waiting_filing(cast, cast.other_community, "光明社区板凳会", cast.outsider, 3)
    street = client_for("street_officer")
    with django_assert_max_num_queries(10) as first:
        rows = street.get("/api/deliberation/filings").json()["items"]
    assert [r["title"] for r in rows] == ["四月联席会议", "光明社区板凳会"]
    assert all(r["may_decide"] for r in rows) and rows[0]["decisions"] == 0
    for i in range(4):
        waiting_filing(cast, cast.community, f"会议{i}", cast.community_worker, 1)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert street.get("/api/deliberation/filings").json()["count"] == 6
    with django_assert_max_num_queries(len(first.captured_queries) + 4):  # the page: session, nav, counts
        assert street.get(reverse("deliberation:filings")).status_code == 200
    rows = client_for("community_worker").get("/api/deliberation/filings").json()["items"]
    assert [r["title"] for r in rows][:1] == ["四月联席会议"] and not rows[0]["may_decide"]
    assert client_for("resident").get("/api/deliberation/filings").status_code == 403


# --- 推动落实: an overdue result climbs to the street, then the district -----------------------------------------


def told(user: User, text: str) -> int:
    return Notification.objects.filter(user=user, body__contains=text).count()


def test_an_overdue_result_escalates_to_the_community_then_the_street_then_the_district(hall: Hall) -> None:
    cast = hall.cast
    _meeting, decision = decided(hall, [])
    result = decision.results.get()
    due = {d.level: d.due_on for d in result.deadlines.all()}
    assert result.due_on < due["community"] < due["street"] < due["district"]
    at = lambda day: timezone.make_aware(dt.datetime.combine(day, dt.time(9)))  # noqa: E731
    with time_machine.travel(at(result.due_on)):
        assert jobs.warn_overdue_results() == 0  # due today: not late yet
    with time_machine.travel(at(due["community"])):
        assert jobs.warn_overdue_results() == 1
        assert jobs.warn_overdue_results() == 0  # each level is told once
    assert told(cast.community_worker, decision.text) == 1 and told(cast.street_officer, decision.text) == 0
    with time_machine.travel(at(due["street"])):
        assert jobs.warn_overdue_results() == 1
    result.refresh_from_db()
    assert result.escalated_to == "street"
    assert told(cast.street_officer, decision.text) == 1 and told(cast.district_leader, decision.text) == 0
    with time_machine.travel(at(due["district"])):
        assert jobs.warn_overdue_results() == 1
        assert jobs.warn_overdue_results() == 0
    result.refresh_from_db()
    assert result.escalated_to == "district" and told(cast.district_leader, decision.text) == 1
    assert told(cast.community_worker, decision.text) == 1  # the lower levels are not told again


def test_a_result_done_in_time_never_escalates_and_a_claimed_row_is_not_sent_twice(hall: Hall) -> None:
    cast = hall.cast
    _meeting, decision = decided(hall, [])
    result = decision.results.get()
    part = services.result_part_add(actor=cast.community_worker, parent=result, title="采购灯具")
    assert part.deadlines.count() == 3
    services.result_progress(actor=cast.community_worker, result=part, progress=100, note="完成")
    with time_machine.travel(timezone.now() + dt.timedelta(days=60)):
        assert jobs.warn_overdue_results() == 0
    # Two workers holding the same row: the second compare-and-swap finds it claimed.
    other = services.result_part_add(actor=cast.community_worker, parent=result, title="安装")
    row = other.deadlines.get(level="community")
    with time_machine.travel(timezone.now() + dt.timedelta(days=60)):
        assert services.result_escalate(deadline=row) is True
        assert services.result_escalate(deadline=row) is False
    assert told(cast.community_worker, "安装") == 1


# --- 评价反馈: the rating as a short survey, one response per household ----------------------------------------


def evaluating(hall: Hall) -> Meeting:
    meeting, decision = decided(hall, [])
    services.result_progress(
        actor=hall.cast.community_worker, result=decision.results.get(), progress=100, note="完成"
    )
    services.meeting_transition(actor=hall.cast.community_worker, meeting=meeting, action="open_evaluation")
    return meeting


def test_the_survey_needs_every_answer_takes_one_response_per_household_and_is_summed(hall: Hall) -> None:
    meeting = evaluating(hall)
    first, informed, quality = meeting.questions.all()
    with pytest.raises(ValidationFailed, match="请回答问卷中的每个问题") as error:
        services.meeting_rate(
            actor=hall.residents[0], meeting=meeting, rating="satisfied", answers={str(first.pk): "basic"}
        )
    assert error.value.extra["field"] == f"q{informed.pk}"
    assert not MeetingRating.objects.exists()
    answers = survey(meeting, "satisfied", "basic", "unsatisfied")
    services.meeting_rate(actor=hall.residents[0], meeting=meeting, rating="satisfied", answers=answers)
    with pytest.raises(Conflict):
        services.meeting_rate(actor=hall.neighbour, meeting=meeting, rating="basic", answers=answers)
    services.meeting_rate(
        actor=hall.residents[1],
        meeting=meeting,
        rating="basic",
        answers={**answers, str(quality.pk): "satisfied"},
    )
    rows = {row["key"]: (row["counts"], row["total"]) for row in selectors.survey_summary(meeting)}
    assert rows["overall"] == ({"satisfied": 1, "basic": 1, "unsatisfied": 0}, 2)
    assert rows[str(informed.pk)] == ({"satisfied": 0, "basic": 2, "unsatisfied": 0}, 2)
    assert rows[str(quality.pk)] == ({"satisfied": 1, "basic": 0, "unsatisfied": 1}, 2)
    assert RatingAnswer.objects.count() == 6


def test_a_meeting_starts_with_the_default_questions_in_chinese(hall: Hall) -> None:
    meeting, _decision = decided(hall, [])
    assert [q.text for q in meeting.questions.all()] == [
        "落实情况是否符合会议决定？",
        "落实过程中是否及时公开进展？",
        "完成的质量如何？",
    ]


def test_the_secretary_sets_the_survey_until_the_first_household_answers(hall: Hall) -> None:
    worker = hall.cast.community_worker
    meeting, decision = decided(hall, [])
    services.survey_questions_set(
        actor=worker, meeting=meeting, questions=["施工期间出行是否得到妥善安排？", "  ", "路面是否平整？"]
    )
    assert [q.text for q in meeting.questions.all()] == ["施工期间出行是否得到妥善安排？", "路面是否平整？"]
    with pytest.raises(ValidationFailed, match="两个问题相同"):
        services.survey_questions_set(actor=worker, meeting=meeting, questions=["路面是否平整？"] * 2)
    with pytest.raises(ValidationFailed, match="至多提 8 个问题"):
        services.survey_questions_set(actor=worker, meeting=meeting, questions=[f"问题{i}" for i in range(9)])
    with pytest.raises(PermissionDenied):
        services.survey_questions_set(actor=hall.residents[0], meeting=meeting, questions=["随便问问"])
    assert meeting.questions.count() == 2  # the refused changes left the questions as they were
    services.result_progress(actor=worker, result=decision.results.get(), progress=100, note="完成")
    services.meeting_transition(actor=worker, meeting=meeting, action="open_evaluation")
    services.meeting_rate(
        actor=hall.residents[0], meeting=meeting, rating="satisfied", answers=survey(meeting, "basic")
    )
    with pytest.raises(Conflict, match="已有住户填写问卷"):
        services.survey_questions_set(actor=worker, meeting=meeting, questions=["新问题"])
    rows = selectors.survey_summary(meeting)
    assert [r["label"] for r in rows][1:] == ["施工期间出行是否得到妥善安排？", "路面是否平整？"]
    assert rows[2]["counts"]["basic"] == 1


def test_a_survey_of_no_questions_asks_only_the_overall_rating(hall: Hall) -> None:
    worker = hall.cast.community_worker
    meeting, decision = decided(hall, [])
    services.survey_questions_set(actor=worker, meeting=meeting, questions=[])
    services.result_progress(actor=worker, result=decision.results.get(), progress=100, note="完成")
    services.meeting_transition(actor=worker, meeting=meeting, action="open_evaluation")
    services.meeting_rate(actor=hall.residents[0], meeting=meeting, rating="basic")
    assert MeetingRating.objects.get().answers.count() == 0


def test_the_next_monthly_meeting_asks_the_same_questions(hall: Hall) -> None:
    worker = hall.cast.community_worker
    meeting, _decision = decided(hall, [])
    services.survey_questions_set(actor=worker, meeting=meeting, questions=["车位够用吗？"])
    nxt = services.meeting_repeat(actor=worker, meeting=meeting)
    assert [q.text for q in nxt.questions.all()] == ["车位够用吗？"]


def test_the_survey_page_keeps_what_was_chosen_on_a_missing_answer(hall: Hall) -> None:
    meeting = evaluating(hall)
    first, informed, quality = meeting.questions.all()
    resident = signed_in(hall.residents[2])
    url = reverse("deliberation:meeting_public", args=[meeting.pk])
    page = resident.get(url).content.decode()
    assert "落实情况是否符合会议决定" in page and page.count('type="radio"') == 12
    sent = {"rating": "basic", f"q{first.pk}": "satisfied", "comment": "灯很亮"}
    refused = resident.post(reverse("deliberation:rate", args=[meeting.pk]), sent)
    body = refused.content.decode()
    assert refused.status_code == 422 and 'role="alert"' in body and 'value="灯很亮"' in body
    assert re.search(rf'<input type="radio" name="q{first.pk}" value="satisfied"[^>]* checked>', body)
    done = resident.post(
        reverse("deliberation:rate", args=[meeting.pk]),
        {**sent, f"q{informed.pk}": "basic", f"q{quality.pk}": "basic"},
    )
    assert done.status_code == 302
    response = MeetingRating.objects.get()
    assert response.comment == "灯很亮" and response.answers.count() == 3
    staff = signed_in(hall.cast.community_worker).get(reverse("deliberation:meeting", args=[meeting.pk]))
    assert "1 户填写了评价问卷" in staff.content.decode()


def test_the_secretary_sets_the_survey_on_the_meeting_page(hall: Hall) -> None:
    meeting, _decision = decided(hall, [])
    staff = signed_in(hall.cast.community_worker)
    page = staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "设置评价问卷" in page and "完成的质量如何？" in page
    too_long = staff.post(reverse("deliberation:survey", args=[meeting.pk]), {"questions": "长" * 121})
    assert too_long.status_code == 422 and 'role="alert"' in too_long.content.decode()
    assert meeting.questions.count() == 3
    staff.post(reverse("deliberation:survey", args=[meeting.pk]), {"questions": "车位够用吗？\n收费合理吗？"})
    assert [q.text for q in meeting.questions.all()] == ["车位够用吗？", "收费合理吗？"]


def test_the_survey_through_the_api(hall: Hall) -> None:
    meeting = evaluating(hall)
    staff = signed_in(hall.cast.community_worker)
    detail = staff.get(f"/api/deliberation/meetings/{meeting.pk}").json()
    assert len(detail["questions"]) == 3
    quality = detail["questions"][2]["id"]
    api = signed_in(hall.residents[3])
    url = f"/api/deliberation/meetings/{meeting.pk}/rating"
    bad = api.post(url, {"rating": "satisfied", "answers": {}}, content_type="application/json")
    assert bad.status_code == 422
    answers = survey(meeting, "satisfied", "basic", "unsatisfied")
    ok = api.post(url, {"rating": "satisfied", "answers": answers}, content_type="application/json")
    assert ok.status_code == 201
    detail = staff.get(f"/api/deliberation/meetings/{meeting.pk}").json()
    rows = {row["key"]: row for row in detail["survey"]}
    assert rows[str(quality)]["counts"]["unsatisfied"] == 1 and rows["overall"]["total"] == 1
    locked = staff.put(
        f"/api/deliberation/meetings/{meeting.pk}/survey",
        {"questions": ["新问题"]},
        content_type="application/json",
    )
    assert locked.status_code == 409


def test_the_survey_is_set_through_the_api(hall: Hall) -> None:
    meeting, _decision = decided(hall, [])
    staff = signed_in(hall.cast.community_worker)
    url = f"/api/deliberation/meetings/{meeting.pk}/survey"
    done = staff.put(url, {"questions": ["车位够用吗？"]}, content_type="application/json")
    assert done.status_code == 200 and [q["text"] for q in done.json()["questions"]] == ["车位够用吗？"]
    resident = signed_in(hall.residents[0]).put(url, {"questions": []}, content_type="application/json")
    assert resident.status_code == 403


# --- ranking and score votes (Loomio's ranked choice and score polls), one ballot per household ----------------


def marked_vote(hall: Hall, method: str, **kw: Any) -> Vote:
    return vote_of(hall.cast, method, "快递柜设在哪个门", ("东门", "南门", "西门"), days=7, **kw)


def ids(vote: Vote) -> dict[str, int]:
    return {o.label: o.pk for o in vote.options.all()}


def test_a_ranking_vote_is_counted_by_borda_points(hall: Hall) -> None:
    vote = marked_vote(hall, "ranking")
    o = ids(vote)
    with pytest.raises(ValidationFailed, match="南门、西门还没有名次"):
        services.ballot_cast(actor=hall.residents[0], vote=vote, marks={o["东门"]: 1})
    assert not vote.ballots.exists()  # a partial ranking is refused whole: nothing counted
    with pytest.raises(ValidationFailed, match="名次各不相同"):
        services.ballot_cast(
            actor=hall.residents[0], vote=vote, marks={o["东门"]: 1, o["南门"]: 1, o["西门"]: 2}
        )
    # Three households: 东 > 南 > 西, 南 > 东 > 西, 南 > 西 > 东 → 南 6+… Borda: 东 3+2+1=6, 南 2+3+3=8, 西 1+1+2=4.
    orders = [("东门", "南门", "西门"), ("南门", "东门", "西门"), ("南门", "西门", "东门")]
    for resident, order in zip(hall.residents, orders, strict=False):
        services.ballot_cast(
            actor=resident, vote=vote, marks={o[label]: place for place, label in enumerate(order, 1)}
        )
    with pytest.raises(Conflict):
        services.ballot_cast(
            actor=hall.neighbour, vote=vote, marks={o["东门"]: 1, o["南门"]: 2, o["西门"]: 3}
        )
    tally = selectors.vote_tally(vote)
    assert [(c.label, c.points, c.first) for c in tally.options] == [
        ("南门", 8, 2),
        ("东门", 6, 1),
        ("西门", 4, 0),
    ]
    assert tally.ballots == 3 and tally.options[0].share == pytest.approx(8 / 9)


def test_a_score_vote_sums_and_averages_the_scores(hall: Hall) -> None:
    with pytest.raises(ValidationFailed, match="最高分"):
        marked_vote(hall, "score", max_score=11)
    vote = marked_vote(hall, "score", max_score=3)
    o = ids(vote)
    with pytest.raises(ValidationFailed, match="0 到 3"):
        services.ballot_cast(
            actor=hall.residents[0], vote=vote, marks={o["东门"]: 4, o["南门"]: 0, o["西门"]: 0}
        )
    with pytest.raises(ValidationFailed, match="南门、西门还没有打分"):
        services.ballot_cast(actor=hall.residents[0], vote=vote, marks={o["东门"]: 3})
    services.ballot_cast(actor=hall.residents[0], vote=vote, marks={o["东门"]: 3, o["南门"]: 0, o["西门"]: 1})
    services.ballot_cast(actor=hall.residents[1], vote=vote, marks={o["东门"]: 2, o["南门"]: 3, o["西门"]: 0})
    tally = selectors.vote_tally(vote)
    assert [(c.label, c.points, c.mean) for c in tally.options] == [
        ("东门", 5, 2.5),
        ("南门", 3, 1.5),
        ("西门", 1, 0.5),
    ]
    assert tally.options[0].share == pytest.approx(5 / 6)


def test_ranking_through_the_page_the_paper_ballot_and_the_api(hall: Hall, client_for: Any) -> None:
    vote = marked_vote(hall, "ranking")
    o = ids(vote)
    resident = signed_in(hall.residents[0])
    url = reverse("deliberation:vote", args=[vote.pk])
    page = resident.get(url).content.decode()
    assert f'name="mark_{o["东门"]}"' in page and "1 是您的首选" in page
    resident.post(
        reverse("deliberation:ballot", args=[vote.pk]),
        {f"mark_{o['东门']}": "2", f"mark_{o['南门']}": "1", f"mark_{o['西门']}": "3"},
    )
    page = resident.get(url).content.decode()
    assert "1. 南门 · 2. 东门 · 3. 西门" in page and "波达计数" in page
    # The grid worker records a paper ballot with a photo of the signed form.
    grid = client_for("grid_worker")
    grid.post(
        reverse("deliberation:paper_ballot", args=[vote.pk]),
        {
            "household": hall.households[1].code,
            "photo": SimpleUploadedFile("form.png", PNG, "image/png"),
            f"mark_{o['东门']}": "1",
            f"mark_{o['南门']}": "2",
            f"mark_{o['西门']}": "3",
        },
    )
    api = signed_in(hall.residents[2])
    bad = api.post(
        f"/api/deliberation/votes/{vote.pk}/ballot",
        {"marks": {o["东门"]: 1}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    ok = api.post(
        f"/api/deliberation/votes/{vote.pk}/ballot",
        {"marks": {o["东门"]: 3, o["南门"]: 1, o["西门"]: 2}},
        content_type="application/json",
    )
    assert ok.status_code == 201
    counts = {c["label"]: c for c in ok.json()["counts"]}
    # 南 3+2+3 = 8, 东 2+3+1 = 6, 西 1+1+2 = 4
    assert (counts["南门"]["points"], counts["东门"]["points"], counts["西门"]["points"]) == (8, 6, 4)
    assert ok.json()["ballots"] == 3 and BallotMark.objects.filter(ballot__is_paper=True).count() == 3
    staff = client_for("community_worker").get(url).content.decode()
    assert "南门 2" in staff  # the staff's list of ballots shows each household's places


def test_vote_page_query_count_does_not_grow_with_ballots(
    hall: Hall, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    vote = marked_vote(hall, "score")
    o = ids(vote)
    services.ballot_cast(actor=hall.residents[0], vote=vote, marks={o["东门"]: 3, o["南门"]: 0, o["西门"]: 1})
    staff = client_for("community_worker")
    url = reverse("deliberation:vote", args=[vote.pk])
    with django_assert_max_num_queries(40) as first:
        staff.get(url)
    for resident in hall.residents[1:]:
        services.ballot_cast(actor=resident, vote=vote, marks={o["东门"]: 1, o["南门"]: 2, o["西门"]: 5})
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = staff.get(url).content.decode()
    assert "4.3" in page  # 西门: (1 + 5 × 5) / 6 households
