"""Lists on the party pages that stopped at a fixed number go page by page with the shared pager: a branch's
members' registrations (stopped at 100) and a member's points ledger on the staff and the branch's pages (200)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.party import services
from linli.party.views import branch, common
from linli.testing import Cast, signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def test_the_branch_lists_every_registration_of_its_members_page_by_page(
    cast: Cast, world: Branch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(branch, "REGISTRATIONS_PER_PAGE", 2)
    for i in range(3):
        member = services.party_member_create(
            actor=None, name=f"报到党员{i}", party_org=world.branch, phone=f"1360000{i:04d}"
        )
        services.member_registration_register(
            actor=None, member=member, community=cast.community, workplace="区人民医院", specialty="medical"
        )
    me = signed_in(world.secretary)
    url = reverse("party:branch", args=[world.branch.pk])
    first = me.get(url).content.decode()
    assert '<span class="stat-value">3</span><span class="stat-label">双报到' in first  # all, not the page's
    assert "第 1 / 2 页，共 3 条" in first and 'href="?registrations=2#registrations"' in first
    second = me.get(url, {"registrations": 2}).content.decode()
    names = ("报到党员0", "报到党员1", "报到党员2")
    on_first, on_second = (
        {name for name in names if name in _section(page, "registrations")} for page in (first, second)
    )
    assert len(on_first) == 2 and len(on_second) == 1 and on_first | on_second == set(names)


def test_a_members_ledger_goes_page_by_page(
    cast: Cast, world: Branch, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "LEDGER_PER_PAGE", 2)
    for points in (1, 2, 3):
        services.member_points_grant(
            actor=cast.community_worker, member=world.member, points=points, reason=f"加{points}分"
        )
    for client, url in (
        (client_for("community_worker"), reverse("party:member_points", args=[world.member.pk])),
        (
            signed_in(world.secretary),
            reverse("party:branch_member_points", args=[world.branch.pk, world.member.pk]),
        ),
    ):
        first = client.get(url).content.decode()
        assert "加3分" in first and "加2分" in first and "加1分" not in first  # the latest first
        assert "第 1 / 2 页，共 3 条" in first and 'href="?page=2"' in first
        assert "加1分" in client.get(url, {"page": 2}).content.decode()


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]
