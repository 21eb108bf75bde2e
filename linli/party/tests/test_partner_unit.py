"""A partner unit's own account (共建单位: a department handler of the unit, as the product models a unit outside
the tree) reads its unit's pairings on the party pages, and only them; pairing, changing and ending stay the
community's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linli.core.roles import Role
from linli.party import services as party
from linli.party.models import PartnerPairing
from linli.testing import Cast, make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairings(cast: Cast) -> dict[str, PartnerPairing]:
    def pair(community: Any, name: str, note: str) -> PartnerPairing:
        return party.partner_pairing_create(
            actor=None,
            community=community,
            partner_name=name,
            member_count=12,
            contact_name="周老师",
            contact_phone="13600003333",
            note=note,
        )

    return {
        "mine": pair(cast.community, "区第九十四中学", "共建四点半课堂"),
        "other": pair(cast.other_community, "区图书馆", "流动图书角"),
    }


def test_a_partner_units_account_reads_its_own_pairings_only(
    cast: Cast, pairings: dict[str, PartnerPairing]
) -> None:
    unit = pairings["mine"].partner
    client = signed_in(make_user("school", Role.DEPARTMENT_HANDLER, org=unit, name="周文静"))
    page = client.get("/party/partners/").content.decode()
    assert "区第九十四中学" in page and "共建四点半课堂" in page and cast.community.name in page
    assert "区图书馆" not in page
    # Paired with a second community too: two communities, one unit whose members count once.
    party.partner_pairing_create(
        actor=None,
        community=cast.other_community,
        partner=unit,
        member_count=12,
        contact_name="周老师",
        contact_phone="13600003333",
    )
    page = client.get("/party/partners/").content.decode()
    figures = re.findall(r'<div class="stat-value">(\d+)</div><div class="stat-label">([^<]+)</div>', page)
    assert figures == [("2", "结对社区"), ("12", "单位党员")], figures
    assert "尚无结对共建单位" not in page
    assert (
        'href="/party/"' not in page and 'href="/party/members/"' not in page
    )  # only 共建单位 of the party pages
    assert 'name="community"' not in page  # no filter of communities it has none of
    assert "/edit/" not in page and "结束结对" not in page
    mine = pairings["mine"]
    assert client.get(f"/party/partners/{mine.pk}/edit/").status_code == 403
    client.post(f"/party/partners/{mine.pk}/end/", {"reason": "x"})
    mine.refresh_from_db()
    assert mine.ended_on is None
    assert client.get(f"/party/partners/{pairings['other'].pk}/edit/").status_code == 404


def test_a_departments_account_sees_no_pairing(cast: Cast, pairings: dict[str, PartnerPairing]) -> None:
    client = signed_in(make_user("cg", Role.DEPARTMENT_HANDLER, org=cast.department))
    page = client.get("/party/partners/").content.decode()
    assert "区第九十四中学" not in page and "区图书馆" not in page


def test_a_partner_units_account_opening_the_party_pages_lands_on_its_pairings(
    cast: Cast, pairings: dict[str, PartnerPairing]
) -> None:
    """/party/ (the organisations, none of which a unit sees) took it to an empty page titled 党组织."""
    client = signed_in(
        make_user("school", Role.DEPARTMENT_HANDLER, org=pairings["mine"].partner, name="周文静")
    )
    response = client.get("/party/")
    assert response.status_code == 302 and response["Location"] == "/party/partners/"
