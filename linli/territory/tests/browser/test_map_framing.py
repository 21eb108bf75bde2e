"""In headless Chromium, at phone and desktop size: every map of the territory opens with what it is about wholly in
view — a grid's page its boundary, the map of grids every grid, the drawing page the grid redrawn — inside the map's
box and clear of the zoom buttons in its corner, framed on the box as it is laid out when the grids arrive, not on a
size it had before. Places' and appeals' maps use the same framing (web/map.js)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.territory import services
from linli.testing import build_cast
from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser

# A grid much wider than high (about 510 m by 110 m), as a strip of houses along a street is: on a phone's map it
# is framed by its width, so its ends reach the sides of the map, where the zoom buttons are.
WIDE = {
    "type": "Polygon",
    "coordinates": [
        [[116.40, 39.90], [116.406, 39.90], [116.406, 39.901], [116.40, 39.901], [116.40, 39.90]]
    ],
}


class Session(SignedInSession):
    prefix = "territory-map-framing"


def figures(page: Any, box: str, shapes: str) -> dict[str, Any]:
    """The map's box, the shapes' boxes and the map's controls' boxes, in the page's pixels."""
    return page.evaluate(
        """([boxSel, shapeSel]) => {
            const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            const map = document.querySelector(boxSel);
            return {box: rect(map), shapes: [...document.querySelectorAll(shapeSel)].map(rect),
                    controls: [...map.querySelectorAll('.leaflet-control')].filter(c => c.offsetWidth).map(rect)};
        }""",
        [box, shapes],
    )


def framed(page: Any, box: str, shapes: str) -> list[str]:
    """What is wrong with the framing: a shape not wholly inside the map's box, or under one of its controls."""
    f = figures(page, box, shapes)
    left, top, right, bottom = f["box"]
    wrong = [] if f["shapes"] else ["no shape drawn"]
    for s in f["shapes"]:
        if s[0] < left - 0.5 or s[1] < top - 0.5 or s[2] > right + 0.5 or s[3] > bottom + 0.5:
            wrong.append(f"shape {s} outside the map {f['box']}")
        for c in f["controls"]:
            if s[0] < c[2] and c[0] < s[2] and s[1] < c[3] and c[1] < s[3]:
                wrong.append(f"shape {s} under the control {c}")
    return wrong


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_grid_page_opens_with_the_whole_boundary_in_view(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    cast = build_cast()
    services.grid_update(actor=None, grid=cast.grid, boundary=WIDE)
    user = cast.grid_worker if size == "phone" else cast.community_worker
    session = Session(browser, size, user, live_server.url)
    page = session.go(f"/territory/grids/{cast.grid.pk}/")
    page.wait_for_selector('#grid-mini-map[data-loaded="1"]')
    page.locator("#grid-mini-map").scroll_into_view_if_needed()
    session.shot("grid")
    assert framed(page, "#grid-mini-map", "#grid-mini-map path.leaflet-interactive") == []
    session.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_map_of_grids_frames_every_grid_on_the_box_it_has_when_they_arrive(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    cast = build_cast()
    services.grid_update(actor=None, grid=cast.grid, boundary=WIDE)
    session = Session(browser, size, cast.community_worker, live_server.url)
    page = session.page
    held: list[Any] = []
    page.route("**/territory/map/grids.json", lambda route: held.append(route))
    page.goto(live_server.url + "/territory/map/")
    page.wait_for_function("() => document.querySelector('#grid-map.leaflet-container')")
    # The box takes its final size after the map was set up (a side panel, a late style), before the grids arrive.
    page.locator("#grid-map").evaluate("e => { e.style.width = '70%'; e.style.height = '300px'; }")
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    page.wait_for_selector("#grid-map[data-loaded]")
    session.shot("map")
    assert framed(page, "#grid-map", "#grid-map path.grid-polygon") == []
    session.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_drawing_page_opens_on_the_whole_grid_redrawn(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    cast = build_cast()
    services.grid_update(actor=None, grid=cast.grid, boundary=WIDE)
    session = Session(browser, size, cast.community_worker, live_server.url)
    page = session.go(f"/territory/grids/{cast.grid.pk}/boundary/")
    page.wait_for_selector('.grid-draw-map[data-ready="1"][data-draw-ready="1"]')
    page.locator(".grid-draw-map").scroll_into_view_if_needed()
    session.shot("draw")
    assert framed(page, ".grid-draw-map", '.grid-draw-map path.leaflet-interactive[stroke-width="3"]') == []
    session.close()
