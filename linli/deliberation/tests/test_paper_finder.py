"""Paper ballots from the doorstep: the household is found by a resident's name, the building and room, a phone
number or its code, among the households of the vote, each suggestion saying whether the household has voted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.deliberation import services
from linli.deliberation.models import Ballot
from linli.territory import services as territory
from linli.territory.choices import ResidentStatus
from linli.territory.models import Household, Resident

from .conftest import PNG, Hall, single_vote

pytestmark = pytest.mark.django_db


def test_the_paper_ballots_household_is_found_by_name_room_or_phone_and_says_who_has_voted(
    hall: Hall, client_for: Any
) -> None:
    vote = single_vote(hall.cast)
    morning = vote.options.get(label="上午").pk
    services.ballot_cast(actor=hall.residents[1], vote=vote, option_ids=[morning])
    grid = client_for("grid_worker")
    url = reverse("deliberation:paper_household_finder", args=[vote.pk])

    def offered(text: str) -> str:
        answer = grid.get(url, {"field": "household", "household": text})
        assert answer.status_code == 200
        return answer.content.decode()

    by_name = offered("张三")  # the register's resident of the first household
    assert hall.households[0].address in by_name and "已投票" not in by_name
    by_room = offered(hall.households[1].room)
    assert hall.households[1].address in by_room and "已投票" in by_room
    assert hall.households[0].address in offered("5678")  # the last digits of 张三's phone
    # The doorstep form's shorthand: building-entrance-room, or building-room.
    first = hall.households[0]  # 1号楼 1单元 101
    assert first.address in offered("1-1-101") and first.address in offered("1-101")
    assert "finder-option" not in offered("1-2-101") and "finder-option" not in offered("2-101")
    elsewhere = offered("李四")  # the other community's resident: not among this vote's households
    assert "没有找到“李四”" in elsewhere and "finder-option" not in elsewhere


def test_a_paper_ballot_is_recorded_for_the_household_found_by_its_residents_name(
    hall: Hall, client_for: Any
) -> None:
    vote = single_vote(hall.cast)
    morning = vote.options.get(label="上午").pk
    photo = SimpleUploadedFile("form.png", PNG, "image/png")
    grid = client_for("grid_worker")
    done = grid.post(
        reverse("deliberation:paper_ballot", args=[vote.pk]),
        {"household": "张三", "option": morning, "photo": photo},
    )
    assert done.status_code == 302
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.household == hall.households[0] and ballot.is_paper
    unknown = grid.post(
        reverse("deliberation:paper_ballot", args=[vote.pk]),
        {"household": "王五", "option": morning, "photo": SimpleUploadedFile("form.png", PNG, "image/png")},
    )
    page = unknown.content.decode()
    assert unknown.status_code == 422 and "王五" in page and "本次表决" in page


def test_the_ballots_list_names_each_household_by_its_address(hall: Hall, client_for: Any) -> None:
    """The recorder checks the stack against the list: a household is read by its address, not only its code."""
    vote = single_vote(hall.cast)
    morning = vote.options.get(label="上午").pk
    services.ballot_cast(actor=hall.residents[1], vote=vote, option_ids=[morning])
    page = client_for("grid_worker").get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    ballots = page[page.index('id="ballots"') :]
    assert hall.households[1].address in ballots and hall.households[1].code in ballots


def _register(household: Household, name: str, phone: str, status: str = ResidentStatus.PRESENT) -> Resident:
    """A row of the register living in (or, when not present, once of) the household."""
    return Resident.objects.create(
        household=household,
        grid=household.building.grid,
        name=name,
        gender="female",
        birth_date=dt.date(1960, 1, 1),
        phone=phone,
        status=status,
    )


def test_a_resident_who_moved_away_no_longer_finds_the_household_they_left(
    hall: Hall, client_for: Any
) -> None:
    """The finder reads the people living in a household now: a name or phone of the register's row of one who
    moved away (or died) there names no household, whether the row still points at it or the move-out cleared it."""
    vote = single_vote(hall.cast)
    morning = vote.options.get(label="上午").pk
    left = hall.households[2]
    _register(left, "周离开", "13600000001", ResidentStatus.MOVED_AWAY)
    _register(left, "吴故去", "13600000002", ResidentStatus.DECEASED)
    moved = _register(hall.households[3], "郑迁出", "13600000003")
    territory.resident_move_out(actor=None, resident=moved)
    _register(hall.households[4], "王现住", "13600000004")
    grid = client_for("grid_worker")
    finder_url = reverse("deliberation:paper_household_finder", args=[vote.pk])

    def offered(text: str) -> str:
        answer = grid.get(finder_url, {"field": "household", "household": text})
        assert answer.status_code == 200
        return answer.content.decode()

    for gone in ("周离开", "周离", "13600000001", "0001", "吴故去", "郑迁出", "13600000003"):
        page = offered(gone)
        assert "finder-option" not in page and left.address not in page, gone
    assert hall.households[4].address in offered("王现住") and hall.households[4].address in offered("0004")
    # The household's suggestion names only who lives there.
    assert "周离开" not in offered(left.room)

    def record(text: str) -> Any:
        return grid.post(
            reverse("deliberation:paper_ballot", args=[vote.pk]),
            {"household": text, "option": morning, "photo": SimpleUploadedFile("form.png", PNG, "image/png")},
        )

    refused = record("周离开")
    page = refused.content.decode()
    assert refused.status_code == 422 and "周离开" in page and not Ballot.objects.exists()
    assert "本次表决" in page and left.address not in page  # not “… is not among the households of this vote”
    assert record("13600000003").status_code == 422 and not Ballot.objects.exists()
    assert record("王现住").status_code == 302
    assert Ballot.objects.get(vote=vote).household == hall.households[4]


def test_the_doorstep_shorthand_offers_the_household_as_its_room_is_typed(
    hall: Hall, client_for: Any
) -> None:
    """“1-1-10” on the way to “1-1-101” said nothing was found, where “1号楼1单元10” offered the household; only
    the whole shorthand names it when the form is sent."""
    vote = single_vote(hall.cast)
    first = hall.households[0]  # 1号楼 1单元 101
    grid = client_for("grid_worker")
    url = reverse("deliberation:paper_household_finder", args=[vote.pk])

    def offered(text: str) -> str:
        return grid.get(url, {"field": "household", "household": text}).content.decode()

    assert first.address in offered("1-1-10") and first.address in offered("1-1")
    assert "finder-option" not in offered("1-2-10") and "finder-option" not in offered("1-1-9")
    morning = vote.options.get(label="上午").pk
    photo = SimpleUploadedFile("form.png", PNG, "image/png")
    part = grid.post(
        reverse("deliberation:paper_ballot", args=[vote.pk]),
        {"household": "1-1-10", "option": morning, "photo": photo},
    )
    assert part.status_code == 422 and not Ballot.objects.exists()
