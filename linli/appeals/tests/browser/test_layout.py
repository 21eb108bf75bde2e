"""How the appeals' pages sit in headless Chromium at phone and desktop size: the message a step leaves is as wide
as the page's content column, on the staff page and on the resident's narrow page."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SIZES, SignedInSession

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "appeals-layout"


def _edges(page: Any, selector: str) -> tuple[int, int]:
    box = page.locator(selector).first.bounding_box()
    return round(box["x"]), round(box["x"] + box["width"])


@pytest.mark.parametrize("size", SIZES)
def test_the_success_message_is_as_wide_as_the_appeals_column(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast)
    worker = Session(browser, size, cast.grid_worker, live_server.url)
    page = worker.go(f"/appeals/{appeal.pk}/")
    page.locator("#action-acknowledge summary").click()
    page.locator('button[data-action="acknowledge"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    worker.shot("staff-message")
    assert _edges(page, ".msg.success") == _edges(page, ".ap-detail")
    worker.close()

    resident = Session(browser, size, cast.resident, live_server.url)
    page = resident.go(f"/appeals/track/{appeal.tracking_number}/")
    page.locator("#add-info summary").click()
    page.locator("#add-info textarea").fill("晚上七点以后家里有人，可以上门。")
    page.locator("#add-info button[type=submit]").click()
    expect(page.locator(".msg.success")).to_be_visible()
    resident.shot("resident-message")
    assert _edges(page, ".msg.success") == _edges(page, ".ap-card")
    resident.close()
