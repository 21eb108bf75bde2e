"""On a phone, as a community worker: the fund page's link to choose another period (换个时段) is 44 px high to tap (it
was 19 px), and the words under a need's suggested resources (how they are ranked) stand in from the card's edge as
its heading does (they touched the left edge, a word cut off at the right)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.testing.browser import short_targets

from ..conftest import fund_with
from .conftest import cast_with_a_verified_resident, shot, signed_in_context

pytestmark = pytest.mark.browser


def test_the_fund_pages_link_to_another_period_is_44_px_high(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    cast = cast_with_a_verified_resident()
    fund_with(cast, "1000.00")
    page = signed_in_context(browser, "phone", cast.community_worker, live_server.url).new_page()
    page.goto(f"{live_server.url}{reverse('cobuild:staff_fund')}?community={cast.community.pk}")
    link = "main .cb-period-said a[href='#statement']"
    assert page.locator(link).count() == 1
    shot(page, "cobuild-fund-period-link-phone")
    assert short_targets(page, link) == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_words_on_how_suggestions_rank_stand_in_as_their_heading(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.cobuild import services

    cast = cast_with_a_verified_resident()
    need = services.need_create(
        actor=cast.community_worker, community=cast.community, title="楼道灯坏了", category="repair"
    )
    page = signed_in_context(browser, size, cast.community_worker, live_server.url).new_page()
    page.goto(live_server.url + reverse("cobuild:staff_need", args=[need.pk]))
    # Where each one's words begin and end, from the card's left and right edges.
    insets = page.eval_on_selector(
        "main section.table-card",
        """card => { const c = card.getBoundingClientRect();
                     return [card.querySelector('h2'), card.querySelector('p.muted')].map(e => {
                       const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                       return [Math.round(r.left + parseFloat(s.paddingLeft) - c.left),
                               Math.round(c.right - (r.right - parseFloat(s.paddingRight)))]; }); }""",
    )
    shot(page, f"cobuild-need-suggestions-{size}")
    heading, note = insets
    assert note[0] >= heading[0] > 0 and note[1] >= heading[0], insets
