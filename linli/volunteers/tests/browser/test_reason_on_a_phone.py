"""In headless Chromium on a phone: the reason typed beside a button (cancelling an activity, a `.page-inline` form
of core/pages.css) is a finger's size, 44 px high with 16 px text, as its button and the summary that opens it are;
they were 28 px high, the text 13 px, which a phone's browser zooms into when tapped."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser

SIZE = """[...document.querySelectorAll(
  '.page-inline > summary.btn, .page-inline form input:not([type=hidden]), .page-inline form .btn')]
  .map(e => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)])"""


class Walk(SignedInSession):
    prefix = "volunteers-reason"


def test_the_reason_to_cancel_an_activity_is_a_touch_target_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast
    from linli.volunteers.tests.conftest import at, make_activity

    cast = build_cast()
    activity = make_activity(cast, starts=at(2))
    walk = Walk(browser, "phone", cast.community_worker, live_server.url)
    page = walk.go(f"/volunteers/staff/activities/{activity.pk}/")
    page.locator(".page-inline summary").click()
    walk.shot("cancel")
    sizes = page.evaluate(SIZE)
    assert len(sizes) == 3, sizes
    assert all(height >= 44 and font == 16 for height, font in sizes), sizes
    walk.close()
