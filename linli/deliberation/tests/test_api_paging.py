"""The API's lists of meetings, filings, the public record, topics and votes go a page at a time
(core.api_paging): they stopped at 100 or 200 rows without a word, and a caller could not reach the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.choices import Stage
from linli.deliberation.models import Meeting, Topic, Vote
from linli.testing import Cast, api_pages, signed_in

from .conftest import Hall, meeting_in, single_vote

pytestmark = pytest.mark.django_db


def _same_time(model: type[Meeting] | type[Topic] | type[Vote], field: str, pks: list[int]) -> None:
    """Every row at one time, so only the last key (the id) orders them."""
    model.objects.filter(pk__in=pks).update(**{field: timezone.now() - dt.timedelta(days=3)})


def test_the_meetings_go_page_by_page_and_keep_the_stage_filter(
    cast: Cast, client_for: Callable[..., Client]
) -> None:
    made = [meeting_in(cast).pk for _ in range(5)]
    _same_time(Meeting, "scheduled_at", made)
    Meeting.objects.filter(pk=made[0]).update(stage=Stage.DELIBERATE)
    staff = client_for("community_worker")
    counts, ids = api_pages(staff, "/api/deliberation/meetings")
    assert counts == [5, 5, 5] and ids == sorted(made, reverse=True)  # the last one reached, none twice
    assert api_pages(staff, "/api/deliberation/meetings", stage="deliberate") == ([1], [made[0]])


def test_the_filings_waiting_go_page_by_page_the_longest_waiting_first(
    cast: Cast, client_for: Callable[..., Client]
) -> None:
    made = [meeting_in(cast).pk for _ in range(3)]
    Meeting.objects.filter(pk__in=made).update(
        stage=Stage.FILE, filed_at=timezone.now() - dt.timedelta(days=1)
    )
    counts, ids = api_pages(client_for("street_officer"), "/api/deliberation/filings")
    assert counts == [3, 3] and ids == made


def test_the_public_record_goes_page_by_page_without_signing_in(cast: Cast) -> None:
    made = [meeting_in(cast).pk for _ in range(3)]
    Meeting.objects.filter(pk__in=made).update(
        stage=Stage.FILED, scheduled_at=timezone.now() - dt.timedelta(days=9)
    )
    counts, ids = api_pages(Client(), "/api/deliberation/public/meetings")
    assert counts == [3, 3] and ids == sorted(made, reverse=True)


def test_the_topics_and_the_votes_go_page_by_page(hall: Hall) -> None:
    topics = [
        services.topic_create(actor=hall.residents[0], title=f"话题{n}", body="楼道灯坏了").pk
        for n in range(3)
    ]
    votes = [single_vote(hall.cast, title=f"投票{n}").pk for n in range(3)]
    _same_time(Topic, "created_at", topics)
    _same_time(Vote, "created_at", votes)
    resident = signed_in(hall.residents[1])
    assert api_pages(resident, "/api/deliberation/topics") == ([3, 3], sorted(topics, reverse=True))
    assert api_pages(resident, "/api/deliberation/votes") == ([3, 3], sorted(votes, reverse=True))
    # A limit out of range is brought into it.
    assert len(resident.get("/api/deliberation/votes", {"limit": 0}).json()["items"]) == 1
