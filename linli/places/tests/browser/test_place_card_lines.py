"""On a desktop: a place's facts card opens at the card's padding, for the staff (with its badges, whose paragraph
stood under a blank line of its own margin) and for residents (with its facts, under a smaller one), the heading under
the opening hours stands clear of them, and a coverage table's title keeps a gap above the table's head (both stood on
their table)."""

from __future__ import annotations

import pytest

from .conftest import Walk

pytestmark = pytest.mark.browser

# How far a card's first line lies below its padding edge (its first child's top margin).
FIRST_LINE_GAP = """c => c.firstElementChild.getBoundingClientRect().top - c.getBoundingClientRect().top
    - parseFloat(getComputedStyle(c).paddingTop) - parseFloat(getComputedStyle(c).borderTopWidth)"""
# How far the heading after the opening hours stands below them.
UNDER_HOURS = """c => c.querySelector('.pl-hours + h2').getBoundingClientRect().top
    - c.querySelector('.pl-hours').getBoundingClientRect().bottom"""


def test_a_places_facts_open_at_the_card_and_titles_stand_clear_of_their_tables(walk: Walk) -> None:
    from playwright.sync_api import expect

    walk.road(2)
    station = walk.place("幸福社区服务站", "station", 116.398)
    context, page = walk.open("desktop", walk.cast.community_worker, f"/places/{station.pk}/")
    facts = page.locator("aside.card")
    expect(facts).to_contain_text("和平路")
    assert round(facts.evaluate(FIRST_LINE_GAP)) == 0
    assert facts.evaluate(UNDER_HOURS) >= 8
    page.goto(f"{walk.base}/places/near/{station.pk}/")
    facts = page.locator("main .card", has=page.locator(".pl-facts"))
    expect(facts).to_contain_text("和平路")
    assert round(facts.evaluate(FIRST_LINE_GAP)) == 0
    assert facts.evaluate(UNDER_HOURS) >= 8
    page.goto(f"{walk.base}/places/coverage/?kind=station")
    title = page.locator("h2.pl-card-title").first
    expect(title).to_be_visible()
    # From the title's words (its box less its padding) to the table's head.
    clear = title.evaluate(
        """h => h.parentElement.querySelector('thead').getBoundingClientRect().top
            - h.getBoundingClientRect().bottom + parseFloat(getComputedStyle(h).paddingBottom)"""
    )
    assert clear >= 6
    context.close()
