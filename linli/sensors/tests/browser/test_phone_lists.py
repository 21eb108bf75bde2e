"""In headless Chromium on a phone: the alarms and the devices are cards of three lines, what with how it stands on
the first, where on the second, when (or battery) with the work order (or installer) on the third, within the
screen's width and with nothing short to tap. As rows of labelled cells an alarm took 300 px and a device 250 px:
a community's 50 devices made a page 13,000 px long. The list's views are chips, the one shown marked."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession, short_targets

from ..conftest import smoke_detector

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    prefix = "sensors-phone-lists"


def test_alarms_and_devices_are_short_cards_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.sensors import services
    from linli.testing import build_cast

    cast = build_cast()
    device = smoke_detector(cast)
    false, _c = services.alarm_raise(device=device, type="smoke")
    services.alarm_mark_false(actor=cast.grid_worker, alarm=false, reason="后厨炒菜油烟")
    services.alarm_raise(device=device, type="heat")
    session = Session(browser, "phone", cast.community_worker, live_server.url)
    page = session.go("/sensors/?show=all")
    rows = page.locator(".sn-alarms tbody tr").all()
    assert len(rows) == 2
    for row in rows:
        box = row.bounding_box()
        assert box is not None and box["height"] <= 200, box
        # What and how it stands on one line: the state's badge level with the alarm's name.
        what, state = row.locator(".sn-alarm").bounding_box(), row.locator(".sn-state").bounding_box()
        assert what is not None and state is not None and abs(what["y"] - state["y"]) < 2
        assert state["x"] > what["x"] + what["width"] - 1
    assert page.locator(".sn-filter a.active").inner_text() == "全部告警"
    assert short_targets(page, "main a, main button") == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    session.shot("alarms")
    page = session.go("/sensors/devices/")
    box = page.locator(".sn-devices tbody tr").first.bounding_box()
    assert box is not None and box["height"] <= 180, box
    assert short_targets(page, "main a, main button") == []
    session.shot("devices")
    session.close()
