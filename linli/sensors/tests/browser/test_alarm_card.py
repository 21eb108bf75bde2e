"""In headless Chromium on a phone: an alarm's card begins with its badges at the card's padding (their paragraph
stood under a blank line of its own margin), and the reason of a false alarm is core's field, as wide as the card
(it was a narrow bare box beside its label)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import sign_in_context, sized_context

from ..conftest import smoke_detector

pytestmark = pytest.mark.browser


def test_an_alarm_card_opens_with_its_badges_and_takes_a_reason_across_it(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.sensors import services
    from linli.testing import build_cast

    cast = build_cast()
    alarm, _created = services.alarm_raise(device=smoke_detector(cast), type="smoke")
    context = sized_context(browser, "phone")
    sign_in_context(context, cast.community_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/sensors/alarms/{alarm.pk}/")
    expect(page.get_by_role("button", name="标记为误报")).to_be_visible()
    card = page.locator("main .card").first
    gap = card.evaluate(
        """c => c.firstElementChild.getBoundingClientRect().top - c.getBoundingClientRect().top
               - parseFloat(getComputedStyle(c).paddingTop) - parseFloat(getComputedStyle(c).borderTopWidth)"""
    )
    assert round(gap) == 0
    reason = page.get_by_label("误报原因")
    inner = card.evaluate("c => c.clientWidth - parseFloat(getComputedStyle(c).paddingLeft) * 2")
    assert reason.bounding_box()["width"] >= inner - 1
    assert reason.bounding_box()["height"] >= 38
    context.close()
