"""我的支部 says what is true: a member's 双报到 waiting for a decision names the community that decides it (the
branch follows it, it does not decide), and the 星级党支部 tile shows the rating as it stands in each state of the
assessment, never the computed stars as if the branch had been rated."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.party import services, waits
from linli.party.models import BranchStarRating, MemberRegistration
from linli.testing import Cast, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _section(page: str, anchor: str) -> str:
    found = re.search(rf'<section[^>]*id="{anchor}".*?</section>', page, re.S)
    assert found, anchor
    return found.group(0)


def _tile(client: Client, world: Branch) -> str:
    page = client.get(reverse("party:branch", args=[world.branch.pk])).content.decode()
    found = re.search(r'<div class="stat pt-stars-tile">.*?</div>', page, re.S)
    assert found, "the stars tile"
    return re.sub(r"<[^>]+>", " ", found.group(0))


def _words(html: str) -> str:
    return " ".join(html.split())


def test_a_pending_registration_on_the_branch_page_names_the_community_that_decides(
    world: Branch, cast: Cast
) -> None:
    services.member_registration_register(
        actor=None, member=world.member, community=cast.community, workplace="区法院", specialty="legal"
    )
    me = signed_in(world.secretary)
    section = _section(
        me.get(reverse("party:branch", args=[world.branch.pk])).content.decode(), "registrations"
    )
    assert "待幸福社区审核" in section
    assert "由党员报到的社区审核并安排岗位" in section  # who decides, once for the list
    item = me.get(f"/api/party/branch/{world.branch.pk}/registrations").json()["items"][0]
    assert item["status"] == "pending" and item["waits_for"] == "待幸福社区审核"


def test_an_approved_registration_waits_for_the_community_to_give_a_post(world: Branch, cast: Cast) -> None:
    reg = services.member_registration_register(
        actor=None, member=world.member, community=cast.community, workplace="区法院", specialty="legal"
    )
    services.member_registration_approve(actor=cast.community_worker, registration=reg)
    me = signed_in(world.secretary)
    section = _section(
        me.get(reverse("party:branch", args=[world.branch.pk])).content.decode(), "registrations"
    )
    assert "待幸福社区安排岗位" in section
    item = me.get(f"/api/party/branch/{world.branch.pk}/registrations").json()["items"][0]
    assert item["waits_for"] == "待幸福社区安排岗位"


def _rating(world: Branch) -> BranchStarRating:
    rating = services.branch_stars_compute(
        actor=world.secretary, branch=world.branch, year=timezone.localdate().year
    )
    BranchStarRating.objects.filter(pk=rating.pk).update(computed_stars=3, stars=3)
    rating.refresh_from_db()
    return rating


def test_the_stars_tile_shows_each_state_of_the_assessment_as_it_is(world: Branch, cast: Cast) -> None:
    me = signed_in(world.secretary)
    assert "—" in _tile(me, world)  # no rating yet
    rating = _rating(world)
    tile = _words(_tile(me, world))
    assert "待支部自评" in tile and "测评 3★" in tile
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=rating, claimed_stars=4, statement="四星"
    )
    tile = _words(_tile(me, world))
    assert "待街道审定" in tile and "自评 4★" in tile
    rating = services.branch_stars_return(
        actor=cast.street_officer, rating=rating, reason="请补充下半年会议纪要"
    )
    tile = _words(_tile(me, world))
    assert "已退回" in tile and "请补充下半年会议纪要" in tile
    assert "★" not in tile  # a returned self-assessment has no rating to show
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=rating, claimed_stars=4, statement="已补"
    )
    services.branch_stars_approve(actor=cast.street_officer, rating=rating)
    tile = _words(_tile(me, world))
    assert "4★" in tile and "街道已审定" in tile and "测评" not in tile


def test_the_secretary_sees_how_long_a_registration_has_waited_and_that_it_is_late(
    world: Branch, cast: Cast
) -> None:
    """The branch followed a registration ("待…社区审核") without knowing it had waited for weeks: the same wait and
    overdue mark as the community's list (party.waits), on the branch page and its API."""
    reg = services.member_registration_register(
        actor=None, member=world.member, community=cast.community, workplace="区法院", specialty="legal"
    )
    MemberRegistration.objects.filter(pk=reg.pk).update(
        registered_on=timezone.localdate() - dt.timedelta(days=30)
    )
    me = signed_in(world.secretary)
    section = _section(
        me.get(reverse("party:branch", args=[world.branch.pk])).content.decode(), "registrations"
    )
    waited, overdue = waits.waited_and_overdue(MemberRegistration.objects.get(pk=reg.pk))
    assert overdue and f"已等 {waited} 个工作日" in section and "超时" in section
    item = me.get(f"/api/party/branch/{world.branch.pk}/registrations").json()["items"][0]
    assert (item["waited_working_days"], item["overdue"]) == (waited, True)
