"""A place's page on a phone and a desktop: its map fills its card. On a desktop the card stood as tall as the
facts beside it (address, opening hours, services) and the map did not, leaving an empty white band under the
map; with a photo the facts grow after the map is drawn, and the map follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linli.testing import Cast

from .conftest import shot, signed_in

pytestmark = pytest.mark.browser

BAND = """() => {
    const map = document.querySelector('#places-map'), card = map.closest('.card');
    const m = map.getBoundingClientRect(), c = card.getBoundingClientRect();
    return Math.round(c.bottom - m.bottom);
}"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_map_of_a_place_fills_its_card(
    live_server: Any,
    live_cast: Cast,
    road: Callable[[int], Any],
    place: Callable[..., Any],
    browser: Any,
    size: str,
) -> None:
    from playwright.sync_api import expect

    road(2)
    centre = place(
        "幸福社区党群服务中心",
        "party_centre",
        116.398,
        address="和平路1号",
        lat=39.902,
        services="党员活动\n政务代办\n法律咨询\n议事协商\n心理疏导\n助老服务",
    )
    context = signed_in(browser, size, live_cast.community_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/places/{centre.pk}/")
    expect(page.locator("#places-map[data-ready='1'] path.pl-ring-15")).to_have_count(1)
    assert page.evaluate(BAND) <= 2  # the card's border, nothing more
    height = page.evaluate("document.querySelector('#places-map').getBoundingClientRect().height")
    assert height >= 300
    shot(page, f"place-map-card-{size}")
    context.close()
