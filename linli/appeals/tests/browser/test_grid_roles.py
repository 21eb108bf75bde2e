"""In headless Chromium at phone (390 × 844) and desktop (1400 × 900) size (issue 10): a grid leader's workbench
("All in my area") lists the appeals of their own grid, not the neighbour grid's in the same compound, and the
neighbour's appeal page answers 404."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SIZES, sign_in_context, sized_context

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", SIZES)
def test_a_grid_leader_sees_only_their_grids_appeals(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.tests.factories import by_hotline
    from linli.core.roles import Role
    from linli.testing import build_cast, make_neighbour, make_user

    cast = build_cast()
    other = make_neighbour(cast).grid

    def report(grid: Any, title: str) -> Any:
        return by_hotline(cast, grid, f"{title}，请尽快处理。", kind="help", title=title)

    ours, theirs = report(cast.grid, "1号楼门口路灯不亮"), report(other, "3号楼楼道堆放杂物")
    leader = make_user("wangzhang", Role.GRID_LEADER, node=cast.compound, name="网格长")
    cast.grid.workers.add(leader)
    context = sized_context(browser, size)
    sign_in_context(context, leader, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/workbench/?tab=all")
    expect(page.locator("body")).to_contain_text(ours.title)
    assert theirs.title not in page.inner_text("body")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"appeals-grid-leader-all-{size}.png"), full_page=True)
    response = page.goto(f"{live_server.url}/appeals/{theirs.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/appeals/{ours.pk}/")
    assert response is not None and response.status == 200
    page.screenshot(path=str(SCREENSHOTS / f"appeals-grid-leader-detail-{size}.png"), full_page=True)
    context.close()
