"""The rest of the co-governance API: the series, attendance, the calendar, paper ballots with their photo and
the ballots' audit list, reporting and moderating comments, the moderation queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.models import Ballot
from linli.testing import signed_in

from .conftest import PNG, Hall, meeting_in, owners_vote

pytestmark = pytest.mark.django_db


def test_series_attendance_and_calendar_through_the_api(hall: Hall) -> None:
    worker = hall.cast.community_worker
    meeting = meeting_in(hall.cast)
    member = services.participant_add(actor=worker, meeting=meeting, side="representative", name="陈淑华")
    services.agenda_item_add(actor=worker, meeting=meeting, title="停车")
    services.meeting_transition(actor=worker, meeting=meeting, action="open_deliberation")
    api = signed_in(worker)
    present = api.post(f"/api/deliberation/meetings/{meeting.pk}/participants/{member.pk}/present")
    assert present.status_code == 200 and present.json()["signed_in_at"]
    again = api.post(f"/api/deliberation/meetings/{meeting.pk}/participants/{member.pk}/present")
    assert again.status_code == 409
    nxt = api.post(f"/api/deliberation/meetings/{meeting.pk}/repeat")
    assert nxt.status_code == 201 and nxt.json()["stage"] == "collect" and len(nxt.json()["questions"]) == 3
    month = timezone.localtime(meeting.scheduled_at).strftime("%Y-%m")
    days = api.get(f"/api/deliberation/calendar?month={month}").json()
    assert meeting.pk in [m["id"] for d in days for m in d["meetings"]]
    assert api.get("/api/deliberation/calendar?month=2026-13").status_code == 422
    assert signed_in(hall.residents[0]).get("/api/deliberation/calendar").status_code == 403


def test_a_paper_ballot_through_the_api_is_marked_with_its_photo_and_listed_for_audit(
    hall: Hall, client_for: Any
) -> None:
    vote = owners_vote(hall.cast)
    agree = vote.options.get(key="agree").pk
    grid = client_for("grid_worker")
    url = f"/api/deliberation/votes/{vote.pk}/paper-ballots"
    no_photo = grid.post(url, {"household_code": hall.households[1].code, "option_ids": [agree]})
    assert no_photo.status_code == 422
    done = grid.post(
        url,
        {
            "household_code": hall.households[1].code,
            "option_ids": [agree],
            "photo": SimpleUploadedFile("form.png", PNG, "image/png"),
        },
    )
    assert done.status_code == 201 and done.json()["is_paper"] and done.json()["photo_url"]
    ballot = Ballot.objects.get()
    assert ballot.is_paper and ballot.paper_photo and ballot.cast_by.role == "grid_worker"
    # The same household online afterwards: refused, one ballot per household.
    refused = signed_in(hall.residents[1]).post(
        f"/api/deliberation/votes/{vote.pk}/ballot", {"option_ids": [agree]}, content_type="application/json"
    )
    assert refused.status_code == 409 and "每户只能投一票" in refused.json()["message"]
    listed = client_for("community_worker").get(f"/api/deliberation/votes/{vote.pk}/ballots").json()
    assert [(b["household"], b["is_paper"]) for b in listed] == [(hall.households[1].code, True)]
    assert signed_in(hall.residents[0]).get(f"/api/deliberation/votes/{vote.pk}/ballots").status_code == 403


def test_comments_are_reported_hidden_and_moderated_through_the_api(hall: Hall) -> None:
    topic = services.topic_create(actor=hall.residents[0], title="广场舞", body="太吵")
    comment = services.comment_add(actor=hall.residents[1], topic=topic, body="都该赶走！")
    for resident in hall.residents[2:5]:
        made = signed_in(resident).post(
            f"/api/deliberation/comments/{comment.pk}/reports",
            {"reason": "人身攻击"},
            content_type="application/json",
        )
        assert made.status_code == 201
    staff = signed_in(hall.cast.community_worker)
    queue = staff.get("/api/deliberation/moderation").json()
    assert queue == [
        {
            "kind": "comment",
            "id": comment.pk,
            "topic_id": topic.pk,
            "text": "都该赶走！",
            "reports": ["人身攻击", "人身攻击", "人身攻击"],
        }
    ]
    no_reason = staff.post(
        f"/api/deliberation/comments/{comment.pk}/moderation",
        {"decision": "remove"},
        content_type="application/json",
    )
    assert no_reason.status_code == 422
    removed = staff.post(
        f"/api/deliberation/comments/{comment.pk}/moderation",
        {"decision": "remove", "reason": "人身攻击"},
        content_type="application/json",
    ).json()
    assert removed["moderation"] == "removed" and removed["moderation_reason"] == "人身攻击"
    comment.refresh_from_db()
    assert comment.body == "都该赶走！"  # kept, with why it was removed
    assert staff.get("/api/deliberation/moderation").json() == []
