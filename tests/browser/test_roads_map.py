"""The maps without a tile server draw the street's roads and the grid names, on a phone and on a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from test_pages import sign_in  # (tests/browser is on the path: pytest prepends it)

from linli.territory import services

pytestmark = pytest.mark.browser


def add_roads(cast: Any) -> None:
    """和平路 along the grid's north edge (two stretches meeting at a junction) and 幸福街 across it."""
    line = lambda coords: {"type": "LineString", "coordinates": coords}  # noqa: E731
    services.roads_create(
        actor=None,
        roads=[
            {**road, "org_node": cast.street}
            for road in [
                {
                    "code": "HP-01",
                    "name": "和平路",
                    "kind": "arterial",
                    "geometry": line([[116.396, 39.904], [116.402, 39.904]]),
                },
                {
                    "code": "HP-02",
                    "name": "和平路",
                    "kind": "arterial",
                    "geometry": line([[116.402, 39.904], [116.416, 39.9041]]),
                },
                {
                    "code": "XF-01",
                    "name": "幸福街",
                    "kind": "branch",
                    "geometry": line([[116.402, 39.897], [116.402, 39.904]]),
                },
            ]
        ],
    )


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_map_and_a_grid_page_show_the_roads_and_grid_names(
    live_server: Any, live_cast: Any, request: Any, screenshot: Any, size: str
) -> None:
    add_roads(live_cast)
    context = request.getfixturevalue(size)
    page = context.new_page()
    sign_in(page, live_server.url, "communityworker")
    page.goto(f"{live_server.url}/territory/map/")
    page.locator("#grid-map[data-loaded][data-roads='3']").wait_for()
    # Each stretch twice (a grey casing under the coloured line); each road's name once.
    assert page.locator("#grid-map path.road").count() == 3
    assert page.locator("#grid-map path.road-arterial").count() == 2
    labels = page.locator(".road-label")
    assert sorted(labels.all_inner_texts()) == ["和平路", "幸福街"]
    page.locator(".leaflet-control-zoom-in").click()
    page.locator(".leaflet-control-zoom-in").click()
    grid_label = page.locator(".grid-label", has_text="阳光一网格")
    grid_label.wait_for(state="visible")
    screenshot(page, f"{size}-map-roads")

    page.goto(f"{live_server.url}/territory/grids/{live_cast.grid.pk}/")
    page.locator("#grid-mini-map[data-loaded][data-roads='3']").wait_for()
    assert page.locator("#grid-mini-map path.road").count() == 3
    screenshot(page, f"{size}-grid-roads")
    assert context.js_errors == []
