"""In headless Chromium on a phone and a desktop: the devices page's four figures (在用, 在线, 离线, 低电量) stand in
one row, clear of the filter card under them. On a phone the fourth wrapped to a line of its own, and at both sizes
the figures touched the card."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession

from ..conftest import smoke_detector

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    prefix = "sensors-device-figures"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_device_figures_stand_in_one_row_clear_of_the_filters(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.testing import build_cast

    cast = build_cast()
    smoke_detector(cast)
    session = Session(browser, size, cast.community_worker, live_server.url)
    page = session.go("/sensors/devices/")
    tops = {
        round(box["y"]) for box in (s.bounding_box() for s in page.locator(".sn-stats .stat").all()) if box
    }
    assert len(tops) == 1, tops
    figures, filters = page.locator(".sn-stats").bounding_box(), page.locator("form.filters").bounding_box()
    assert figures is not None and filters is not None
    assert filters["y"] - (figures["y"] + figures["height"]) >= 8
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    session.shot("devices")
    session.close()
