"""A grid name is text wherever a map shows it: a grid named like an HTML image with a script is shown as those
characters in the tooltip of the public report form's map, the staff grid map and the dashboard map, and the
script never runs (issue 14), on a phone and on a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from test_pages import sign_in  # (tests/browser is on the path: pytest prepends it)

from linli.territory import services

pytestmark = pytest.mark.browser

NAME = "<img src=x onerror=window.__xss=1>"


# A screen point inside the shape that is the topmost element there: hovering a path's bounding-box centre can
# land outside a concave grid or on a neighbour drawn over it.
INSIDE = """(path) => {
  const box = path.getBoundingClientRect();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const x = box.left + (box.width * i) / 12, y = box.top + (box.height * j) / 12;
    if (document.elementFromPoint(x, y) === path) return [x, y];
  }
  return null;
}"""


def hover_until_named(page: Any, map_selector: str) -> Any:
    """Hover the map's grids in turn until the tooltip of the grid with NAME opens; that tooltip."""
    tooltip = page.locator(".leaflet-tooltip:not(.grid-label)", has_text=NAME)  # not the staff map's labels
    shapes = page.locator(f"{map_selector} path.leaflet-interactive")
    expect(shapes.first).to_be_attached()
    for i in range(shapes.count()):
        page.locator(map_selector).scroll_into_view_if_needed()
        point = shapes.nth(i).evaluate(INSIDE)
        if point is None:
            continue
        page.mouse.move(point[0], point[1])
        page.mouse.move(point[0] + 1, point[1] + 1)  # a sticky tooltip follows the pointer's moves
        if tooltip.count():
            break
    expect(tooltip).to_be_visible()
    return tooltip


def assert_shown_as_text(page: Any, tooltip: Any) -> None:
    assert NAME in tooltip.inner_text()
    assert page.locator(".leaflet-tooltip img").count() == 0  # nor in the staff map's permanent grid labels
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_grid_name_with_html_is_shown_as_text_on_every_map(
    live_server: Any, live_cast: Any, request: Any, screenshot: Any, size: str
) -> None:
    services.grid_update(actor=None, grid=live_cast.grid, name=NAME)
    context = request.getfixturevalue(size)
    base = live_server.url

    report = context.new_page()  # the public report form, as a guest
    report.goto(f"{base}/appeals/new/?grid=G001")
    report.locator("#appeal-map[data-ready='1']").wait_for()
    assert_shown_as_text(report, hover_until_named(report, "#appeal-map"))
    # The map's own controls speak the page's language too.
    assert report.locator("#appeal-map .leaflet-control-zoom-in").get_attribute("title") == "放大"
    assert report.locator("#appeal-map .leaflet-control-zoom-out").get_attribute("aria-label") == "缩小"
    screenshot(report, f"{size}-tooltip-report-form")

    staff = context.new_page()
    sign_in(staff, base, "communityworker")
    staff.goto(f"{base}/territory/map/")
    staff.locator("#grid-map[data-loaded]").wait_for()
    assert_shown_as_text(staff, hover_until_named(staff, "#grid-map"))
    assert staff.locator("#grid-map .leaflet-control-zoom-in").get_attribute("title") == "放大"
    screenshot(staff, f"{size}-tooltip-grid-map")

    staff.goto(f"{base}/dashboard/")
    staff.locator("#dash-map[data-ready='1']").wait_for()
    assert_shown_as_text(staff, hover_until_named(staff, "#dash-map"))
    assert staff.locator("#dash-map .leaflet-control-zoom-out").get_attribute("title") == "缩小"
    screenshot(staff, f"{size}-tooltip-dashboard")
    assert context.js_errors == []
