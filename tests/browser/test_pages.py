"""Walks the staff pages in headless Chromium, as a community worker would, on a phone and on a desktop."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from linli.territory import services
from linli.testing import PASSWORD, square

pytestmark = pytest.mark.browser


def sign_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def add_people(cast: Any) -> None:
    """A second grid and some more residents, so the pages have something to show."""
    grid = services.grid_create(
        actor=None, code="G003", name="幸福二网格", org_node=cast.community, boundary=square(116.404, 39.90)
    )
    building = services.building_create(
        actor=None,
        grid=grid,
        code="B003",
        name="3号楼",
        address="和平路3号楼",
        lng=116.406,
        lat=39.902,
        floors=5,
    )
    household = services.household_create(actor=None, building=building, code="H003", room="301")
    for i, (name, tags, care) in enumerate(
        [("王秀英", ["elderly_alone"], "red"), ("赵建国", ["veteran"], ""), ("钱小宝", ["child_under_3"], "")]
    ):
        services.resident_create(
            actor=None,
            household=household,
            name=name,
            gender="female" if i % 2 == 0 else "male",
            birth_date=dt.date(1940 + 40 * (i // 2), 5, 1),
            phone=f"1390000{i:04d}",
            tags=tags,
            care_level=care,
        )


def test_community_worker_signs_in_opens_the_map_and_a_grid(
    live_server: Any, live_cast: Any, desktop: Any, screenshot: Any
) -> None:
    add_people(live_cast)
    page = desktop.new_page()
    page.goto(f"{live_server.url}/territory/map/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))  # not signed in yet
    page.get_by_label("用户名").fill("communityworker")
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "desktop-login-error")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/territory/map/$"))

    grid_path = page.locator(f"path.grid-polygon-{live_cast.grid.pk}")
    grid_path.wait_for()
    expect(page.locator("path.grid-polygon")).to_have_count(2)  # its own grids, not the other community's
    assert page.locator("#grid-legend li").first.inner_text().startswith("幸福社区")
    page.locator("#grid-legend li").first.click()  # zooms to the community; the grids stay on the map
    screenshot(page, "desktop-map")
    grid_path.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "阳光一网格" in popup.inner_text()
    assert "G001" in popup.inner_text()
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in before the picture
    screenshot(page, "desktop-map-popup")
    popup.get_by_role("link", name=re.compile("查看网格详情")).click()
    page.wait_for_url(f"{live_server.url}/territory/grids/{live_cast.grid.pk}/")

    assert page.get_by_role("heading", level=1).inner_text().startswith("阳光一网格")
    profile = page.locator("#grid-profile")
    assert profile.locator("[data-key=residents] .stat-value").inner_text() == "1"
    assert profile.locator("[data-key=buildings] .stat-value").inner_text() == "1"
    assert profile.locator("[data-key=households] .stat-value").inner_text() == "1"
    assert profile.locator("[data-key=elderly_alone] .stat-value").inner_text() == "1"
    assert profile.locator("[data-key=care_yellow] .stat-value").inner_text() == "1"
    page.locator("#grid-mini-map path.leaflet-interactive").wait_for()
    screenshot(page, "desktop-grid-detail")
    assert desktop.js_errors == []


def test_desktop_walk_of_tree_registry_and_reveal(
    live_server: Any, live_cast: Any, desktop: Any, screenshot: Any
) -> None:
    add_people(live_cast)
    page = desktop.new_page()
    sign_in(page, live_server.url, "communityworker")
    assert page.locator(".stat-residents .stat-value").inner_text() == "4"
    screenshot(page, "desktop-home")

    page.get_by_role("link", name="组织架构").first.click()
    page.wait_for_url(re.compile(r"/territory/tree/$"))
    expect(page.get_by_text("阳光小区")).to_be_visible()
    screenshot(page, "desktop-tree")

    page.get_by_role("link", name="居民", exact=True).click()
    page.wait_for_url(re.compile(r"/territory/residents/$"))
    expect(page.locator("tbody tr")).to_have_count(4)
    assert "138****5678" in page.content()
    page.get_by_placeholder(re.compile("姓名")).fill("王秀英")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert "/territory/residents/?q=" in page.url  # the search is in the address bar
    page.get_by_role("button", name="显示完整信息").click()
    page.locator("tr.revealed").wait_for()
    assert "13900000000" in page.locator("tr.revealed").inner_text()
    screenshot(page, "desktop-residents-revealed")
    assert desktop.js_errors == []


@pytest.mark.parametrize("persona", ["communityworker"])
def test_phone_walk_of_the_main_pages(
    live_server: Any, live_cast: Any, phone: Any, screenshot: Any, persona: str
) -> None:
    add_people(live_cast)
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    screenshot(page, "phone-login")
    sign_in(page, live_server.url, persona)

    def fits_the_screen() -> bool:
        return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))

    assert not page.locator(".mainnav").is_visible()  # folded behind the menu button
    screenshot(page, "phone-home")
    assert fits_the_screen()
    page.locator(".nav-burger").click()
    expect(page.locator(".mainnav")).to_be_visible()
    screenshot(page, "phone-menu")
    page.locator(".mainnav").get_by_role("link", name="组织架构").click()
    page.wait_for_url(re.compile(r"/territory/tree/$"))
    assert fits_the_screen()
    screenshot(page, "phone-tree")

    page.goto(f"{live_server.url}/territory/map/")
    page.locator("#grid-map[data-loaded='2']").wait_for()
    assert fits_the_screen()
    screenshot(page, "phone-map")

    page.goto(f"{live_server.url}/territory/residents/")
    expect(page.locator("tbody tr")).to_have_count(4)
    assert fits_the_screen()
    screenshot(page, "phone-residents")

    page.goto(f"{live_server.url}/territory/grids/{live_cast.grid.pk}/")
    page.locator("#grid-mini-map path.leaflet-interactive").wait_for()
    assert fits_the_screen()
    screenshot(page, "phone-grid-detail")
    assert phone.js_errors == []


def test_a_resident_gets_the_friendly_403_page(
    live_server: Any, live_cast: Any, phone: Any, screenshot: Any
) -> None:
    live_cast.resident.set_password(PASSWORD)
    live_cast.resident.save(update_fields=["password"])
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(live_cast.resident.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("section.my-appeals")).to_be_visible()  # the resident's own home, not a staff page
    page.goto(f"{live_server.url}/territory/map/")
    expect(page.get_by_role("heading", name="此页面仅供社区工作人员使用")).to_be_visible()
    screenshot(page, "phone-403")
