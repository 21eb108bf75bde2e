"""并单 after intake: the worker flags similar open appeals nearby a moment after submission; the resident may follow one, handlers merge or dismiss."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from linli.appeals import selectors, similarity
from linli.appeals.choices import SuggestionStatus
from linli.appeals.jobs import JOBS
from linli.appeals.models import Appeal, DuplicateSuggestion
from linli.appeals.services import duplicates
from linli.appeals.tests import factories
from linli.core.errors import InvalidTransition, PermissionDenied
from linli.core.models import Notification
from linli.testing import Cast

LAMP = {"title": "楼道灯坏了", "description": "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。"}
LAMP_AGAIN = {
    "title": "3号楼楼道灯不亮",
    "description": "3号楼2单元的楼道灯坏了好几天，晚上上下楼很黑，请尽快修。",
}
DOG = {
    "title": "小区里有人遛狗不牵绳",
    "description": "最近总有人在小区花园遛大型犬不拴绳，孩子们很害怕，希望管一管。",
}


def submit(cast: Cast, **kwargs: Any) -> Appeal:
    """An appeal through intake, then a round of the worker's duplicates job (the suggestion's only source)."""
    appeal = factories.submit(cast, **kwargs)
    JOBS["appeals.duplicates"]()
    appeal.refresh_from_db()
    return appeal


def test_intake_leaves_the_comparison_to_the_worker(cast: Cast) -> None:
    first = factories.submit(cast, **LAMP)
    second = factories.submit(cast, **LAMP_AGAIN)
    # Not compared inside the request: nothing yet, both marked for the worker.
    assert not DuplicateSuggestion.objects.exists()
    assert list(Appeal.objects.filter(duplicates_pending=True).order_by("pk")) == [first, second]
    assert JOBS["appeals.duplicates"]() == 2
    # As at intake: each appeal is compared with those submitted before it, so the first one stays alone.
    assert [(s.appeal_id, s.candidate_id) for s in DuplicateSuggestion.objects.all()] == [
        (second.pk, first.pk)
    ]
    assert not Appeal.objects.filter(duplicates_pending=True).exists()
    # Once only: a second round finds nothing to do and stores nothing twice.
    assert JOBS["appeals.duplicates"]() == 0
    assert DuplicateSuggestion.objects.count() == 1
    assert duplicates.duplicates_check(appeal=second) == []


def test_an_appeal_closed_before_the_worker_comes_is_not_compared(cast: Cast) -> None:
    factories.submit(cast, **LAMP)
    second = factories.submit(cast, **LAMP_AGAIN)
    Appeal.objects.filter(pk=second.pk).update(state="closed")
    JOBS["appeals.duplicates"]()
    assert not DuplicateSuggestion.objects.filter(appeal=second).exists()
    assert not Appeal.objects.filter(pk=second.pk, duplicates_pending=True).exists()


def test_similar_appeal_nearby_is_flagged_after_submit(cast: Cast) -> None:
    first = submit(cast, **LAMP)
    second = submit(cast, actor=cast.resident, **LAMP_AGAIN)
    found = list(DuplicateSuggestion.objects.filter(appeal=second))
    assert [s.candidate_id for s in found] == [first.pk]
    assert found[0].score >= settings.LINLI_DUPLICATE_MIN_SCORE
    assert found[0].status == SuggestionStatus.PENDING
    # The first appeal was alone when it came in.
    assert not DuplicateSuggestion.objects.filter(appeal=first).exists()


def test_dissimilar_distant_or_old_appeals_are_not_flagged(cast: Cast) -> None:
    submit(cast, **LAMP)
    dog = submit(cast, **DOG)
    assert not DuplicateSuggestion.objects.filter(appeal=dog).exists()
    # Same text, but in another grid more than 300 m away (the other grid's centroid is ~850 m east).
    far = submit(cast, grid=cast.other_grid, **LAMP_AGAIN)
    assert not DuplicateSuggestion.objects.filter(appeal=far).exists()


def test_an_open_appeal_older_than_the_window_is_not_flagged(cast: Cast) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=15)):
        submit(cast, **LAMP)
    late = submit(cast, **LAMP_AGAIN)
    assert not DuplicateSuggestion.objects.filter(appeal=late).exists()


def test_a_point_within_the_radius_in_another_grid_is_flagged(cast: Cast) -> None:
    first = submit(cast, grid=None, lng=116.4039, lat=39.9020, **LAMP)
    # 250 m east of the first, across the grid border.
    near = submit(cast, grid=None, lng=116.4039 + 250 / (111_320 * 0.7672), lat=39.9020, **LAMP_AGAIN)
    assert first.grid_id != near.grid_id
    row = DuplicateSuggestion.objects.get(appeal=near)
    assert row.candidate_id == first.pk
    assert row.distance_m is not None and 240 < row.distance_m < 260


def test_closed_or_merged_appeals_are_no_candidates(cast: Cast) -> None:
    first = submit(cast, **LAMP)
    Appeal.objects.filter(pk=first.pk).update(state="closed")
    second = submit(cast, **LAMP_AGAIN)
    assert not DuplicateSuggestion.objects.filter(appeal=second).exists()


def test_resident_follows_the_existing_appeal_and_hears_of_its_progress(cast: Cast, client_for: Any) -> None:
    first = submit(cast, actor=cast.grid_worker, contact_phone="13900001111", channel="patrol", **LAMP)
    client = client_for("resident")
    mine = submit(cast, **LAMP_AGAIN)
    page = client.get(f"/appeals/submitted/{mine.tracking_number}/")
    assert page.status_code == 200
    assert "Follow this one instead" in page.content.decode() or "改为关注这一件" in page.content.decode()
    assert first.title in page.content.decode()
    suggestion = DuplicateSuggestion.objects.get(appeal=mine)
    done = client.post(f"/appeals/track/{mine.tracking_number}/similar/{suggestion.pk}/follow/")
    assert done.status_code == 302
    mine.refresh_from_db()
    assert mine.primary_id == first.pk and mine.state == "closed" and mine.outcome == "duplicate"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.MERGED
    # What they typed is still there, and they now see the primary and its progress.
    assert mine.description == LAMP_AGAIN["description"]
    assert client.get(f"/appeals/track/{first.tracking_number}/").status_code == 200
    before = Notification.objects.filter(user=cast.resident).count()
    from linli.appeals import services

    services.appeal_acknowledge(actor=cast.grid_worker, appeal=Appeal.objects.get(pk=first.pk))
    assert Notification.objects.filter(user=cast.resident).count() == before + 1


def test_resident_keeps_their_appeal_separate(cast: Cast, client_for: Any) -> None:
    submit(cast, actor=cast.grid_worker, contact_phone="13900001111", channel="patrol", **LAMP)
    mine = submit(cast, **LAMP_AGAIN)
    suggestion = DuplicateSuggestion.objects.get(appeal=mine)
    client = client_for("resident")
    client.post(f"/appeals/track/{mine.tracking_number}/similar/{suggestion.pk}/keep/")
    suggestion.refresh_from_db()
    mine.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED and mine.is_open and mine.primary_id is None
    assert client.get(f"/appeals/track/{mine.tracking_number}/").context["similar"] == []


def test_someone_else_cannot_follow_on_the_residents_behalf(cast: Cast, client_for: Any) -> None:
    submit(cast, **LAMP)
    mine = submit(cast, **LAMP_AGAIN)
    suggestion = DuplicateSuggestion.objects.get(appeal=mine)
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_follow(actor=cast.outsider, suggestion=suggestion)
    response = client_for("outsider").post(
        f"/appeals/track/{mine.tracking_number}/similar/{suggestion.pk}/follow/"
    )
    assert response.status_code in (302, 404)
    mine.refresh_from_db()
    assert mine.is_open


def test_handler_sees_the_suggestion_and_merges_with_one_click(cast: Cast, client_for: Any) -> None:
    first = submit(cast, **LAMP)
    second = submit(cast, **LAMP_AGAIN)
    suggestion = DuplicateSuggestion.objects.get(appeal=second)
    client = client_for("community_worker")
    bench = client.get("/appeals/workbench/")
    assert bench.context["counts"]["duplicates"] == 1
    listed = client.get("/appeals/workbench/?tab=duplicates")
    assert second.tracking_number in listed.content.decode()
    page = client.get(f"/appeals/{second.pk}/")
    assert page.context["similar"]["into"] == [suggestion]
    assert client.get(f"/appeals/{first.pk}/").context["similar"]["here"] == [suggestion]
    response = client.post(f"/appeals/{second.pk}/similar/{suggestion.pk}/merge/")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.primary_id == first.pk and second.state == "closed"
    assert client.get("/appeals/workbench/").context["counts"]["duplicates"] == 0


def test_handler_dismisses_a_suggestion(cast: Cast, client_for: Any) -> None:
    submit(cast, **LAMP)
    second = submit(cast, **LAMP_AGAIN)
    suggestion = DuplicateSuggestion.objects.get(appeal=second)
    client_for("grid_worker").post(f"/appeals/{second.pk}/similar/{suggestion.pk}/dismiss/")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED
    second.refresh_from_db()
    assert second.is_open
    with pytest.raises(InvalidTransition):
        duplicates.duplicate_merge(actor=cast.community_worker, suggestion=suggestion)


def test_merge_follows_the_tier_rules_of_appeal_merge(cast: Cast, client_for: Any) -> None:
    submit(cast, **LAMP)
    second = submit(cast, **LAMP_AGAIN)
    suggestion = DuplicateSuggestion.objects.get(appeal=second)
    # A department handler has nothing to do with this grid-tier appeal: not found for them.
    assert (
        client_for("department_handler")
        .post(f"/appeals/{second.pk}/similar/{suggestion.pk}/merge/")
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_merge(actor=cast.department_handler, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    second.refresh_from_db()
    assert second.is_open


def test_candidate_lookup_is_a_few_queries(cast: Cast, django_assert_max_num_queries: Any) -> None:
    for _ in range(5):
        submit(cast, **DOG)
    second = submit(cast, **LAMP)
    with django_assert_max_num_queries(1):
        similarity.candidates_for(second)
    assert selectors.duplicate_suggestions_for(cast.community_worker).count() >= 4


def test_guest_follows_the_existing_appeal_from_the_browser_that_submitted(cast: Cast) -> None:
    from django.test import Client

    first = submit(cast, **LAMP)
    guest = submit(cast, actor=None, contact_phone="13700003333", **LAMP_AGAIN)
    suggestion = DuplicateSuggestion.objects.get(appeal=guest)
    client = Client()
    # Without the tracking number and phone in this browser's session, nobody may decide for the guest.
    response = client.post(f"/appeals/track/{guest.tracking_number}/similar/{suggestion.pk}/follow/")
    assert response.status_code == 404
    client.post("/appeals/track/", {"tracking_number": guest.tracking_number, "phone": "13700003333"})
    client.post(f"/appeals/track/{guest.tracking_number}/similar/{suggestion.pk}/follow/")
    guest.refresh_from_db()
    assert guest.primary_id == first.pk
    # The guest hears of the primary's progress by SMS to the number they gave, once that number has proved
    # itself with a one-time code (before, a number typed into a form gets no text message).
    from linli.accounts.services import otp_request, otp_verify
    from linli.appeals import services
    from linli.core.models import OutboxMessage

    texts = OutboxMessage.objects.filter(recipient__contains="13700003333")
    assert texts.count() == 0
    with mock.patch("linli.accounts.services.secrets.randbelow", return_value=123456):
        otp_request(phone="13700003333")
    otp_verify(phone="13700003333", code="123456")
    before = texts.count()
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=Appeal.objects.get(pk=first.pk))
    assert texts.count() == before + 1


def test_suggested_merges_tab_has_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    submit(cast, **LAMP)
    for _ in range(4):
        submit(cast, **LAMP_AGAIN)
    client = client_for("community_worker")
    client.get("/appeals/workbench/?tab=duplicates")
    with django_assert_max_num_queries(14):
        page = client.get("/appeals/workbench/?tab=duplicates")
    assert len(page.context["suggestions"]) >= 4
