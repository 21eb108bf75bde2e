"""A party member's page on a desktop: its three form cards (职务, 转接组织关系, 离开) stand in one row, stretched
to the tallest; each keeps its fields at its top (core/forms.css `.form-grid`), and the row keeps the page's gap
below the cards above it (core/pages.css)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession

from ..helpers import party_orgs

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    prefix = "party-member-cards"


def test_a_members_form_cards_keep_their_fields_at_the_top(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.party import services as party
    from linli.testing import build_cast

    cast = build_cast()
    branch = party_orgs(cast)["branch"]
    member = party.party_member_create(actor=None, name="王五", party_org=branch, phone="13700001111")

    staff = Session(browser, "desktop", cast.community_worker, live_server.url)
    page = staff.go(f"/party/members/{member.pk}/")
    cards = page.locator("main .page-cards > form.card")
    assert cards.count() == 3
    offsets = []
    for i in range(3):
        card = cards.nth(i)
        top = card.bounding_box()["y"]
        field = card.locator("select, input:not([type=hidden])").first.bounding_box()["y"]
        offsets.append(round(field - top))
    heights = {round(cards.nth(i).bounding_box()["height"]) for i in range(3)}
    assert len(heights) == 1  # one row, stretched to the tallest
    assert max(offsets) - min(offsets) <= 2, offsets  # each card's first field at the same place near its top
    above = page.locator("main .grid-2").bounding_box()
    gap = cards.first.bounding_box()["y"] - (above["y"] + above["height"])
    assert gap >= 15, gap
    staff.shot("desktop")
    staff.close()
