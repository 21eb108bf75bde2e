"""In headless Chromium on a desktop and a phone: the overview's period and date are chosen with controls drawn as
every form's fields are (core's .field), the same height as the buttons beside them: they were the browser's bare
controls, a small select and date box beside 40px buttons."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser


class Overview(SignedInSession):
    prefix = "dashboard-filter"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_period_and_date_controls_stand_as_high_as_the_buttons_beside_them(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.testing import build_cast

    cast = build_cast()
    session = Overview(browser, size, cast.district_leader, live_server.url)
    page = session.go("/dashboard/")
    form = page.locator("form.dash-filter")
    button = form.locator("button[type=submit]").bounding_box()
    for name in ("period", "date"):
        control = form.locator(f"[name={name}]")
        box = control.bounding_box()
        assert box is not None and button is not None
        assert box["height"] >= button["height"] - 4, (name, box, button)
        label = page.locator(f"label[for={control.get_attribute('id')}]")
        assert label.count() == 1  # the label names its control, as core's field does
    session.shot("overview")
    session.close()
