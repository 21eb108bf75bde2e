"""In headless Chromium, as the issue's "done" walk: a simulated alarm published to a real Mosquitto becomes a
work order that the grid worker sees on a phone within seconds; nobody acknowledges, so it escalates to the
community; the worker acknowledges; the staff dashboard shows the sensors panel. Screenshots at 390 × 844 and
1400 × 900 are kept under screenshots/."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.testing.browser import SCREENSHOTS, sign_in_context, sized_context

from ..conftest import smoke_detector

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _context(size: str, browser: Any, user: Any, base_url: str) -> Any:
    context = sized_context(browser, size)
    sign_in_context(context, user, base_url)
    return context


def test_a_published_alarm_reaches_the_grid_worker_and_escalates(
    live_server: Any, transactional_db: None, browser: Any, mosquitto: Any
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.sensors import jobs, mqtt
    from linli.sensors.models import Alarm
    from linli.testing import build_cast

    cast = build_cast()
    smoke_detector(cast)
    listener = mqtt.Listener(mosquitto.url, client_id="walk-ingest")
    assert listener.start(wait=10)
    publisher = mqtt.Publisher(mosquitto.url)
    assert publisher.start(wait=10)
    try:
        published = time.time()
        publisher.publish_all(
            [
                {"id": "w-1", "device": "SD-0001", "type": "alarm", "alarm": "smoke", "ts": published},
                {"id": "w-1", "device": "SD-0001", "type": "alarm", "alarm": "smoke", "ts": published},
                {"id": "w-2", "device": "SD-0001", "type": "alarm", "alarm": "smoke", "ts": published},
            ],
            timeout=10,
        )
        listener.run(max_messages=3, deadline=time.monotonic() + 20)
    finally:
        publisher.stop()
        listener.stop()
    alarm = Alarm.objects.get()
    order = Appeal.objects.get(channel="sensor")
    assert order.tracking_number == alarm.appeal_number and order.grid == cast.grid
    seconds = (alarm.ordered_at - alarm.published_at).total_seconds()
    assert seconds < 5, f"the work order took {seconds:.2f} s"

    base = live_server.url
    phone = _context("phone", browser, cast.grid_worker, base)
    page = phone.new_page()
    page.goto(f"{base}/sensors/")
    expect(page.get_by_text("老王家常菜").first).to_be_visible()
    _shot(page, "alarms-phone")
    page.goto(f"{base}/sensors/alarms/{alarm.pk}/")
    expect(page.get_by_text(alarm.appeal_number).first).to_be_visible()
    _shot(page, "alarm-phone-new")

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=4), tick=False):
        assert jobs.escalate_due_alarms() == 1
    page.reload()
    expect(page.locator(".sn-events")).to_contain_text(cast.community_worker.display_name)
    page.get_by_role("button", name="确认：我来处置").click()
    expect(page.get_by_role("button", name="确认：我来处置")).to_have_count(0)
    _shot(page, "alarm-phone-acknowledged")
    alarm.refresh_from_db()
    assert alarm.acknowledged_at is not None and alarm.escalation_level == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.close()

    desktop = _context("desktop", browser, cast.street_officer, base)
    page = desktop.new_page()
    page.goto(f"{base}/sensors/alarms/{alarm.pk}/")
    expect(page.get_by_text(alarm.appeal_number).first).to_be_visible()
    _shot(page, "alarm-desktop")
    page.goto(f"{base}/dashboard/")
    expect(page.locator("#sensors-panel")).to_contain_text("1")
    page.locator("#sensors-panel").screenshot(path=str(SHOTS / "dashboard-sensors-panel-desktop.png"))
    desktop.close()
