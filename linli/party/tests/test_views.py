"""Party organisation as staff see it on a grid's page and in the grid API (the part party adds to territory)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from linli.core.templatetags.badges import badge
from linli.party import services as party
from linli.party.models import PartyOrg
from linli.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def party_grid(cast: Cast, branch: PartyOrg) -> Cast:
    """A branch with a party group on the grid, a beacon household, and a registered member on post there."""
    party.party_org_create(
        actor=None, kind="group", name="一网格党小组", org_node=cast.compound, parent=branch, grid=cast.grid
    )
    member = party.party_member_create(
        actor=None, name="张三", party_org=branch, resident=cast.resident_record
    )
    party.beacon_household_designate(actor=None, member=member)
    doctor = party.party_member_create(actor=None, name="陈红", party_org=branch)
    registration = party.member_registration_register(
        actor=None, member=doctor, community=cast.community, workplace="区人民医院", specialty="medical"
    )
    party.member_registration_assign_post(
        actor=cast.community_worker, registration=registration, grid=cast.grid, post="健康咨询志愿者"
    )
    return cast


def _stat(page: str, key: str) -> int:
    match = re.search(rf'data-key="{key}"><div class="stat-value">(\d+)</div>', page)
    assert match, key
    return int(match.group(1))


def test_the_grid_page_shows_party_counts_groups_and_members_on_post(
    party_grid: Cast, client_for: Any
) -> None:
    page = client_for("community_worker").get(f"/territory/grids/{party_grid.grid.pk}/").content.decode()
    assert (_stat(page, "party_members"), _stat(page, "beacon_households"), _stat(page, "member_posts")) == (
        1,
        1,
        1,
    )
    assert "一网格党小组" in page and "阳光小区党支部" not in page  # only the groups attached to this grid
    # The groups are said on the card's own padded line, not a list flush against the card's edge.
    assert re.search(r'<p class="table-meta">党组织：[^<]*一网格党小组', page)
    assert "陈红" in page and "健康咨询志愿者" in page and "医疗保健" in page
    other = client_for("admin").get(f"/territory/grids/{party_grid.other_grid.pk}/").content.decode()
    assert _stat(other, "party_members") == 0 and "健康咨询志愿者" not in other


def test_the_grid_api_profile_counts_the_party_side(party_grid: Cast, client_for: Any) -> None:
    profile = client_for("community_worker").get(f"/api/grids/{party_grid.grid.pk}").json()["profile"]
    assert (profile["party_members"], profile["beacon_households"], profile["member_posts"]) == (1, 1, 1)


def test_a_members_post_reads_as_a_post_not_a_place(cast: Cast, branch: PartyOrg, client_for: Any) -> None:
    """职务 (secretary, member) on the member's page, the members list and the organisation's page; 位置 is a
    point on the map and was shown there before."""
    member = party.party_member_create(actor=None, name="周敏", party_org=branch, phone="13700002222")
    worker = client_for("community_worker")
    for url in (f"/party/members/{member.pk}/", "/party/members/", f"/party/orgs/{branch.pk}/"):
        page = worker.get(url).content.decode()
        assert "职务" in page and "位置" not in page, url


def test_a_member_on_the_roll_is_not_called_by_the_word_of_a_post(branch: PartyOrg, client_for: Any) -> None:
    """The members list's status filter said 党员 / 已离开, 党员 also being the post beside it (职务)."""
    party.party_member_create(actor=None, name="周敏", party_org=branch, phone="13700002222")
    page = client_for("community_worker").get("/party/members/").content.decode()
    assert '<option value="active" selected>在册</option>' in page


def test_kind_category_and_position_badges_wear_the_colours_their_choices_declare(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    """The one badge tag (core/templatetags/badges.py) draws them from the choices; party.css repeats no colour."""
    party.party_org_create(
        actor=None,
        kind="branch",
        name="流动党员党支部",
        org_node=cast.community,
        parent=orgs["committee"],
        category="mobile",
    )
    party.party_org_create(
        actor=None,
        kind="group",
        name="一网格党小组",
        org_node=cast.compound,
        parent=orgs["branch"],
        grid=cast.grid,
    )
    secretary = party.party_member_create(actor=None, name="张三", party_org=orgs["branch"])
    party.party_member_set_position(actor=None, member=secretary, position="secretary")
    client = client_for("community_worker")
    tree = client.get("/party/").content.decode()
    for kind in ("committee", "branch", "group"):
        assert str(badge(kind, "party.PartyOrgKind")) in tree
    assert str(badge("mobile", "party.PartyOrgCategory")) in tree
    assert 'style="--badge:#c8242b"' in str(badge("committee", "party.PartyOrgKind"))
    detail = client.get(f"/party/orgs/{orgs['branch'].pk}/").content.decode()
    assert (
        str(badge("branch", "party.PartyOrgKind")) in detail
        and str(badge("group", "party.PartyOrgKind")) in detail
    )
    assert str(badge("secretary", "party.MemberPosition")) in detail
    css = Path(finders.find("party/party.css")).read_text()
    assert ".badge.pt-" not in css  # the kind, category and position colours it kept are gone
