"""The co-governance API: scoped reads, the same services for writes, stable error codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from linli.deliberation import services

from .conftest import Hall, login, meeting_in, owners_vote

pytestmark = pytest.mark.django_db


def test_staff_convene_and_move_a_meeting_through_the_api(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    created = staff.post(
        "/api/deliberation/meetings",
        {
            "node_id": hall.cast.community.pk,
            "title": "API会议",
            "scheduled_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
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


def test_meeting_list_api_query_count_is_flat(hall: Hall, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    meeting_in(hall.cast)
    with django_assert_max_num_queries(8) as first:
        staff.get("/api/deliberation/meetings")
    for _ in range(6):
        meeting_in(hall.cast)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(staff.get("/api/deliberation/meetings").json()) == 7


def test_ballot_api_applies_the_household_rule(hall: Hall) -> None:
    vote = owners_vote(hall.cast)
    agree = vote.options.get(key="agree").pk
    ok = login(hall.residents[0]).post(
        f"/api/deliberation/votes/{vote.pk}/ballot", {"option_ids": [agree]}, content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["ballots"] == 1
    again = login(hall.neighbour).post(
        f"/api/deliberation/votes/{vote.pk}/ballot", {"option_ids": [agree]}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert Client().get(f"/api/deliberation/votes/{vote.pk}").status_code in (401, 403)


def test_topics_api_is_scoped_to_the_residents_community(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    services.topic_create(actor=hall.residents[0], title="垃圾分类", body="分类桶不够")
    assert [t["title"] for t in login(hall.residents[1]).get("/api/deliberation/topics").json()] == [
        "垃圾分类"
    ]
    assert client_for("outsider").get("/api/deliberation/topics").json() == []
