"""In headless Chromium at phone (390 × 844) and desktop (1400 × 900) size (issue 10): a grid leader's workbench
("All in my area") lists the appeals of their own grid, not the neighbour grid's in the same compound, and the
neighbour's appeal page answers 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from linli.testing.browser import browser_context

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[4] / "screenshots"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1400, "height": 900}},
}


@pytest.mark.parametrize("size", SIZES)
def test_a_grid_leader_sees_only_their_grids_appeals(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.accounts.models import User
    from linli.appeals import services
    from linli.core.roles import Role
    from linli.testing import PASSWORD, build_cast, make_neighbour

    cast = build_cast()
    other = make_neighbour(cast).grid

    def report(grid: Any, title: str) -> Any:
        return services.appeal_submit(
            actor=cast.community_worker,
            kind="help",
            title=title,
            description=f"{title}，请尽快处理。",
            channel="hotline",
            contact_name="赵女士",
            contact_phone="13900002222",
            grid=grid,
        )

    ours, theirs = report(cast.grid, "1号楼门口路灯不亮"), report(other, "3号楼楼道堆放杂物")
    leader = User.objects.create_user(
        username="wangzhang",
        password=PASSWORD,
        role=Role.GRID_LEADER,
        org_node=cast.compound,
        display_name="网格长",
    )
    cast.grid.workers.add(leader)
    client = Client()
    client.force_login(leader)
    context = browser_context(browser, **SIZES[size])
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
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
