"""In headless Chromium: the shared counter of a limited text (web/site.js) on a page that is not an appeal's, a
reason typed beside a button on a sensor alarm. Near the limit it says what is left, over it by how much, and the
browser cuts nothing; sent, it is refused with the limit named and comes back whole to the field it was typed in."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, confirm_next, sign_in_context, sized_context

pytestmark = pytest.mark.browser

REASON = "厨房做饭时油烟太大，" * 21  # 210 characters: over the 200 a false alarm's reason may have


@pytest.mark.parametrize("size", ["phone"])
def test_the_shared_counter_and_a_refused_reason_given_back_on_a_sensor_alarm(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.sensors import services
    from linli.sensors.models import Alarm
    from linli.sensors.tests.conftest import smoke_detector
    from linli.testing import build_cast

    cast = build_cast()
    alarm, _created = services.alarm_raise(device=smoke_detector(cast), type="smoke")
    context = sized_context(browser, size)
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    sign_in_context(context, cast.grid_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/sensors/alarms/{alarm.pk}/")
    reason = page.locator("#reason")
    counter = page.locator("#reason + .text-counter")
    reason.focus()
    page.keyboard.insert_text(REASON[:150])
    expect(counter).to_be_hidden()  # far from the limit: nothing to say
    page.keyboard.insert_text(REASON[150:190])
    expect(counter).to_have_text("还可输入 10 字")
    page.keyboard.insert_text(REASON[190:])  # as a paste puts it in
    expect(counter).to_have_text("超出 10 字")
    expect(reason).to_have_class("text-over")
    assert reason.input_value() == REASON  # a maxlength of 200 cut the last 10 without a word
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"web-counter-over-{size}.png"), full_page=True)

    confirm_next(page)
    page.locator("form.sn-false button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("原因太长：最多 200 个字（您已输入 210 个字）。")
    expect(page.locator("#reason")).to_have_value(REASON)  # nothing typed is lost
    expect(page.locator("#reason + .text-counter")).to_have_text("超出 10 字")
    page.screenshot(path=str(SCREENSHOTS / f"web-counter-refused-{size}.png"), full_page=True)
    alarm.refresh_from_db()
    assert alarm.false_alarm_reason == "" and alarm.state == Alarm.objects.get(pk=alarm.pk).state == "active"
    assert errors == []
    context.close()
