"""In headless Chromium at phone (390 × 844) and desktop (1400 × 900) size: what a person came for comes first.
The resident's report page lists no appeals of the whole street before a place is chosen (the contact fields and
the button stay near), and a grid worker's workbench folds its filters on a phone so the work is on top (open
once a filter is set), while the desktop shows them as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linli.testing.browser import SIZES, sign_in_context, sized_context

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[4] / "screenshots"


@pytest.mark.parametrize("size", SIZES)
def test_the_report_page_lists_nothing_before_a_place_is_chosen(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    for i in range(12):
        submit(cast, title=f"{i}号楼路灯不亮")
    context = sized_context(browser, size)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/new/")
    expect(page.locator("[data-nearby-hint]")).to_be_visible()
    assert page.locator("[data-nearby-item]").count() == 0
    button = page.locator("button[type=submit].ap-primary").bounding_box()
    assert button is not None and button["y"] < 3000, button  # 12 open appeals listed put it below 4000 px
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"appeals-report-unplaced-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_workbench_puts_the_work_before_the_filters_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.tests.factories import by_hotline
    from linli.testing import build_cast

    cast = build_cast()
    appeal = by_hotline(
        cast, cast.grid, "1号楼门口路灯不亮，请尽快处理。", kind="help", title="1号楼门口路灯不亮"
    )
    context = sized_context(browser, size)
    sign_in_context(context, cast.grid_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/workbench/?tab=all")
    expect(page.locator("body")).to_contain_text(appeal.title)
    kind = page.locator("#filters select[name=kind]")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"appeals-workbench-filters-{size}.png"), full_page=True)
    if size == "phone":
        expect(kind).to_be_hidden()
        item = page.get_by_text(appeal.title).first.bounding_box()
        assert item is not None and item["y"] < 500, item
        page.locator("#filters-fold > summary").click()
        expect(kind).to_be_visible()
        kind.select_option("help")
        page.locator("#filters button[type=submit]").click()
        expect(page.locator("#filters-fold")).to_have_attribute("open", "")
        expect(kind).to_be_visible()
    else:
        expect(kind).to_be_visible()
        expect(page.locator("#filters-fold > summary")).to_be_hidden()
    context.close()


def test_the_current_tab_is_in_view_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """A community worker's workbench has more tabs than a phone is wide; the strip scrolls sideways, and the tab
    the page is on (the last, 辖区全部) is brought into view within the strip (web/site.js), the page not moved."""
    from playwright.sync_api import expect

    from linli.testing import build_cast

    cast = build_cast()
    context = sized_context(browser, "phone")
    sign_in_context(context, cast.community_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/workbench/?tab=all")
    strip = page.locator("nav.ap-tabs[aria-label]").last
    current = strip.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    assert strip.evaluate("s => s.scrollWidth > s.clientWidth"), "the strip should be wider than the phone"
    box, tab = strip.bounding_box(), current.bounding_box()
    assert box is not None and tab is not None
    assert box["x"] - 1 <= tab["x"] and tab["x"] + tab["width"] <= box["x"] + box["width"] + 1, (box, tab)
    assert page.evaluate("window.scrollY") == 0
    context.close()
