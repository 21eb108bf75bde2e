"""Who votes: one ballot per household (the default, always for an owners' decision) or one per verified resident
when the vote says so — on the pages, for paper ballots, in the participation base and through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from linli.core.errors import Conflict, ValidationFailed
from linli.deliberation import selectors, services
from linli.deliberation.models import Ballot, Vote
from linli.territory import services as territory
from linli.testing import signed_in

from .conftest import PNG, Hall, single_vote

pytestmark = pytest.mark.django_db


def resident_vote(hall: Hall, voter: str = "resident") -> Vote:
    return single_vote(hall.cast, voter=voter)


def test_two_residents_of_one_household_each_vote_but_not_twice(hall: Hall) -> None:
    vote = resident_vote(hall)
    # Seven verified residents in six households: the participation base counts residents.
    assert vote.base_households == 6 and vote.base_residents == 7
    morning, evening = vote.options.all()
    services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[morning.pk])
    services.ballot_cast(actor=hall.neighbour, vote=vote, option_ids=[evening.pk])  # same household
    with pytest.raises(Conflict, match="您已经投过票了：每位居民只有一票"):
        services.ballot_cast(actor=hall.neighbour, vote=vote, option_ids=[morning.pk])
    ballots = Ballot.objects.filter(vote=vote)
    assert {b.person_id for b in ballots} == {hall.residents[0].pk, hall.neighbour.pk}
    assert {b.household_id for b in ballots} == {hall.households[0].pk}
    tally = selectors.vote_tally(vote)
    assert (tally.ballots, tally.eligible) == (2, 7)
    assert [(c.label, c.households) for c in tally.options] == [("上午", 1), ("晚上", 1)]


def test_a_household_vote_still_refuses_the_second_member(hall: Hall) -> None:
    vote = single_vote(hall.cast)
    assert vote.voter == "household" and vote.base_residents == 0
    morning = vote.options.first()
    assert morning is not None
    services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[morning.pk])
    with pytest.raises(Conflict, match="每户只能投一票") as refused:
        services.ballot_cast(actor=hall.neighbour, vote=vote, option_ids=[morning.pk])
    assert hall.households[0].address in str(refused.value.message)
    assert Ballot.objects.get(vote=vote).person is None


def test_an_owners_vote_cannot_be_per_resident(hall: Hall) -> None:
    with pytest.raises(ValidationFailed, match=r"业主共同决定.*一户一票"):
        services.vote_create(
            actor=hall.cast.community_worker,
            node=hall.cast.compound,
            title="加装电梯",
            method="owners",
            closes_at=timezone.now() + dt.timedelta(days=7),
            voter="resident",
        )
    assert not Vote.objects.exists()
    with pytest.raises(ValidationFailed, match="请选择投票人"):
        resident_vote(hall, voter="everyone")


def test_the_pages_offer_who_votes_and_count_each_resident(hall: Hall, client_for: Any) -> None:
    staff = client_for("community_worker")
    form = staff.get(reverse("deliberation:vote_new")).content.decode()
    assert 'name="voter"' in form and "一人一票" in form
    refused = staff.post(
        reverse("deliberation:vote_new"),
        {
            "title": "加装电梯",
            "node": hall.cast.compound.pk,
            "method": "owners",
            "voter": "resident",
            "closes_at": (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "quorum": 0,
        },
    )
    assert refused.status_code == 422 and "不能按居民一人一票" in refused.content.decode()
    created = staff.post(
        reverse("deliberation:vote_new"),
        {
            "title": "活动室开放时间",
            "node": hall.cast.compound.pk,
            "method": "single",
            "voter": "resident",
            "options": "上午\n晚上",
            "closes_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "quorum": 3,
        },
    )
    assert created.status_code == 302
    vote = Vote.objects.get(title="活动室开放时间")
    assert vote.voter == "resident"
    url = reverse("deliberation:vote", args=[vote.pk])
    me, neighbour = signed_in(hall.residents[0]), signed_in(hall.neighbour)
    page = me.get(url).content.decode()
    assert "一人一票" in page and "您的选票" in page and "最低参与：3 人" in page
    morning = vote.options.get(label="上午")
    ballot_url = reverse("deliberation:ballot", args=[vote.pk])
    assert "您的选票已计入" in me.post(ballot_url, {"option": morning.pk}, follow=True).content.decode()
    page = neighbour.get(url).content.decode()
    assert 'name="option"' in page  # my vote is mine: my neighbour in the household still has a ballot
    neighbour.post(ballot_url, {"option": morning.pk})
    again = neighbour.post(ballot_url, {"option": morning.pk}, follow=True).content.decode()
    assert "您已经投过票了" in again and "您已投票" in again and 'name="option"' not in again
    assert Ballot.objects.filter(vote=vote).count() == 2
    hall_page = neighbour.get(reverse("deliberation:hall")).content.decode()
    assert "已有 2 位居民投票" in hall_page and "您已投票" in hall_page
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    closed = me.get(url).content.decode()
    assert "7 位居民中已有 2 人投票" in closed


def test_a_paper_ballot_on_a_per_resident_vote_names_the_resident(hall: Hall, client_for: Any) -> None:
    vote = resident_vote(hall)
    morning = vote.options.get(label="上午")
    grid = client_for("grid_worker")
    url = reverse("deliberation:paper_ballot", args=[vote.pk])
    page = grid.get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert 'name="resident"' in page and f"{hall.households[0].code} · neighbour" in page

    def post(household: str, resident: int | None) -> Any:
        data: dict[str, Any] = {
            "household": household,
            "option": morning.pk,
            "photo": SimpleUploadedFile("form.png", PNG, "image/png"),
        }
        if resident is not None:
            data["resident"] = resident
        return grid.post(url, data)

    missing = post(hall.households[0].code, None)
    assert missing.status_code == 422 and "请选择在纸质选票上签字的居民" in missing.content.decode()
    wrong = post(hall.households[0].code, hall.residents[1].pk)  # lives in another household
    assert wrong.status_code == 422 and "不是这一户的已核验居民" in wrong.content.decode()
    empty = territory.household_create(actor=None, building=hall.cast.building, code="H20", room="801")
    nobody = post(empty.code, None)
    assert nobody.status_code == 422 and "没有已核验的居民" in nobody.content.decode()
    assert not Ballot.objects.filter(vote=vote).exists()
    assert post(hall.households[0].code, hall.neighbour.pk).status_code == 302
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.is_paper and ballot.person == hall.neighbour and ballot.household == hall.households[0]
    # The resident named on paper cannot vote again online; the other resident of the household can.
    with pytest.raises(Conflict, match="您已经投过票了"):
        services.ballot_cast(actor=hall.neighbour, vote=vote, option_ids=[morning.pk])
    services.ballot_cast(actor=hall.residents[0], vote=vote, option_ids=[morning.pk])
    listed = client_for("community_worker").get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert (
        ">neighbour<" in listed
        and f">{hall.cast.resident.display_name or hall.cast.resident.username}<" in listed
    )


def test_the_api_creates_reads_and_records_per_resident_votes(hall: Hall, client_for: Any) -> None:
    staff = client_for("community_worker")
    body = {
        "node_id": hall.cast.compound.pk,
        "title": "活动室开放时间",
        "method": "single",
        "options": ["上午", "晚上"],
        "closes_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        "voter": "resident",
    }
    created = staff.post("/api/deliberation/votes", body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert (data["voter"], data["eligible_residents"], data["eligible_households"]) == ("resident", 7, 6)
    owners = staff.post(
        "/api/deliberation/votes",
        {**body, "method": "owners", "options": []},
        content_type="application/json",
    )
    assert owners.status_code == 422 and "不能按居民一人一票" in owners.json()["message"]
    vote_id = data["id"]
    morning = data["options"][0]["id"]
    ballot_url = f"/api/deliberation/votes/{vote_id}/ballot"
    for user in (hall.residents[0], hall.neighbour):
        cast = signed_in(user).post(ballot_url, {"option_ids": [morning]}, content_type="application/json")
        assert cast.status_code == 201
    again = signed_in(hall.neighbour).post(
        ballot_url, {"option_ids": [morning]}, content_type="application/json"
    )
    assert again.status_code == 409 and "每位居民只有一票" in again.json()["message"]
    read = signed_in(hall.residents[1]).get(f"/api/deliberation/votes/{vote_id}").json()
    assert read["voter"] == "resident" and read["ballots"] == 2
    grid = client_for("grid_worker")
    paper_url = f"/api/deliberation/votes/{vote_id}/paper-ballots"
    photo = SimpleUploadedFile("form.png", PNG, "image/png")
    no_one = grid.post(
        paper_url, {"household_code": hall.households[1].code, "option_ids": [morning], "photo": photo}
    )
    assert no_one.status_code == 422 and "请选择在纸质选票上签字的居民" in no_one.json()["message"]
    photo = SimpleUploadedFile("form.png", PNG, "image/png")
    recorded = grid.post(
        paper_url,
        {
            "household_code": hall.households[1].code,
            "option_ids": [morning],
            "photo": photo,
            "resident_id": hall.residents[1].pk,
        },
    )
    assert recorded.status_code == 201 and recorded.json()["resident_id"] == hall.residents[1].pk
    listed = staff.get(f"/api/deliberation/votes/{vote_id}/ballots").json()
    assert sorted(b["resident_id"] for b in listed) == sorted(
        [hall.residents[0].pk, hall.neighbour.pk, hall.residents[1].pk]
    )


def test_household_participation_counts_a_household_once_on_a_per_resident_vote(hall: Hall) -> None:
    vote = resident_vote(hall)
    morning = vote.options.get(label="上午")
    for user in (hall.residents[0], hall.neighbour, hall.residents[1]):
        services.ballot_cast(actor=user, vote=vote, option_ids=[morning.pk])
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    today = timezone.localdate()
    overview = selectors.overview(hall.cast.community.path, today, today)
    assert (overview.households_voting, overview.households_asked) == (2, 6)
