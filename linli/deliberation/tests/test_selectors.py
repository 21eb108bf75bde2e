"""One meeting, decision, result, topic, comment or vote is fetched for a reader with the area filtering the row
itself: found exactly when the reader's list shows it (or its meeting or topic), a 404 otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from linli.core.errors import NotFound
from linli.deliberation import selectors, services
from linli.deliberation.models import Result

from .conftest import Hall, single_vote
from .test_services import held_meeting

pytestmark = pytest.mark.django_db

GETTERS: dict[str, Callable[[Any, int], Any]] = {
    "meeting": selectors.meeting_get_for,
    "decision": selectors.decision_get_for,
    "result": selectors.result_get_for,
    "topic": selectors.topic_get_for,
    "comment": selectors.comment_get_for,
    "vote": selectors.vote_get_for,
}


def _rows(hall: Hall) -> dict[str, Any]:
    meeting, decision, topic = held_meeting(hall)
    services.meeting_transition(
        actor=hall.cast.community_worker, meeting=meeting, action="start_implementation"
    )
    comment = services.comment_add(actor=hall.residents[3], topic=topic, body="同意尽快清理")
    return {
        "meeting": meeting,
        "decision": decision,
        "result": Result.objects.get(decision=decision),
        "topic": topic,
        "comment": comment,
        "vote": single_vote(hall.cast),
    }


@pytest.mark.parametrize("kind", list(GETTERS))
def test_the_area_finds_a_row_and_an_outsider_or_a_stranger_gets_not_found(hall: Hall, kind: str) -> None:
    cast = hall.cast
    row = _rows(hall)[kind]
    get_for = GETTERS[kind]
    for reader in (cast.community_worker, cast.street_officer, cast.admin):
        assert get_for(reader, row.pk) == row
    assert get_for(hall.residents[1], row.pk) == row  # a verified resident of the community
    for stranger in (cast.outsider, AnonymousUser()):
        with pytest.raises(NotFound):
            get_for(stranger, row.pk)
    with pytest.raises(NotFound):
        get_for(cast.admin, row.pk + 1000)


def test_a_removed_topic_and_its_comments_are_not_found_by_residents_but_are_by_its_moderators(
    hall: Hall,
) -> None:
    rows = _rows(hall)
    topic, comment = rows["topic"], rows["comment"]
    services.content_moderate(
        actor=hall.cast.community_worker, topic=topic, decision="remove", reason="重复话题"
    )
    for kind in ("topic", "comment"):
        with pytest.raises(NotFound):
            GETTERS[kind](hall.residents[1], rows[kind].pk)
        assert GETTERS[kind](hall.cast.community_worker, rows[kind].pk) == rows[kind]
    assert not selectors.topics_visible_to(hall.residents[1]).filter(pk=topic.pk).exists()
    assert comment.topic_id == topic.pk
