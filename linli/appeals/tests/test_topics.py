"""每月一题: the weekly job finds recurring problems; a street adopts one and tracks it to completion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.appeals import services, topics
from linli.appeals.choices import TopicStatus
from linli.appeals.jobs import JOBS
from linli.appeals.models import MonthlyTopic, TopicCandidate
from linli.appeals.tests.factories import submit
from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, Notification
from linli.testing import Cast

LAMPS = [
    "3号楼楼道灯又坏了，晚上黑漆漆的",
    "楼道灯坏了好几天没人修，3号楼晚上很黑",
    "3号楼2单元楼道灯不亮，老人上下楼害怕",
    "我们3号楼的楼道灯坏了，晚上走路很黑",
]
NOISE = "小区花园有人遛狗不牵绳，孩子们很害怕"


def _recurring(cast: Cast, texts: list[str], *, days_ago: int = 0, **kw: Any) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago)):
        for text in texts:
            submit(cast, title=text[:12], description=text + "，请尽快处理。", **kw)


def test_weekly_job_groups_recurring_appeals_with_counts_and_trend(cast: Cast) -> None:
    _recurring(cast, LAMPS[:1], days_ago=40)  # one in the previous period
    _recurring(cast, LAMPS, days_ago=3)
    _recurring(cast, [NOISE], days_ago=2)
    _recurring(cast, LAMPS[:3], days_ago=2, grid=cast.other_grid)
    stored = JOBS["appeals.topics"]()
    assert stored == 2
    first, second = TopicCandidate.objects.order_by("rank")
    assert first.place == cast.compound and first.street == cast.street
    assert (first.count, first.previous_count, first.trend) == (4, 1, 3)
    assert first.appeals.count() == 4
    assert all("灯" in a.description for a in first.appeals.all())
    assert first.category is not None and first.category.code == "property_management.property_service"
    assert second.place == cast.other_community and second.count == 3


def test_weekly_job_is_idempotent_within_the_iso_week(cast: Cast) -> None:
    _recurring(cast, LAMPS, days_ago=1)
    assert services.topics_compute() == 1
    _recurring(cast, LAMPS, days_ago=0)
    assert services.topics_compute() == 0
    assert TopicCandidate.objects.count() == 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        assert services.topics_compute() == 1
    assert TopicCandidate.objects.values("week").distinct().count() == 2


def test_two_appeals_are_no_recurring_problem(cast: Cast) -> None:
    _recurring(cast, LAMPS[:2], days_ago=1)
    assert services.topics_compute() == 0


def _candidate(cast: Cast) -> TopicCandidate:
    _recurring(cast, LAMPS, days_ago=1)
    services.topics_compute()
    return TopicCandidate.objects.get()


def test_street_officer_adopts_a_candidate_and_tracks_it_to_completion(cast: Cast, client_for: Any) -> None:
    candidate = _candidate(cast)
    client = client_for("street_officer")
    page = client.get("/appeals/topics/")
    assert page.status_code == 200 and candidate.title in page.content.decode()
    response = client.post(
        f"/appeals/topics/candidates/{candidate.pk}/adopt/",
        {"title": "3号楼楼道照明", "month": "2026-12", "plan": "物业两周内更换全部楼道灯，社区每周回访。"},
    )
    topic = MonthlyTopic.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/appeals/topics/{topic.pk}/"
    assert topic.status == TopicStatus.ADOPTED and topic.owner == cast.street_officer
    assert topic.month == dt.date(2026, 12, 1) and topic.street == cast.street
    assert topic.appeals.count() == 4 and topic.adopted_at is not None
    client.post(f"/appeals/topics/{topic.pk}/start/")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.IN_PROGRESS and topic.started_at is not None
    missing = client.post(f"/appeals/topics/{topic.pk}/complete/", {"note": ""})
    assert missing.status_code == 422
    client.post(f"/appeals/topics/{topic.pk}/complete/", {"note": "已全部更换为声控灯，回访居民满意。"})
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DONE and topic.done_at is not None
    steps = AuditEntry.objects.filter(object_id=str(topic.pk), action__startswith="monthly_topic.")
    assert list(steps.order_by("id").values_list("action", flat=True)) == [
        "monthly_topic.propose",
        "monthly_topic.adopt",
        "monthly_topic.start",
        "monthly_topic.complete",
    ]
    assert set(steps.values_list("actor", flat=True)) == {cast.street_officer.pk}
    assert "声控灯" in client.get(f"/appeals/topics/{topic.pk}/").content.decode()


def test_community_worker_proposes_and_only_the_street_adopts(cast: Cast, client_for: Any) -> None:
    candidate = _candidate(cast)
    client_for("community_worker").post(f"/appeals/topics/candidates/{candidate.pk}/propose/", {"title": ""})
    topic = MonthlyTopic.objects.get()
    assert topic.status == TopicStatus.PROPOSED and topic.title == candidate.title
    with pytest.raises(PermissionDenied):
        services.topic_adopt(actor=cast.community_worker, topic=topic, plan="计划")
    with pytest.raises(PermissionDenied):
        services.candidate_adopt(actor=cast.community_worker, candidate=candidate, plan="计划")
    with pytest.raises(ValidationFailed):
        services.topic_adopt(actor=cast.street_officer, topic=topic, plan="  ")
    services.topic_adopt(actor=cast.district_leader, topic=topic, plan="区里统筹")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ADOPTED and topic.owner == cast.district_leader


def test_steps_go_in_order_only(cast: Cast) -> None:
    topic = services.topic_propose(actor=cast.street_officer, candidate=_candidate(cast))
    with pytest.raises(InvalidTransition):
        services.topic_start(actor=cast.street_officer, topic=topic)
    with pytest.raises(InvalidTransition):
        services.topic_complete(actor=cast.street_officer, topic=topic, note="完成")
    services.topic_adopt(actor=cast.street_officer, topic=topic, plan="计划")
    with pytest.raises(InvalidTransition):
        services.topic_adopt(actor=cast.street_officer, topic=topic, plan="再来一次")


def test_outsiders_and_residents_see_no_topic(cast: Cast, client_for: Any) -> None:
    candidate = _candidate(cast)
    topic = services.topic_propose(actor=cast.street_officer, candidate=candidate)
    assert list(topics.candidates_visible_to(cast.outsider)) == []
    with pytest.raises(PermissionDenied):
        services.topic_propose(actor=cast.outsider, candidate=candidate)
    assert client_for("outsider").get(f"/appeals/topics/{topic.pk}/").status_code == 404
    assert (
        client_for("outsider").post(f"/appeals/topics/candidates/{candidate.pk}/propose/").status_code == 404
    )
    assert client_for("resident").get("/appeals/topics/").status_code == 403


def test_topics_page_has_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    _recurring(cast, LAMPS, days_ago=2)
    _recurring(cast, LAMPS[:3], days_ago=2, grid=cast.other_grid)
    services.topics_compute()
    for candidate in TopicCandidate.objects.all():
        services.topic_propose(actor=cast.street_officer, candidate=candidate)
    client = client_for("street_officer")
    client.get("/appeals/topics/")
    with django_assert_max_num_queries(12):
        page = client.get("/appeals/topics/")
    assert len(page.context["candidates"]) == 2 and len(page.context["topics"]) == 2


def test_an_empty_week_is_looked_at_again_only_after_new_appeals(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    _recurring(cast, LAMPS[:2], days_ago=1)
    assert services.topics_compute() == 0
    with django_assert_max_num_queries(2):  # the stored week and the latest appeal: no regrouping
        assert services.topics_compute() == 0
    _recurring(cast, LAMPS[2:], days_ago=0)
    assert services.topics_compute() == 1


def test_every_topic_and_every_appeal_of_a_topic_is_a_page_away(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.appeals.views import topics as topic_views

    monkeypatch.setattr(topic_views, "PAGE_SIZE", 2)
    for week in range(3):  # a candidate becomes one topic: three weeks' candidates, three topics
        with time_machine.travel(timezone.now() + dt.timedelta(days=7 * week)):
            _recurring(cast, LAMPS, days_ago=1)
            services.topics_compute()
    made = [
        services.topic_propose(actor=cast.street_officer, candidate=candidate, title=title)
        for candidate, title in zip(
            TopicCandidate.objects.order_by("week"), ("一月的题", "二月的题", "三月的题"), strict=True
        )
    ]
    client = client_for("street_officer")
    first = client.get("/appeals/topics/").content.decode()
    assert "第 1 / 2 页，共 3 条" in first and 'href="?topics=2#topics"' in first
    assert "一月的题" not in first  # the oldest is on the next page, not cut off
    assert "一月的题" in client.get("/appeals/topics/", {"topics": 2}).content.decode()
    url = f"/appeals/topics/{made[0].pk}/"
    page = client.get(url).content.decode()
    assert "4 件诉求" in page  # the heading counts them all, not the page
    shown = page + client.get(url, {"page": 2}).content.decode()
    assert 'href="?page=2#appeals"' in page
    assert all(a.tracking_number in shown for a in made[0].appeals.all())


def test_a_candidate_becomes_one_topic_only_and_its_card_leads_to_it(cast: Cast, client_for: Any) -> None:
    candidate = _candidate(cast)
    client_for("community_worker").post(f"/appeals/topics/candidates/{candidate.pk}/propose/", {"title": ""})
    topic = MonthlyTopic.objects.get()
    with pytest.raises(ValidationFailed, match="已是每月一题"):
        services.candidate_adopt(actor=cast.street_officer, candidate=candidate, plan="计划")
    with pytest.raises(ValidationFailed, match="已是每月一题"):
        services.topic_propose(actor=cast.community_worker, candidate=candidate)
    assert MonthlyTopic.objects.count() == 1
    page = client_for("street_officer").get("/appeals/topics/").content.decode()
    card = page[page.index('id="candidates"') : page.index('id="topics"')]
    assert f'action="/appeals/topics/candidates/{candidate.pk}/' not in card  # no form to adopt it again
    assert f'href="/appeals/topics/{topic.pk}/"' in card and "已立题" in card


def _street_topic(cast: Cast) -> MonthlyTopic:
    """A topic of the street about a problem in the community worker's compound, proposed by the community."""
    return services.topic_propose(
        actor=cast.community_worker, candidate=_candidate(cast), title="3号楼楼道照明"
    )


def test_community_worker_reads_and_follows_the_topic_about_their_community(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    topic = _street_topic(cast)
    assert topic.org_path == cast.street.path  # the street's topic, above the community worker's node
    client = client_for("community_worker")
    listed = client.get("/appeals/topics/").content.decode()
    topics_card = listed[listed.index('id="topics"') :]
    assert f'href="/appeals/topics/{topic.pk}/"' in topics_card
    candidates_card = listed[listed.index('id="candidates"') : listed.index('id="topics"')]
    assert (
        f'href="/appeals/topics/{topic.pk}/"' in candidates_card
    )  # the proposal leads to the topic it became
    page = client.get(f"/appeals/topics/{topic.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "3号楼楼道照明" in html
    assert cast.compound.name in html  # where the problem recurs
    assert all(a.tracking_number in html for a in topic.appeals.all())
    assert "topic-actions" not in html and "/adopt/" not in html  # nothing of the street's steps to take
    assert "在这里跟进" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_adopt(actor=cast.street_officer, topic=topic, plan="物业两周内更换楼道灯。")
        services.topic_start(actor=cast.street_officer, topic=topic)
    html = client.get(f"/appeals/topics/{topic.pk}/").content.decode()
    assert "物业两周内更换楼道灯" in html and "办理中" in html
    told = Notification.objects.filter(user=cast.community_worker, url=f"/appeals/topics/{topic.pk}/")
    assert told.count() == 2 and "已确定" in told.order_by("id").first().title  # type: ignore[union-attr]


def test_community_worker_takes_no_step_of_the_street_and_is_told_why(cast: Cast, client_for: Any) -> None:
    topic = _street_topic(cast)
    client = client_for("community_worker")
    refused = client.post(f"/appeals/topics/{topic.pk}/adopt/", {"plan": "社区自己采纳"})
    assert refused.status_code == 403 and "街道" in refused.content.decode()
    assert client.post(f"/appeals/topics/{topic.pk}/start/").status_code == 403
    services.topic_adopt(actor=cast.street_officer, topic=topic, plan="计划")
    services.topic_start(actor=cast.street_officer, topic=topic)
    assert client.post(f"/appeals/topics/{topic.pk}/complete/", {"note": "社区说办完了"}).status_code == 403
    topic.refresh_from_db()
    assert topic.status == TopicStatus.IN_PROGRESS and topic.completion_note == ""
    with pytest.raises(PermissionDenied, match="街道"):
        services.topic_complete(actor=cast.community_worker, topic=topic, note="完成")


def test_another_communitys_worker_cannot_open_the_topic(cast: Cast, client_for: Any) -> None:
    topic = _street_topic(cast)
    assert not topics.topics_visible_to(cast.outsider).filter(pk=topic.pk).exists()
    outsider = client_for("outsider")
    assert f"/appeals/topics/{topic.pk}/" not in outsider.get("/appeals/topics/").content.decode()
    assert outsider.get(f"/appeals/topics/{topic.pk}/").status_code == 404
    assert outsider.post(f"/appeals/topics/{topic.pk}/adopt/", {"plan": "计划"}).status_code == 404


def test_a_topic_about_another_community_stays_out_of_sight_while_the_street_sees_both(cast: Cast) -> None:
    _recurring(cast, LAMPS, days_ago=2)
    _recurring(cast, LAMPS[:3], days_ago=2, grid=cast.other_grid)
    services.topics_compute()
    made = {
        c.place_id: services.topic_propose(actor=cast.street_officer, candidate=c)
        for c in TopicCandidate.objects.all()
    }
    ours, theirs = made[cast.compound.pk], made[cast.other_community.pk]
    assert set(topics.topics_visible_to(cast.community_worker)) == {ours}
    assert set(topics.topics_visible_to(cast.outsider)) == {theirs}
    assert set(topics.topics_visible_to(cast.street_officer)) == {ours, theirs}
