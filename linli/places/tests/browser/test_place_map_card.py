"""A place's page on a phone and a desktop: its map fills its card. On a desktop the card stood as tall as the
facts beside it (address, opening hours, services) and the map did not, leaving an empty white band under the
map; with a photo the facts grow after the map is drawn, and the map follows."""

from __future__ import annotations

import pytest

from .conftest import Walk, shot

pytestmark = pytest.mark.browser

BAND = """() => {
    const map = document.querySelector('#places-map'), card = map.closest('.card');
    const m = map.getBoundingClientRect(), c = card.getBoundingClientRect();
    return Math.round(c.bottom - m.bottom);
}"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_map_of_a_place_fills_its_card(walk: Walk, size: str) -> None:
    from playwright.sync_api import expect

    centre = walk.centre(services="党员活动\n政务代办\n法律咨询\n议事协商\n心理疏导\n助老服务")
    context, page = walk.open(size, walk.cast.community_worker, f"/places/{centre.pk}/")
    expect(page.locator("#places-map[data-ready='1'] path.pl-ring-15")).to_have_count(1)
    assert page.evaluate(BAND) <= 2  # the card's border, nothing more
    height = page.evaluate("document.querySelector('#places-map').getBoundingClientRect().height")
    assert height >= 300
    shot(page, f"place-map-card-{size}")
    context.close()
