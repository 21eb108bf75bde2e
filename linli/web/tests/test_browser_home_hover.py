"""On a staff member's home at a desk, every box that opens a page answers the pointer the same way: its border
turns blue and its words are not underlined. 辖区概况's 党员 (the one figure with a page, the party members list) was
a link without the boxes' rule: its words were underlined on a hover and its border stayed as it was, while the
to-dos above it and the quick links below changed their border."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SignedInSession

pytestmark = pytest.mark.browser

BLUE = "rgb(31, 102, 204)"  # --blue-600

# A box's look: its border's colours (top, right, bottom, left) and the underline of the box and of its words.
LOOK = """e => { const s = getComputedStyle(e);
  return { border: [s.borderTopColor, s.borderRightColor, s.borderBottomColor, s.borderLeftColor],
           underline: [e, ...e.querySelectorAll('*')].some(n => getComputedStyle(n).textDecorationLine !== 'none') }; }"""


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "web-home-hover"


def test_every_box_of_the_staff_home_that_opens_a_page_answers_a_hover_alike(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast

    cast = build_cast()
    session = Session(browser, "desktop", cast.community_worker, live_server.url)
    page = session.go("/")
    boxes = page.locator("main a.stat, main a.tile")
    kinds = set(boxes.evaluate_all("els => els.map(e => e.className)"))
    assert {"stat stat-party_members", "tile tile-work", "tile"} <= kinds, kinds
    looks: dict[str, tuple[bool, bool]] = {}
    for i in range(boxes.count()):
        box = boxes.nth(i)
        page.mouse.move(0, 0)
        rest = box.evaluate(LOOK)
        box.hover()
        hovered = box.evaluate(LOOK)
        name = box.inner_text().split("\n")[-1]
        looks[name] = (hovered["border"] == [BLUE] * 4 and not hovered["underline"], rest["underline"])
        if "stat-party_members" in (box.get_attribute("class") or ""):
            session.shot("party-members-hovered")
    assert {name: look for name, look in looks.items() if look != (True, False)} == {}
    session.close()
