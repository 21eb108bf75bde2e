"""In headless Chromium, at phone and desktop size: a community worker records a family moving from one building
to another (in another grid of the community) and both grids' counts change; screenshots of the register pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from linli.territory import services
from linli.territory.models import Resident
from linli.testing import PASSWORD, build_cast, make_neighbour
from linli.testing.browser import SCREENSHOTS, sign_in_page

pytestmark = pytest.mark.browser


def _count(page: Any, url: str) -> int:
    page.goto(url)
    return int(page.locator('#grid-profile [data-key="residents"] .stat-value').inner_text())


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_community_worker_moves_a_family_and_both_grids_counts_change(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    cast = build_cast()
    services.resident_create(
        actor=None, household=cast.household, name="王芳", gender="female", birth_date=dt.date(1953, 4, 2)
    )
    neighbour = make_neighbour(cast)  # 阳光二网格, its 3号楼 and one resident in room 301
    grid = neighbour.grid
    services.household_create(actor=None, building=neighbour.building, code="H003-502", room="502")

    context, page, problems = sign_in_page(
        browser, live_server.url, cast.community_worker.username, PASSWORD, size
    )
    here, there = (
        f"{live_server.url}/territory/grids/{cast.grid.pk}/",
        f"{live_server.url}/territory/grids/{grid.pk}/",
    )
    before = _count(page, here), _count(page, there)
    assert before == (2, 1)

    page.goto(here)
    page.get_by_role("link", name="1号楼").click()
    expect(page.get_by_role("heading", name="1号楼")).to_be_visible()
    page.screenshot(path=str(_shot(f"building-{size}")), full_page=True)
    page.get_by_role("link", name="101").click()
    page.locator("#action-move summary").click()
    page.locator("#action-move input[name=household]").fill("NOPE")
    page.locator("#action-move button[type=submit]").click()
    expect(page.locator("#action-move .errorlist")).to_contain_text("您的辖区内没有此编码的住户")
    page.screenshot(path=str(_shot(f"household-error-{size}")), full_page=True)
    page.locator("#action-move input[name=household]").fill("H003-502")
    page.locator("#action-move button[type=submit]").click()
    expect(page.locator(".msg.success")).to_contain_text("2 人已迁至")
    expect(page.locator("#member-count")).to_have_text("0")

    assert (_count(page, here), _count(page, there)) == (0, 3)
    person = Resident.objects.get(name="王芳")
    page.goto(f"{live_server.url}/territory/residents/{person.pk}/")
    expect(page.locator("#history")).to_contain_text("迁至本辖区另一户")
    page.locator("#action-edit summary").click()
    page.screenshot(path=str(_shot(f"resident-{size}")), full_page=True)
    assert problems == []
    context.close()


def _shot(name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"territory-register-{name}.png"
