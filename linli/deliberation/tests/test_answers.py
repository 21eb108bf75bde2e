"""A meeting's decision answers a hall topic: shown on the topic's page with its result's progress, the topic's
followers told in their inbox; following and unfollowing; the API. And a partial ranking is refused whole."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.deliberation import services
from linli.deliberation.models import Ballot, Decision, Meeting, Topic, TopicFollower
from linli.testing import signed_in

from .conftest import Hall, meeting_in, vote_of


def topic_with_talk(hall: Hall) -> Topic:
    """A topic by the first resident, a comment by the second (who then follows it too)."""
    topic = services.topic_create(actor=hall.residents[0], title="东门晚上没有路灯", body="出入很危险。")
    services.comment_add(actor=hall.residents[1], topic=topic, body="同感，老人摔过跤。")
    return topic


def held(hall: Hall, topic: Topic | None = None) -> Meeting:
    """A meeting in 事务共商 whose agenda item grew from `topic`."""
    worker = hall.cast.community_worker
    meeting = meeting_in(hall.cast)
    services.agenda_item_add(
        actor=worker, meeting=meeting, title="东门照明", topic_ids=[topic.pk] if topic else []
    )
    services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    return meeting


def told(user: object, topic: Topic) -> int:
    return Notification.objects.filter(user=user, url=reverse("deliberation:topic", args=[topic.pk])).count()


def test_the_author_and_commenters_follow_a_topic_and_are_told_when_a_decision_answers_it(hall: Hall) -> None:
    topic = topic_with_talk(hall)
    assert set(TopicFollower.objects.filter(topic=topic).values_list("user", flat=True)) == {
        hall.residents[0].pk,
        hall.residents[1].pk,
    }
    services.topic_follow(actor=hall.residents[1], topic=topic, follow=False)
    services.topic_follow(actor=hall.residents[2], topic=topic)
    meeting = held(hall, topic)
    decision = services.decision_add(
        actor=hall.cast.community_worker,
        meeting=meeting,
        text_="东门加装路灯4盏",
        responsible_name="社区居委会",
        working_days=10,
        topic=topic,
    )
    assert decision.topic == topic
    assert told(hall.residents[0], topic) == 1 and told(hall.residents[2], topic) == 1
    assert told(hall.residents[1], topic) == 0  # stopped following
    note = Notification.objects.get(user=hall.residents[0], url__endswith=f"/topics/{topic.pk}/")
    assert "东门晚上没有路灯" in note.title and note.body == "东门加装路灯4盏"


def test_a_decision_is_linked_to_a_topic_later_and_the_topic_page_shows_its_progress(hall: Hall) -> None:
    topic = topic_with_talk(hall)
    worker = hall.cast.community_worker
    meeting = held(hall)
    decision = services.decision_add(
        actor=worker, meeting=meeting, text_="东门加装路灯4盏", responsible_name="社区居委会", working_days=10
    )
    services.minutes_save(actor=worker, meeting=meeting, minutes="议定加装路灯。")
    services.participant_mark_present(
        actor=worker,
        participant=services.participant_add(
            actor=worker, meeting=meeting, side="representative", name="陈淑华"
        ),
    )
    services.meeting_transition(actor=worker, meeting=meeting, action="start_implementation")
    services.result_progress(actor=worker, result=decision.results.get(), progress=40, note="已采购灯具")
    staff = signed_in(worker)
    page = staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "关联所答复的议事厅话题" in page
    staff.post(
        reverse("deliberation:decision_topic", args=[meeting.pk, decision.pk]),
        {"topic": topic.pk},
        follow=True,
    )
    decision.refresh_from_db()
    assert decision.topic == topic and told(hall.residents[1], topic) == 1
    assert meeting.events.filter(action="answer_topic").exists()
    resident_page = (
        signed_in(hall.residents[3]).get(reverse("deliberation:topic", args=[topic.pk])).content.decode()
    )
    assert "社区的决定" in resident_page and "东门加装路灯4盏" in resident_page and "40%" in resident_page
    hall_page = signed_in(hall.residents[3]).get(reverse("deliberation:hall")).content.decode()
    assert "已由会议决定" in hall_page
    # Saving the same link again tells nobody twice.
    services.decision_answer_topic(actor=worker, decision=decision, topic=topic)
    assert told(hall.residents[1], topic) == 1
    services.decision_answer_topic(actor=worker, decision=decision, topic=None)
    assert not Decision.objects.filter(topic=topic).exists()


def test_only_the_area_s_staff_link_a_decision_to_a_topic_of_their_area(
    hall: Hall, client_for: object
) -> None:
    topic = topic_with_talk(hall)
    meeting = held(hall)
    decision = services.decision_add(
        actor=hall.cast.community_worker,
        meeting=meeting,
        text_="加装路灯",
        responsible_name="居委会",
        working_days=5,
    )
    with pytest.raises(PermissionDenied):
        services.decision_answer_topic(actor=hall.residents[0], decision=decision, topic=topic)
    with pytest.raises(PermissionDenied):
        services.decision_answer_topic(actor=hall.cast.outsider, decision=decision, topic=topic)
    outside = Topic.objects.create(node=hall.cast.other_community, title="别处的话题", body="…")
    with pytest.raises(ValidationFailed):
        services.decision_answer_topic(actor=hall.cast.community_worker, decision=decision, topic=outside)
    decision.refresh_from_db()
    assert decision.topic is None


def test_following_a_topic_on_its_page(hall: Hall) -> None:
    topic = topic_with_talk(hall)
    resident = signed_in(hall.residents[4])
    url = reverse("deliberation:topic", args=[topic.pk])
    assert "关注此话题" in resident.get(url).content.decode()
    page = resident.post(reverse("deliberation:topic_follow", args=[topic.pk]), follow=True).content.decode()
    assert "您已关注此话题" in page and "取消关注" in page
    page = resident.post(
        reverse("deliberation:topic_follow", args=[topic.pk]), {"follow": "0"}, follow=True
    ).content.decode()
    assert "已取消关注" in page
    assert not TopicFollower.objects.filter(topic=topic, user=hall.residents[4]).exists()


def test_decisions_answer_topics_through_the_api(hall: Hall) -> None:
    topic = topic_with_talk(hall)
    meeting = held(hall, topic)
    staff = signed_in(hall.cast.community_worker)
    made = staff.post(
        f"/api/deliberation/meetings/{meeting.pk}/decisions",
        {
            "text": "东门加装路灯4盏",
            "responsible_name": "社区居委会",
            "working_days": 10,
            "topic_id": topic.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["decisions"][0]["topic_id"] == topic.pk
    resident = signed_in(hall.residents[0])
    detail = resident.get(f"/api/deliberation/topics/{topic.pk}").json()
    assert detail["following"] is True
    assert detail["answers"][0]["text"] == "东门加装路灯4盏" and detail["answers"][0]["progress"] == 0
    decision_id = detail["answers"][0]["decision_id"]
    unlinked = staff.put(
        f"/api/deliberation/decisions/{decision_id}/topic",
        {"topic_id": None},
        content_type="application/json",
    )
    assert unlinked.status_code == 200 and unlinked.json()["decisions"][0]["topic_id"] is None
    refused = resident.put(
        f"/api/deliberation/decisions/{decision_id}/topic",
        {"topic_id": topic.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    off = resident.put(
        f"/api/deliberation/topics/{topic.pk}/following", {"follow": False}, content_type="application/json"
    )
    assert off.status_code == 200 and off.json()["following"] is False


def test_a_partial_ranking_on_the_page_is_refused_with_the_options_left_out_and_nothing_counted(
    hall: Hall,
) -> None:
    vote = vote_of(hall.cast, "ranking", "快递柜设在哪个门", ("东门", "南门", "西门"), days=7)
    o = {opt.label: opt.pk for opt in vote.options.all()}
    resident = signed_in(hall.residents[0])
    page = resident.post(
        reverse("deliberation:ballot", args=[vote.pk]),
        {f"mark_{o['东门']}": "1", f"mark_{o['南门']}": "2"},
        follow=True,
    ).content.decode()
    assert "西门还没有名次" in page and "本次未计票" in page
    assert not Ballot.objects.filter(vote=vote).exists()
