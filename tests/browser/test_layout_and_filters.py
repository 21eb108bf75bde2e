"""Two things every staff page relies on: a two-column page keeps its wide list beside a narrow form on a desktop
(party's card grid once squeezed it into a third of the page), and a filter that applies when picked works under
the content security policy, which refuses inline onchange handlers (a community switcher did nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from test_pages import sign_in  # (tests/browser is on the path: pytest prepends it)

pytestmark = pytest.mark.browser


def test_a_two_column_page_keeps_its_list_wide_beside_the_form_on_a_desktop(
    live_server: Any, live_cast: Any, desktop: Any, screenshot: Any
) -> None:
    page = desktop.new_page()
    sign_in(page, live_server.url, "communityworker")
    page.goto(f"{live_server.url}/party/meetings/")
    columns = page.locator("main .grid-2 > .card")
    wide, narrow = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert wide is not None and narrow is not None
    assert wide["width"] > 1.3 * narrow["width"]  # 3fr beside 2fr, not three equal thirds
    assert abs(wide["y"] - narrow["y"]) < 2  # side by side
    screenshot(page, "desktop-party-meetings-columns")
    assert desktop.js_errors == []


def test_a_filter_applies_as_soon_as_it_is_picked(live_server: Any, live_cast: Any, desktop: Any) -> None:
    page = desktop.new_page()
    sign_in(page, live_server.url, "communityworker")
    page.goto(f"{live_server.url}/party/beacons/")
    page.locator("select[name=grid]").select_option(str(live_cast.grid.pk))
    page.wait_for_url(f"**/party/beacons/?grid={live_cast.grid.pk}")
    assert desktop.js_errors == []
