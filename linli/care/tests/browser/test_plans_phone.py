"""In headless Chromium: the plans page on a phone opens with the people in care, one compact row each that a tap
anywhere opens (it opened with the search, seven figures, the 30-day rates and the late and reassessment lists, the
first person thousands of pixels down, each a card of five labelled lines); the desk keeps its table and order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linli.testing import Cast

from .conftest import shot

ROWS = "() => [...document.querySelectorAll('#people tbody tr')].map(r => r.getBoundingClientRect().toJSON())"


def test_a_grid_worker_on_a_phone_sees_the_people_first_and_taps_a_row_open(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    from playwright.sync_api import expect

    plan = red_plan()
    page = open_as(live_cast.grid_worker, "phone", "/care/plans/")
    page.goto(f"{live_server.url}/care/plans/")
    row = page.evaluate(ROWS)[0]
    assert row["y"] + row["height"] <= 844  # on the first screen
    assert 44 <= row["height"] <= 64  # one line, a thumb's tap
    expect(page.locator("#people td.care-desk").first).to_be_hidden()
    shot(page, "plans-phone")
    # A tap on the date, not the name: the name's link covers the row (Playwright's click would refuse the cell
    # for the link above it, so the finger taps where the cell is).
    cell = page.locator("#people td.care-next").first.bounding_box()
    page.touchscreen.tap(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    expect(page).to_have_url(f"{live_server.url}/care/plans/{plan.pk}/")

    desk = open_as(live_cast.community_worker, "desktop")
    desk.goto(f"{live_server.url}/care/plans/")
    expect(desk.locator("#people td.care-desk").first).to_be_visible()  # grid, visitor, reassessment
    figures = desk.locator(".care-figures").first.bounding_box()
    assert figures["y"] < desk.locator("#people").bounding_box()["y"]  # the desk's figures stay above
    shot(desk, "plans-desktop")


def test_a_plans_visits_and_calls_are_a_line_or_two_each_on_a_phone(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    """A person's plan listed thirteen visits and calls before its services and alert buttons, each a card of five
    labelled lines (170 px): on a phone each is now a line or two."""
    from playwright.sync_api import expect

    plan = red_plan(days_ago=3)
    page = open_as(live_cast.grid_worker, "phone", f"/care/plans/{plan.pk}/")
    page.goto(f"{live_server.url}/care/plans/{plan.pk}/")
    expect(page.locator("#visits tbody tr").first).to_be_visible()
    heights = page.eval_on_selector_all(
        "#visits tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) >= 4 and max(heights) <= 100
    links = page.eval_on_selector_all(
        "#visits tbody a", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert links and min(links) >= 44  # the kind's link opens the record: a thumb's tap
    shot(page, "plan-phone")


def test_a_box_and_its_button_stand_level_on_the_desk_and_the_phone(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    """The grid filter's 查看 sat lower than its select (bottoms level, the button 28 px to the select's 41): a box
    and its button now share one row of one height (.care-field-row), the finder's 查找 as the filter's 查看."""
    red_plan()
    for size in ("desktop", "phone"):
        page = open_as(live_cast.community_worker, size, "/care/plans/")
        page.goto(f"{live_server.url}/care/plans/")
        box = page.locator("#care-find").bounding_box()
        button = page.locator(".care-find button").bounding_box()
        assert abs(box["y"] - button["y"]) < 1 and abs(box["height"] - button["height"]) < 1, size
        assert button["height"] >= (44 if size == "phone" else 36), size
