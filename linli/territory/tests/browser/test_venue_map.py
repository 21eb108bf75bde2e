"""In headless Chromium, at phone and desktop size: a venue's position is clicked on a map of its grid when it is
added (the form folded at first, so the map is laid out only when opened), and moved on the map or typed when it
is changed. Nothing is typed as 经度/纬度 unless the person chooses to. Screenshots of each step."""

from __future__ import annotations

from typing import Any

import pytest

from linli.territory.models import Venue
from linli.testing import build_cast
from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser

MAP = '.point-map[data-ready="1"][data-framed="1"]'


class Session(SignedInSession):
    prefix = "territory-venue"


def tap_at(page: Any, lng: float, lat: float) -> None:
    """Click the map at a position (where the map draws it, from its own projection)."""
    page.locator(".point-map").scroll_into_view_if_needed()
    page.mouse.click(*on_screen(page, lng, lat))


def on_screen(page: Any, lng: float, lat: float) -> tuple[float, float]:
    """Where the page's map (.point-map) draws a position, in the page's coordinates."""
    x, y = page.evaluate(
        """([lat, lng]) => {
            const el = document.querySelector('.point-map');
            const p = el.apMap.latLngToContainerPoint([lat, lng]);
            const box = el.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [lat, lng],
    )
    return x, y


def near(a: float, b: float) -> bool:
    return abs(a - b) < 5e-5  # a few pixels at the zoom that shows the whole grid


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_venue_is_placed_on_its_grid_map_and_moved_there_later(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    cast = build_cast()
    user = cast.grid_worker if size == "phone" else cast.community_worker
    session = Session(browser, size, user, live_server.url)
    page = session.go(f"/territory/grids/{cast.grid.pk}/venues/")
    page.get_by_text("添加场所或设施").click()
    # The grid is drawn bold and fills the map: the map was framed once its folded form opened.
    own = page.locator(f'{MAP} path.leaflet-interactive[stroke-width="3"]')
    expect(own).to_have_count(1)
    grid_box, map_box = own.bounding_box(), page.locator(".point-map").bounding_box()
    assert grid_box["height"] > map_box["height"] * 0.6
    assert page.locator("#id_lng").is_hidden()  # the typed fields are folded away
    page.locator("select[name=category]").select_option("restaurant")
    page.locator("input[name=name]").fill("老王面馆")
    tap_at(page, 116.401, 39.901)
    expect(page.locator("#venue-grid")).to_have_text("阳光一网格（幸福社区）")
    session.shot("add")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已登记老王面馆")
    venue = Venue.objects.get()
    assert near(venue.lng, 116.401) and near(venue.lat, 39.901)

    # Changing it: the pin starts where the venue is; a click moves it, then typed figures move it again.
    page.get_by_text("修改信息、状态或检查情况").click()
    expect(page.locator(f"{MAP} .leaflet-marker-icon")).to_have_count(1)
    tap_at(page, 116.403, 39.903)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已保存")
    venue.refresh_from_db()
    assert near(venue.lng, 116.403) and near(venue.lat, 39.903)

    page.get_by_text("修改信息、状态或检查情况").click()
    page.get_by_text("或手动输入经纬度").click()
    page.locator("#id_lng").fill("116.5")
    page.locator("#id_lng").dispatch_event("change")
    page.locator("#id_lat").fill("39.9035")
    page.locator("#id_lat").dispatch_event("change")
    expect(page.locator("#venue-grid")).to_contain_text("不在网格 G001 内")
    page.get_by_role("button", name="保存", exact=True).click()
    # Refused, said under the map, the typed figures kept and shown.
    expect(page.locator(".venue-position [role=alert]")).to_contain_text("该位置不在网格 G001 范围内")
    expect(page.locator("#id_lng")).to_have_value("116.5")
    session.shot("edit-refused")
    page.locator("#id_lng").fill("116.4035")
    page.locator("#id_lng").dispatch_event("change")
    expect(page.locator("#venue-grid")).to_have_text("阳光一网格（幸福社区）")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("已保存")
    venue.refresh_from_db()
    assert (venue.lng, venue.lat) == (116.4035, 39.9035)
    session.close()
