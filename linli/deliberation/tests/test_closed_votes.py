"""What a resident sees of a vote once it has closed: the count, and in one line which option came first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.deliberation import services
from linli.deliberation.models import Vote
from linli.testing import signed_in

from .conftest import Hall, single_vote, vote_of

pytestmark = pytest.mark.django_db


def _cast(hall: Hall, vote: Vote, *labels: str) -> None:
    for resident, label in zip(hall.residents, labels, strict=False):
        services.ballot_cast(actor=resident, vote=vote, option_ids=[vote.options.get(label=label).pk])


def _page(hall: Hall, vote: Vote) -> str:
    return signed_in(hall.residents[5]).get(reverse("deliberation:vote", args=[vote.pk])).content.decode()


def test_a_closed_vote_says_which_option_most_households_chose(hall: Hall) -> None:
    """A resident opening a closed vote found a table of counts and had to work out the outcome themselves."""
    vote = single_vote(hall.cast, options=("上午", "晚上", "周末"))
    _cast(hall, vote, "上午", "晚上", "上午")
    assert "得票最多" not in _page(hall, vote)  # still open: no outcome yet
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    page = _page(hall, vote)
    assert "得票最多：上午" in page and page.index("得票最多") < page.index("<table")


def test_a_tie_names_every_option_that_came_first(hall: Hall) -> None:
    vote = single_vote(hall.cast, options=("上午", "晚上", "周末"))
    _cast(hall, vote, "上午", "晚上")
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    assert "得票最多：上午、晚上" in _page(hall, vote)


def test_a_closed_vote_without_ballots_names_no_option(hall: Hall) -> None:
    vote = single_vote(hall.cast)
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    page = _page(hall, vote)
    assert "得票最多" not in page and "6 户中已有 0 户投票" in page


def test_a_closed_ranking_says_which_option_ranked_first(hall: Hall) -> None:
    vote = vote_of(hall.cast, "ranking", "健身器材放哪里", ("东门", "北门"))
    east, north = vote.options.order_by("position")
    for resident in hall.residents[:3]:
        services.ballot_cast(actor=resident, vote=vote, marks={north.pk: 1, east.pk: 2})
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    assert "综合排名第一：北门" in _page(hall, vote)
