"""A vote's pages through HTTP, as residents cast ballots and the hall and the vote's page show them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.models import Ballot
from linli.territory import services as territory
from linli.testing import signed_in

from .conftest import Hall, owners_vote, single_vote, vote_of

pytestmark = pytest.mark.django_db


def test_two_households_vote_and_the_second_ballot_of_one_household_is_refused(hall: Hall) -> None:
    vote = owners_vote(hall.cast)
    agree = vote.options.get(key="agree")
    url = reverse("deliberation:ballot", args=[vote.pk])
    first = signed_in(hall.residents[0])
    assert first.post(url, {"option": agree.pk}).status_code == 302
    signed_in(hall.residents[1]).post(url, {"option": agree.pk})
    again = signed_in(hall.neighbour).post(url, {"option": agree.pk}, follow=True)
    assert "已经投过票" in again.content.decode()
    assert Ballot.objects.filter(vote=vote).count() == 2
    page = first.get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert (
        hall.households[0].address in page and 'name="option"' not in page
    )  # voted: no second ballot offered


def test_a_closed_vote_shows_one_end_time_in_the_hall_and_on_its_page(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    vote = single_vote(hall.cast, "快递柜位置", ("东门", "西门"), days=5)
    resident = client_for("resident")
    assert "截止" in resident.get(reverse("deliberation:hall")).content.decode()
    services.vote_close(actor=hall.cast.community_worker, vote=vote)
    vote.refresh_from_db()
    ended = f"投票结束于 {timezone.localtime(vote.closed_at):%m-%d %H:%M}"
    hall_page = resident.get(reverse("deliberation:hall")).content.decode()
    assert ended in hall_page and "截止" not in hall_page
    page = resident.get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert f"投票结束于 {timezone.localtime(vote.closed_at):%Y-%m-%d %H:%M}" in page
    assert "截止" not in page


def test_the_vote_form_s_yes_no_choices_are_boxes_beside_their_words(hall: Hall, client_for: Any) -> None:
    """匿名投票 and 投票结束前不公布结果: a tick box with its words on the same line, not a full-width input frame."""
    page = client_for("community_worker").get(reverse("deliberation:vote_new")).content.decode()
    for words in ("匿名投票", "投票结束前不公布结果"):
        found = re.search(
            r'<div class="field field-check">\s*<label class="check" for="[^"]+"><input type="checkbox"[^>]*><span>'
            + words,
            page,
        )
        assert found, words


def test_a_refused_ranking_ballot_comes_back_with_the_places_given_kept(hall: Hall) -> None:
    """Two options in one place: the vote's page again (422), the reason above the ballot, the places kept."""
    vote = vote_of(hall.cast, "ranking", "先修哪一处", ("路面", "路灯", "车棚"), days=7)
    o = {opt.label: opt.pk for opt in vote.options.all()}
    url = reverse("deliberation:ballot", args=[vote.pk])
    resident = signed_in(hall.residents[0])
    refused = resident.post(
        url, {f"mark_{o['路面']}": "1", f"mark_{o['路灯']}": "1", f"mark_{o['车棚']}": "3"}
    )
    page = refused.content.decode()
    assert refused.status_code == 422 and "名次各不相同" in page
    kept = re.findall(r'name="mark_(\d+)".*?<option value="(\d)" selected>', page)
    assert sorted(kept) == sorted([(str(o["路面"]), "1"), (str(o["路灯"]), "1"), (str(o["车棚"]), "3")])
    assert not Ballot.objects.filter(vote=vote).exists()


def test_a_multiple_choice_ballot_with_nothing_ticked_asks_for_at_least_one(hall: Hall) -> None:
    vote = vote_of(hall.cast, "multiple", "活动室开放哪些项目", ("棋牌", "书画", "舞蹈"), days=7)
    refused = signed_in(hall.residents[0]).post(reverse("deliberation:ballot", args=[vote.pk]), {})
    assert refused.status_code == 422 and "请至少勾选一项" in refused.content.decode()


def test_the_hall_lists_open_votes_before_closed_ones_and_says_what_it_is_for(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    closed = single_vote(hall.cast, "去年的投票", days=9)
    services.vote_close(actor=hall.cast.community_worker, vote=closed)
    single_vote(hall.cast, "正在投的票", days=2)
    page = client_for("resident").get(reverse("deliberation:hall")).content.decode()
    assert page.index("正在投的票") < page.index("去年的投票")
    assert "和邻居一起商量、投票表决" in page
    public = client_for("resident").get(reverse("deliberation:public")).content.decode()
    assert "向所有人公开" in public and f'href="{reverse("deliberation:hall")}"' in public


def test_a_vote_s_ballots_come_twenty_to_a_page_and_a_paper_ballot_s_photo_opens(
    hall: Hall, client_for: Any, monkeypatch: Any
) -> None:
    """Two hundred ballots stood one under another on a phone, and a paper ballot's 照片 pointed at /media/, which the
    site does not serve: now twenty a page, paper or online ones alone on request, the photo through the vote."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.deliberation.views import hall as hall_views

    from .conftest import PNG

    monkeypatch.setattr(hall_views, "BALLOTS_PER_PAGE", 2)
    vote = owners_vote(hall.cast)
    agree = vote.options.get(key="agree").pk
    for resident in hall.residents[:3]:
        services.ballot_cast(actor=resident, vote=vote, option_ids=[agree])
    paper = services.ballot_record_paper(
        actor=hall.cast.grid_worker,
        vote=vote,
        household=hall.households[4],
        option_ids=[agree],
        photo=SimpleUploadedFile("form.png", PNG, "image/png"),
    )
    staff = client_for("community_worker")
    url = reverse("deliberation:vote", args=[vote.pk])
    first = staff.get(url).content.decode()
    assert "第 1 / 2 页，共 4 条" in first and first.count('data-label="住户"') == 2
    assert "纸质票（1）" in first and "线上（3）" in first
    paper_only = staff.get(url, {"how": "paper"}).content.decode()
    photo = reverse("deliberation:ballot_photo", args=[vote.pk, paper.pk])
    assert f'href="{photo}"' in paper_only and paper_only.count('data-label="住户"') == 1
    served = staff.get(photo)
    with paper.paper_photo.open("rb") as stored:  # the photo as stored: written again without its EXIF
        assert served.status_code == 200 and b"".join(served.streaming_content) == stored.read()
    assert served["Content-Type"] == "image/png"
    assert signed_in(hall.residents[0]).get(photo).status_code in (403, 404)
    assert client_for("outsider").get(photo).status_code == 404


def test_a_vote_of_another_compound_offers_no_ballot_and_says_whose_it_is(hall: Hall) -> None:
    """A resident of the community opens a vote of a compound they do not live in: no ballot to fill in (casting
    it would only be refused), but who votes, in Chinese."""
    cast = hall.cast
    other = territory.org_node_create(
        actor=None, kind="compound", name="月亮小区", code="110199001001002", parent=cast.community
    )
    vote = services.vote_create(
        actor=cast.community_worker,
        node=other,
        title="月亮小区长椅",
        method="single",
        options=["东侧", "西侧"],
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    page = signed_in(hall.residents[0]).get(reverse("deliberation:vote", args=[vote.pk])).content.decode()
    assert 'name="option"' not in page and "投出这张选票" not in page
    assert "这次投票由月亮小区的住户参加" in page and hall.households[0].address in page
