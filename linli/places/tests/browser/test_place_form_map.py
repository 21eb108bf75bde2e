"""In headless Chromium, at phone and desktop size, with no tile server (the machine offline): the map a place is
placed on shows what a venue's map shows — the street lines with their names and the community's grids drawn bold,
framing the map — on the form to add a place and on the form to change one. Screenshots of both."""

from __future__ import annotations

import pytest

from linli.testing.browser import SignedInSession

from .conftest import SHOTS, Walk

pytestmark = pytest.mark.browser

MAP = '.point-map[data-ready="1"][data-framed="1"]'


class Session(SignedInSession):
    shots = SHOTS
    prefix = "place-form-map"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_place_form_map_draws_the_streets_and_the_community_grids_as_a_venue_form_does(
    walk: Walk, size: str
) -> None:
    from playwright.sync_api import expect

    walk.road(2)
    centre = walk.place("幸福社区服务站", "station", 116.402, lat=39.9021)
    session = Session(walk.browser, size, walk.cast.community_worker, walk.base)
    for path, name in ((f"/places/{centre.pk}/edit/", "edit"), ("/places/new/", "new")):
        page = session.go(path)
        picker = page.locator(MAP)
        expect(picker).to_have_attribute("data-roads", "2")  # 和平路, both stretches, under the pin
        expect(picker.locator("path.road")).to_have_count(2)
        # The community's one grid bold, the map framed on it (it fills most of the map's height).
        own = picker.locator('path.leaflet-interactive[stroke-width="3"]')
        expect(own).to_have_count(1)
        assert own.bounding_box()["height"] > picker.bounding_box()["height"] * 0.5
        session.shot(name)
    expect(page.locator(".leaflet-tooltip.road-label")).to_have_text("和平路")
    session.close()
