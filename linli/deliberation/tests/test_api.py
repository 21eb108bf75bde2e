"""The co-governance API: scoped reads, the same services for writes, stable error codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from linli.deliberation import services
from linli.testing import Cast, signed_in

from .conftest import Hall, meeting_in, owners_vote

pytestmark = pytest.mark.django_db


def _convened(staff: Client, cast: Cast) -> Any:
    """The community worker convenes a meeting of the cast's community for tomorrow through the API."""
    return staff.post(
        "/api/deliberation/meetings",
        {
            "node_id": cast.community.pk,
            "title": "API会议",
            "scheduled_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )


def test_staff_convene_and_move_a_meeting_through_the_api(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    created = _convened(staff, cast)
    assert created.status_code == 201
    pk = created.json()["id"]
    refused = staff.post(
        f"/api/deliberation/meetings/{pk}/transitions",
        {"action": "open_deliberation"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
    staff.post(f"/api/deliberation/meetings/{pk}/agenda", {"title": "停车"}, content_type="application/json")
    moved = staff.post(
        f"/api/deliberation/meetings/{pk}/transitions",
        {"action": "open_deliberation"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "deliberate"
    assert client_for("outsider").get(f"/api/deliberation/meetings/{pk}").status_code == 404
    public = Client().get("/api/deliberation/public/meetings")  # 三公开: filed meetings only, for anyone
    assert public.status_code == 200 and public.json() == {"count": 0, "items": []}


def test_meeting_list_api_query_count_is_flat(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    meeting_in(cast)
    with django_assert_max_num_queries(8) as first:
        staff.get("/api/deliberation/meetings")
    for _ in range(6):
        meeting_in(cast)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert staff.get("/api/deliberation/meetings").json()["count"] == 7


def test_ballot_api_applies_the_household_rule(hall: Hall) -> None:
    vote = owners_vote(hall.cast)
    agree = vote.options.get(key="agree").pk
    ok = signed_in(hall.residents[0]).post(
        f"/api/deliberation/votes/{vote.pk}/ballot", {"option_ids": [agree]}, content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["ballots"] == 1
    again = signed_in(hall.neighbour).post(
        f"/api/deliberation/votes/{vote.pk}/ballot", {"option_ids": [agree]}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert Client().get(f"/api/deliberation/votes/{vote.pk}").status_code in (401, 403)


def test_topics_api_is_scoped_to_the_residents_community(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    services.topic_create(actor=hall.residents[0], title="垃圾分类", body="分类桶不够")
    assert [
        t["title"] for t in signed_in(hall.residents[1]).get("/api/deliberation/topics").json()["items"]
    ] == ["垃圾分类"]
    assert client_for("outsider").get("/api/deliberation/topics").json() == {"count": 0, "items": []}


def test_members_minutes_sign_in_votes_and_moderation_through_the_api(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    meeting = meeting_in(hall.cast)
    url = f"/api/deliberation/meetings/{meeting.pk}"
    bad = staff.post(
        f"{url}/participants",
        {"side": "owners_committee", "name": "李", "phone": "123"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "phone"
    staff.post(
        f"{url}/participants",
        {"side": "owners_committee", "name": "李", "phone": "13600000009"},
        content_type="application/json",
    )
    assert staff.post(f"{url}/invitations").json() == {"invited": 1}
    staff.post(f"{url}/agenda", {"title": "停车"}, content_type="application/json")
    staff.post(f"{url}/transitions", {"action": "open_deliberation"}, content_type="application/json")
    signed = signed_in(hall.residents[0]).post(
        "/api/deliberation/sign-in", {"token": meeting.sign_in_token}, content_type="application/json"
    )
    assert signed.status_code == 200 and signed.json()["meeting_id"] == meeting.pk
    saved = staff.put(f"{url}/minutes", {"minutes": "纪要"}, content_type="application/json")
    assert saved.json()["minutes"] == "纪要"
    created = staff.post(
        "/api/deliberation/votes",
        {
            "node_id": hall.cast.compound.pk,
            "title": "活动室",
            "method": "single",
            "options": ["棋牌", "阅读"],
            "closes_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            "results_hidden": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    vote_id = created.json()["id"]
    seen = signed_in(hall.residents[1]).get(f"/api/deliberation/votes/{vote_id}").json()
    assert seen["counts"] is None  # hidden until closed
    assert staff.post(f"/api/deliberation/votes/{vote_id}/close").json()["status"] == "closed"
    topic = services.topic_create(actor=hall.residents[0], title="广告", body="卖房")
    for resident in hall.residents[1:4]:
        signed_in(resident).post(
            f"/api/deliberation/topics/{topic.pk}/reports",
            {"reason": "广告"},
            content_type="application/json",
        )
    removed = staff.post(
        f"/api/deliberation/topics/{topic.pk}/moderation",
        {"decision": "remove", "reason": "广告"},
        content_type="application/json",
    )
    assert removed.json()["moderation"] == "removed"
    refused = client_for("outsider").post(
        f"/api/deliberation/topics/{topic.pk}/moderation",
        {"decision": "keep"},
        content_type="application/json",
    )
    assert refused.status_code == 404


def test_a_step_the_meeting_cannot_take_is_said_in_words(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """A step unknown, or one of another stage (a client that saw an earlier one), is said in words, not
    "当前状态下不允许此操作" alone."""
    staff = client_for("community_worker")
    pk = _convened(staff, cast).json()["id"]
    url = f"/api/deliberation/meetings/{pk}/transitions"
    unknown = staff.post(url, {"action": "deliberate"}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["extra"]["field"] == "action"
    said = unknown.json()["message"]
    assert said.startswith("没有“deliberate”这一步") and "open_deliberation" in said
    early = staff.post(url, {"action": "submit_filing"}, content_type="application/json")
    assert early.status_code == 409
    assert early.json()["message"] == "会议现在处于“民意征集”阶段，不能“报街道备案”。"
