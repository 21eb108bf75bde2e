"""An id in a request's body that names nothing the caller may see is refused on that field (422, `extra.fields`),
not answered 404 as if the address were wrong; nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.deliberation.models import Decision, Meeting
from linli.testing import Cast

from .conftest import meeting_deliberating

JSON = "application/json"


def test_a_meeting_of_another_community_names_the_field(cast: Cast, client_for: Any) -> None:
    convened = client_for("community_worker").post(
        "/api/deliberation/meetings",
        {
            "node_id": cast.other_community.pk,
            "title": "外社区会议",
            "scheduled_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        content_type=JSON,
    )
    assert convened.status_code == 422, convened.content
    body = convened.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["node_id"]
    assert not Meeting.objects.filter(title="外社区会议").exists()


def test_a_decision_on_an_agenda_item_that_is_not_there_names_the_field(cast: Cast, client_for: Any) -> None:
    meeting = meeting_deliberating(cast)
    added = client_for("community_worker").post(
        f"/api/deliberation/meetings/{meeting.pk}/decisions",
        {"text": "加装电梯", "responsible_name": "王主任", "working_days": 10, "item_id": 999_999},
        content_type=JSON,
    )
    assert added.status_code == 422, added.content
    assert list(added.json()["extra"]["fields"]) == ["item_id"]
    assert not Decision.objects.filter(meeting=meeting).exists()
