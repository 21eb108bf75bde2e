"""Places and sensors in a browser: the walking circles drawn on the map, the coverage page, the residents'
places near me; a sensor's alarm in the live list, acknowledged from its page. On a phone and a wide screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_pages import sign_in  # (tests/browser is on the path: pytest prepends it)
from test_roads_map import add_roads

from linli.places import services as places
from linli.sensors import services as sensors
from linli.territory import services as territory
from linli.testing.browser import browser_context

pytestmark = pytest.mark.browser
WIDE = {"viewport": {"width": 1400, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
EVERY_DAY = {str(d): [["00:00", "24:00"]] for d in range(7)}


@pytest.fixture(params=["wide", "phone"])
def context(request: Any, browser: Any) -> Iterator[Any]:
    ctx = browser_context(browser, **(WIDE if request.param == "wide" else PHONE))
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    ctx.js_errors = errors
    ctx.size = request.param
    yield ctx
    ctx.close()


def test_places_and_sensors(live_server: Any, live_cast: Any, context: Any, screenshot: Any) -> None:
    add_roads(live_cast)
    place = places.place_create(
        actor=live_cast.community_worker,
        org_node_id=live_cast.community.pk,
        kind="party_centre",
        name="幸福社区党群服务中心",
        address="和平路8号",
        lng=116.4021,
        lat=39.9038,
        phone="010-66668888",
        services="党员活动\n政务代办\n议事协商",
        opening_hours=EVERY_DAY,
    )
    venue = territory.venue_create(
        actor=None, grid=live_cast.grid, category="restaurant", name="老王家常菜", lng=116.4015, lat=39.9015
    )
    device = sensors.device_register(
        actor=live_cast.community_worker, code="SD-0001", kind="smoke", venue=venue, location="后厨"
    )
    size = context.size
    page = context.new_page()
    sign_in(page, live_server.url, "communityworker")

    page.goto(f"{live_server.url}/places/")
    page.locator("#places-map[data-ready='1']").wait_for()
    assert page.locator("#places-map path.pl-ring-15").count() >= 1
    assert page.locator("#places-map .leaflet-control-zoom-in").get_attribute("title") == "放大"
    assert page.locator("#places-map path.pl-ring-5").count() >= 1
    screenshot(page, f"places-{size}-list")
    page.goto(f"{live_server.url}/places/{place.pk}/")
    page.locator("#places-map[data-ready='1']").wait_for()
    screenshot(page, f"places-{size}-detail")
    page.goto(f"{live_server.url}/places/coverage/?kind=station")
    page.locator("#places-map[data-ready='1']").wait_for()
    assert page.locator("#places-map path.pl-uncovered").count() >= 1  # no station at all yet
    screenshot(page, f"places-{size}-coverage")

    # An alarm arrives while the list is open: the list shows it within seconds, without a reload.
    page.goto(f"{live_server.url}/sensors/")
    page.get_by_text("没有未解除的告警。").wait_for()
    sensors.readings_ingest([{"device": device.code, "type": "alarm", "alarm": "smoke"}] * 2)
    page.locator("#alarm-rows", has_text="老王家常菜").wait_for(timeout=8000)
    screenshot(page, f"sensors-{size}-alarms")
    page.locator("#alarm-rows a", has_text="烟雾").click()
    page.get_by_role("button", name="确认：我来处置").click()
    page.get_by_text("已确认，停止升级").wait_for()
    screenshot(page, f"sensors-{size}-alarm")
    page.goto(f"{live_server.url}/sensors/devices/")
    screenshot(page, f"sensors-{size}-devices")

    resident = context.new_page()
    resident.goto(f"{live_server.url}/places/near/?lng=116.4&lat=39.9")
    resident.get_by_text("幸福社区党群服务中心").wait_for()
    screenshot(resident, f"places-{size}-near")
    resident.get_by_text("幸福社区党群服务中心").click()
    resident.get_by_text("政务代办").wait_for()
    screenshot(resident, f"places-{size}-near-detail")
    assert context.js_errors == []
