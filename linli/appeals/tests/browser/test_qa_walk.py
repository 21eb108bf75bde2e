"""In headless Chromium at phone (390 × 844) and desktop (1400 × 900) size, defects a QA walk of the demo found:
the grid worker's patrol map opens centred on the worker's own grid(s); on a phone the split card follows the
appeal's own details (a department's part steps in the 操作 card: test_dead_ends)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SIZES, SignedInSession

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "appeals-qa-walk"


def _centre(page: Any, selector: str) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("size", SIZES)
def test_the_patrol_map_opens_centred_on_the_workers_own_grid(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.testing import build_cast

    cast = build_cast()
    worker = Session(browser, size, cast.grid_worker, live_server.url)
    page = worker.go("/appeals/patrol/")
    page.wait_for_selector('.ap-map[data-ready="1"]')
    own = '.ap-map path.leaflet-interactive[stroke-width="3"]'
    assert page.locator(own).count() == 1
    map_x, map_y = _centre(page, ".ap-map")
    grid_x, grid_y = _centre(page, own)
    box = page.locator(".ap-map").bounding_box()
    # Framed on the grid (web/map.js fitClear): in the middle across, wholly in view, and clear of the zoom
    # buttons at the top left, which push it down a little in a low box (a quarter of the height at most).
    assert abs(map_x - grid_x) < box["width"] * 0.1 and abs(map_y - grid_y) < box["height"] * 0.25
    grid = page.locator(own).bounding_box()
    assert box["y"] - 1 <= grid["y"] and grid["y"] + grid["height"] <= box["y"] + box["height"] + 1
    zoom = page.locator(".ap-map .leaflet-control-zoom").bounding_box()
    assert grid["y"] >= zoom["y"] + zoom["height"] - 1 or grid["x"] >= zoom["x"] + zoom["width"] - 1
    worker.shot("patrol-map")
    worker.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_patrol_map_opens_on_all_the_workers_grids(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.testing import build_cast, make_neighbour

    cast = build_cast()
    neighbour = make_neighbour(cast)
    neighbour.grid.workers.add(cast.grid_worker)
    worker = Session(browser, size, cast.grid_worker, live_server.url)
    page = worker.go("/appeals/patrol/")
    page.wait_for_selector('.ap-map[data-ready="1"]')
    own = page.locator('.ap-map path.leaflet-interactive[stroke-width="3"]')
    assert own.count() == 2
    box = page.locator(".ap-map").bounding_box()
    for i in range(2):  # both grids in view
        grid = own.nth(i).bounding_box()
        assert grid["x"] >= box["x"] - 1 and grid["x"] + grid["width"] <= box["x"] + box["width"] + 1
        assert grid["y"] >= box["y"] - 1 and grid["y"] + grid["height"] <= box["y"] + box["height"] + 1
    worker.shot("patrol-two-grids")
    worker.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_split_card_follows_the_appeals_details(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast)
    worker = Session(browser, size, cast.grid_worker, live_server.url)
    page = worker.go(f"/appeals/{appeal.pk}/")
    facts = page.locator(".ap-sec-facts").bounding_box()
    split = page.locator("#split").bounding_box()
    actions = page.locator("#actions").bounding_box()
    assert "位置" in page.locator(".ap-sec-facts").inner_text()
    if size == "phone":
        assert split["y"] >= facts["y"] + facts["height"]
        assert split["y"] >= actions["y"] + actions["height"]
    worker.shot("detail")
    worker.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_department_workbench_and_the_whistle_form_after_a_summons(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.tests.factories import at_community
    from linli.testing import build_cast

    cast = build_cast()
    appeal = at_community(cast, title="小区门口占道经营")
    services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场联合处置。"
    )
    department = Session(browser, size, cast.department_handler, live_server.url)
    page = department.go("/appeals/workbench/?tab=parts")
    nav = page.get_by_role("navigation", name="接诉即办")
    expect(nav).to_contain_text("工作台")
    for tool in ("热线", "巡查上报", "网格二维码", "每月一题", "派单目录"):
        expect(nav).not_to_contain_text(tool)
    department.shot("department-workbench")
    department.close()
    community = Session(browser, size, cast.community_worker, live_server.url)
    page = community.go(f"/appeals/{appeal.pk}/")
    page.locator("#action-whistle summary").click()
    form = page.locator("#action-whistle")
    expect(form.get_by_label(cast.department.name)).to_have_count(0)
    expect(form).to_contain_text(f"已吹哨召集（不再列出）：{cast.department.name}")
    community.shot("whistle-already-summoned")
    community.close()
