"""A district leader opens the overview, drills down to a community and a grid, and exports the monthly XLSX;
its totals equal the page's. Screenshots of the dashboard and the wall screen, on a desktop and a phone."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from linli.appeals.models import Category
from linli.dashboard import services
from linli.dashboard.tests import fixed_set
from linli.dashboard.tests.factories import random_appeal
from linli.testing import PASSWORD

pytestmark = pytest.mark.browser
SEPT = "period=month&date=2026-09-01"


def sign_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def _appeals(cast: Any) -> None:
    fixed_set.build(cast)
    rng = random.Random(1)
    cats = list(Category.objects.filter(parent__isnull=False))
    days = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(30)]
    for _ in range(60):
        random_appeal(rng, [cast.grid, cast.other_grid], cats, rng.choice(days))
    services.rollups_refresh_all()


def _kpi(page: Any, figure: str) -> str:
    return page.locator(f'[data-figure="{figure}"] .kpi-value').first.inner_text().strip()


def test_district_leader_drills_down_to_a_grid_and_exports_the_report(
    live_server: Any, live_cast: Any, desktop: Any, phone: Any, screenshot: Any
) -> None:
    _appeals(live_cast)
    base = live_server.url
    page = desktop.new_page()
    sign_in(page, base, "leader")
    page.goto(f"{base}/dashboard/?{SEPT}")
    expect(page.locator("#dash-title")).to_contain_text("示范区")
    district_total = int(_kpi(page, "received"))
    assert district_total == 68
    page.wait_for_selector("#chart-trend canvas")
    page.wait_for_selector("#dash-map[data-ready='1']")
    screenshot(page, "dashboard-desktop")

    # Street, then community, compound and grid. The district's one street is passed through by the ranking (it ranks the
    # street's communities) and named above it, with a link.
    page.locator("#ranking-via a", has_text="和平街道").click()
    expect(page.locator("#dash-title")).to_contain_text("和平街道")
    page.locator("#ranking-table a.drill", has_text="幸福社区").click()
    expect(page.locator("#dash-title")).to_contain_text("幸福社区")
    community_total = int(_kpi(page, "received"))
    # The community's one compound is ranked, not passed through: community → compound → grids.
    page.locator("#ranking-table a.drill", has_text="阳光小区").click()
    expect(page.locator("#dash-title")).to_contain_text("阳光小区")
    page.locator("#ranking-table a.drill", has_text="阳光一网格").click()
    expect(page.locator("#dash-title")).to_contain_text("阳光一网格")
    grid_total = int(_kpi(page, "received"))
    assert 0 < grid_total <= community_total < district_total
    grid_resolution = _kpi(page, "resolution_rate")

    with page.expect_download() as download:
        page.locator("#report-xlsx").click()
    wb = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(min_row=5, values_only=True)}
    assert summary["受理诉求"] == grid_total
    assert summary["解决率"] == grid_resolution
    assert not desktop.js_errors

    wall = desktop.new_page()
    wall.set_viewport_size({"width": 1920, "height": 1080})
    wall.goto(f"{base}/dashboard/wall/?{SEPT}")
    wall.wait_for_selector("#chart-trend canvas")
    wall.wait_for_selector("#dash-map[data-ready='1']")
    assert _kpi(wall, "received") == str(district_total)
    screenshot(wall, "dashboard-wall-desktop")

    mobile = phone.new_page()
    sign_in(mobile, base, "leader")
    mobile.goto(f"{base}/dashboard/?{SEPT}")
    mobile.wait_for_selector("#chart-trend canvas")
    assert _kpi(mobile, "received") == str(district_total)
    screenshot(mobile, "dashboard-phone")
    mobile.goto(f"{base}/dashboard/wall/?{SEPT}")
    mobile.wait_for_selector("#chart-trend canvas")
    screenshot(mobile, "dashboard-wall-phone")
    public = phone.new_page()
    public.goto(f"{base}/public/?period=year&date=2026-09-01")
    expect(public.locator("h1")).to_contain_text("三公开")
    screenshot(public, "public-disclosure-phone")
    assert not phone.js_errors
