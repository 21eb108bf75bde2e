"""The branch stars page on a phone: the year to show is a box to tap (44px high, drawn as every form's select by
core/forms.css), not the browser's bare 20px drop-down beside a 28px button; choosing a year shows it."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser

HEIGHTS = "els => els.map(e => e.getBoundingClientRect().height)"


def test_the_year_is_a_box_to_tap_on_a_phone(live_server: Any, transactional_db: None, browser: Any) -> None:
    from linli.testing import build_cast

    cast = build_cast()
    session = SignedInSession(browser, "phone", cast.community_worker, live_server.url)
    page = session.go("/party/stars/")
    year = page.locator("select[name=year]")
    heights = page.locator(".page-actions select, .page-actions button").evaluate_all(HEIGHTS)
    assert len(heights) == 2 and min(heights) >= 44, heights
    # core's select on a phone (16px), not the browser's
    assert year.evaluate("e => getComputedStyle(e).fontSize") == "16px"
    last = year.locator("option").nth(1).get_attribute("value")
    year.select_option(last)
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_url(f"**/party/stars/?year={last}")
    session.shot("stars")
    session.close()
