"""Refused forms of co-governance answer 4xx as everywhere in Linli (htmx and site.js read the status), with the
reason shown and everything typed kept; a reply to a comment that is not there is refused, not posted elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.models import Comment, Meeting, Topic, Vote
from linli.testing import Cast, signed_in

from .conftest import PNG, Hall, single_vote

pytestmark = pytest.mark.django_db


def _tomorrow() -> str:
    return (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def test_a_refused_meeting_form_answers_422_with_the_reason_and_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    data = {"kind": "joint", "title": "议" * 130, "node": cast.community.pk, "scheduled_at": _tomorrow()}
    data["place"] = "社区议事厅"
    refused = client_for("community_worker").post(reverse("deliberation:meeting_new"), data)
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "标题太长" in page and "议" * 130 in page and "社区议事厅" in page
    assert not Meeting.objects.exists()


def test_a_refused_vote_form_answers_422_with_the_reason_and_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    data = {
        "title": "快递柜放哪里",
        "node": cast.community.pk,
        "method": "single",
        "voter": "household",
        "options": "东门",  # one option only: the service refuses it
        "closes_at": _tomorrow(),
        "quorum": 0,
    }
    refused = client_for("community_worker").post(reverse("deliberation:vote_new"), data)
    page = refused.content.decode()
    assert refused.status_code == 422
    assert 'role="alert"' in page and "快递柜放哪里" in page
    assert not Vote.objects.exists()


def test_a_refused_topic_form_answers_422_with_the_reason_and_what_was_typed(hall: Hall) -> None:
    refused = signed_in(hall.residents[0]).post(
        reverse("deliberation:topic_new"), {"title": "路" * 90, "body": "北门道路坑洼多年"}
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert 'role="alert"' in page and "北门道路坑洼多年" in page
    assert not Topic.objects.exists()


def _topic_with_comment(hall: Hall) -> tuple[Topic, Comment]:
    topic = services.topic_create(actor=hall.residents[0], title="快递柜", body="希望增设快递柜")
    return topic, services.comment_add(actor=hall.residents[1], topic=topic, body="赞成")


def _other_parents(hall: Hall, topic: Topic, comment: Comment) -> dict[str, int]:
    """Parents a reply may not name: one that never was, one in another topic, a hidden and a removed one, and a
    reply (the page shows replies to top-level comments only)."""
    other = services.topic_create(actor=hall.residents[2], title="停车", body="停车难")
    elsewhere = services.comment_add(actor=hall.residents[2], topic=other, body="同意")
    hidden = services.comment_add(actor=hall.residents[3], topic=topic, body="骂人的话")
    Comment.objects.filter(pk=hidden.pk).update(moderation="hidden")
    removed = services.comment_add(actor=hall.residents[3], topic=topic, body="广告")
    Comment.objects.filter(pk=removed.pk).update(moderation="removed")
    reply = services.comment_add(actor=hall.residents[2], topic=topic, body="我也是", parent_id=comment.pk)
    return {
        "missing": 999999,
        "elsewhere": elsewhere.pk,
        "hidden": hidden.pk,
        "removed": removed.pk,
        "reply": reply.pk,
    }


def test_a_reply_to_a_comment_that_is_not_there_is_refused_on_the_page_with_the_text_kept(hall: Hall) -> None:
    topic, comment = _topic_with_comment(hall)
    client = signed_in(hall.residents[4])
    url = reverse("deliberation:comment", args=[topic.pk])
    for case, parent in _other_parents(hall, topic, comment).items():
        before = Comment.objects.count()
        refused = client.post(url, {"body": f"回复{case}", "parent": parent})
        page = refused.content.decode()
        assert refused.status_code == 422, case
        assert "您回复的评论已不在本议题中" in page and f"回复{case}" in page, case
        assert page.index("您回复的评论已不在本议题中") < page.index("您写的内容保留在下面"), (
            case
        )  # why, then what to do
        assert Comment.objects.count() == before, case
        # What was typed is offered as a new comment: sent again, it is one, not the same refusal.
        assert f'name="parent" value="{parent}"' not in page, case
    kept = client.post(url, {"body": "作为新评论发表"})
    assert kept.status_code == 302 and Comment.objects.get(body="作为新评论发表").parent_id is None


def test_a_reply_to_a_comment_that_is_not_there_is_refused_by_the_api(hall: Hall) -> None:
    topic, comment = _topic_with_comment(hall)
    client = signed_in(hall.residents[4])
    url = f"/api/deliberation/topics/{topic.pk}/comments"
    for case, parent in _other_parents(hall, topic, comment).items():
        before = Comment.objects.count()
        refused = client.post(url, {"body": "回复", "parent_id": parent}, content_type="application/json")
        assert refused.status_code == 422, case
        assert "您回复的评论已不在本议题中" in refused.json()["message"], case
        assert Comment.objects.count() == before, case
    done = client.post(url, {"body": "回复", "parent_id": comment.pk}, content_type="application/json")
    assert done.status_code == 201 and Comment.objects.get(pk=done.json()["id"]).parent_id == comment.pk


def test_a_refused_reply_comes_back_open_in_its_box_under_the_comment(hall: Hall) -> None:
    topic, comment = _topic_with_comment(hall)
    url = reverse("deliberation:comment", args=[topic.pk])
    refused = signed_in(hall.residents[4]).post(url, {"body": "长" * 1001, "parent": comment.pk})
    page = refused.content.decode()
    assert refused.status_code == 422
    box = page[page.index(f'id="reply-{comment.pk}"') : page.index('id="new-comment"')]
    assert box.startswith(f'id="reply-{comment.pk}" open') and "长" * 1001 in box and 'role="alert"' in box
    assert "长" * 1001 not in page[page.index('id="new-comment"') :]  # not also in the comment form


def test_a_filing_returned_from_the_queue_without_a_reason_is_refused_on_the_queue(
    cast: Cast, client_for: Any
) -> None:
    """The street returned a filing from its queue without a reason: it landed on the meeting's page with a bare
    “此项为必填项”; now the queue again (422), that row's box saying what to write, the page number kept."""
    from .test_followups import waiting_filing

    meeting = waiting_filing(cast, cast.community, "五月联席会议", cast.community_worker, 3)
    refused = client_for("street_officer").post(
        reverse("deliberation:act", args=[meeting.pk, "return_filing"]),
        {"back": "filings", "page": "1", "note": "  "},
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "等待街道备案的会议" in page  # the queue, not the meeting's page
    row = page[page.index(f'id="filing-{meeting.pk}"') :]
    assert "请写明退回理由" in row[: row.index("</tr>")]
    meeting.refresh_from_db()
    assert meeting.stage == "file"


def test_submitting_a_meeting_for_filing_says_so(cast: Cast, client_for: Any) -> None:
    from .test_followups import waiting_filing

    meeting = waiting_filing(cast, cast.community, "五月联席会议", cast.community_worker, 3)
    Meeting.objects.filter(pk=meeting.pk).update(stage="evaluate")
    staff = client_for("community_worker")
    done = staff.post(reverse("deliberation:act", args=[meeting.pk, "submit_filing"]), follow=True)
    assert "“五月联席会议”已报街道备案，等待街道确认。" in done.content.decode()


def test_a_resident_is_not_offered_to_report_what_they_wrote_and_is_refused_if_they_try(hall: Hall) -> None:
    topic, comment = _topic_with_comment(hall)
    own = signed_in(hall.residents[1])  # wrote the comment, not the topic
    page = own.get(reverse("deliberation:topic", args=[topic.pk])).content.decode()
    assert reverse("deliberation:report", args=["comment", comment.pk]) not in page
    assert reverse("deliberation:report", args=["topic", topic.pk]) in page
    refused = own.post(
        reverse("deliberation:report", args=["comment", comment.pk]), {"reason": "测试"}, follow=True
    )
    assert "不能举报自己发表的内容" in refused.content.decode()
    author = signed_in(hall.residents[0])
    page = author.get(reverse("deliberation:topic", args=[topic.pk])).content.decode()
    assert reverse("deliberation:report", args=["topic", topic.pk]) not in page
    assert reverse("deliberation:report", args=["comment", comment.pk]) in page
    comment.refresh_from_db()
    assert comment.report_count == 0


def _paper(household: str, option: int) -> dict[str, Any]:
    return {
        "household": household,
        "option": option,
        "photo": SimpleUploadedFile("form.png", PNG, "image/png"),
    }


def test_a_paper_ballot_for_a_household_that_voted_is_refused_on_the_form_in_the_recorders_words(
    hall: Hall, client_for: Any
) -> None:
    """The grid worker at a door that had voted online came back to the home page, told “您家……已经投过票了” (your
    household, as if they had voted themselves): now the vote's page again (422), the household field saying this
    household has voted, the code typed kept, and no second ballot."""
    vote = single_vote(hall.cast)
    morning = vote.options.get(label="上午").pk
    services.ballot_cast(actor=hall.residents[1], vote=vote, option_ids=[morning])
    code = hall.households[1].code
    refused = client_for("grid_worker").post(
        reverse("deliberation:paper_ballot", args=[vote.pk]), _paper(code, morning)
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert f"这一户（{hall.households[1].address}）已经投过票" in page and "您家" not in page
    assert f'value="{code}"' in page
    assert vote.ballots.count() == 1


def test_a_paper_ballot_on_a_vote_closed_meanwhile_goes_back_to_the_vote(hall: Hall, client_for: Any) -> None:
    vote = single_vote(hall.cast)
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    refused = client_for("grid_worker").post(
        reverse("deliberation:paper_ballot", args=[vote.pk]),
        _paper(hall.households[1].code, vote.options.first().pk),  # type: ignore[union-attr]
    )
    assert refused.status_code == 302 and refused["Location"] == reverse("deliberation:vote", args=[vote.pk])


def test_a_quorum_larger_than_the_households_asked_is_refused(hall: Hall, client_for: Any) -> None:
    """A quorum of 100 households in a compound of six could never be met; the vote opened all the same."""
    data = {
        "title": "快递柜放哪里",
        "node": hall.cast.compound.pk,
        "method": "single",
        "voter": "household",
        "options": "东门\n北门",
        "closes_at": _tomorrow(),
        "quorum": 100,
    }
    refused = client_for("community_worker").post(reverse("deliberation:vote_new"), data)
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "最低参与数不能超过本区域的 6 户" in page and 'value="100"' in page
    assert not Vote.objects.exists()
    data["quorum"] = 6
    assert client_for("community_worker").post(reverse("deliberation:vote_new"), data).status_code == 302


def test_the_minutes_typed_go_with_closing_the_meeting_and_are_never_lost(
    hall: Hall, client_for: Any
) -> None:
    """The worker types the minutes while the meeting is held, then presses 会议已开，推动落实 at the top without
    pressing 保存纪要: the minutes typed were lost (refused for want of a decision: the box came back empty; taken:
    the old minutes kept and closed for good). Now that button sends the minutes box with it: saved first, then the
    step taken or refused."""
    from .conftest import meeting_deliberating

    meeting = meeting_deliberating(hall.cast, "广场舞噪音")
    services.meeting_sign_in(actor=hall.residents[2], token=meeting.sign_in_token)
    worker = client_for("community_worker")
    page = worker.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    act = reverse("deliberation:act", args=[meeting.pk, "start_implementation"])
    assert f'form="meeting-minutes" formaction="{act}"' in page and 'id="meeting-minutes"' in page
    typed = "与会各方同意晚九点后音量减半。"
    refused = worker.post(act, {"minutes": typed}, follow=True)
    meeting.refresh_from_db()
    assert meeting.stage == "deliberate" and meeting.minutes == typed
    assert "结束会议前至少要记录一项决定。" in refused.content.decode()
    assert typed in refused.content.decode()
    services.decision_add(
        actor=hall.cast.community_worker,
        meeting=meeting,
        text_="九点后音量减半",
        responsible_name="物业",
        working_days=5,
    )
    edited = typed + "物业负责巡查。"
    worker.post(act, {"minutes": edited})
    meeting.refresh_from_db()
    assert meeting.stage == "implement" and meeting.minutes == edited


def test_a_decision_typed_and_not_recorded_stops_closing_the_meeting_and_is_kept(
    hall: Hall, client_for: Any
) -> None:
    """The worker opens 记录决定事项, types a decision, then presses 会议已开，推动落实 (or 保存纪要) without
    pressing 记录决定: the decision typed was lost (and, with another decision on record, the meeting closed
    without it for good). Its fields now belong to the meeting's form: the step is refused (422) saying so, the
    minutes typed saved, the decision typed kept; 保存纪要 keeps it too, and 记录决定 saves the minutes typed."""
    from .conftest import meeting_deliberating

    meeting = meeting_deliberating(hall.cast, "广场舞噪音")
    services.meeting_sign_in(actor=hall.residents[2], token=meeting.sign_in_token)
    worker = hall.cast.community_worker
    services.decision_add(
        actor=worker, meeting=meeting, text_="先试行一周", responsible_name="物业", working_days=5
    )
    client = client_for("community_worker")
    page = client.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    add = reverse("deliberation:decision_add", args=[meeting.pk])
    assert f'form="meeting-minutes" formaction="{add}"' in page
    assert 'name="text_"' in page and page.count('form="meeting-minutes"') >= 4
    act = reverse("deliberation:act", args=[meeting.pk, "start_implementation"])
    sent = {
        "minutes": "九点后音量减半。",
        "text_": "九点后音量减半",
        "responsible_name": "舞蹈队",
        "working_days": "5",
    }
    refused = client.post(act, sent)
    text = refused.content.decode()
    meeting.refresh_from_db()
    assert refused.status_code == 422 and meeting.stage == "deliberate"
    assert text.count("还有未保存的决定事项") == 2  # at the top, by the button pressed, and on the form
    assert "舞蹈队" in text and "九点后音量减半" in text
    assert meeting.minutes == "九点后音量减半。" and meeting.decisions.count() == 1
    kept = client.post(reverse("deliberation:minutes", args=[meeting.pk]), sent | {"minutes": "改过的纪要"})
    meeting.refresh_from_db()
    assert meeting.minutes == "改过的纪要" and "舞蹈队" in kept.content.decode()
    assert "还有未保存的决定事项" in kept.content.decode() and meeting.decisions.count() == 1
    client.post(add, sent | {"minutes": "纪要第三稿"})
    meeting.refresh_from_db()
    assert meeting.minutes == "纪要第三稿" and meeting.decisions.count() == 2
    client.post(act, {"minutes": "纪要第三稿", "text_": "", "responsible_name": "", "working_days": "10"})
    meeting.refresh_from_db()
    assert meeting.stage == "implement"
