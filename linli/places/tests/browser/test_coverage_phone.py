"""The coverage page on a phone reads summary first: each kind of place one row of its three shares (it was a card
of four labelled lines a kind), each community one summary row with its grids folded under it, opened by a tap (a
card of four lines a grid: a community of 42 grids made the page 8,472 px tall, a street's 31,152). On a desktop the
grids stand open under their community, as the table showed them."""

from __future__ import annotations

import pytest

from .conftest import Walk, shot

pytestmark = pytest.mark.browser

ROW_HEIGHTS = "rs => rs.map(r => r.getBoundingClientRect().height)"


def test_on_a_phone_the_kinds_are_rows_and_the_grids_fold_under_their_community(walk: Walk) -> None:
    from playwright.sync_api import expect

    from linli.testing.browser import short_targets

    cast = walk.cast
    walk.road(2)
    walk.place("幸福社区服务站", "station", 116.398, address="和平路1号", lat=39.902)
    context, page = walk.open("phone", cast.street_officer, "/places/coverage/?kind=station")
    kinds = page.locator("#kind-table")
    expect(kinds.locator("thead")).to_be_visible()  # a table of rows, its columns named once
    expect(kinds.locator("tbody tr")).to_have_count(7)
    assert max(kinds.locator("tbody tr").evaluate_all(ROW_HEIGHTS)) < 70
    expect(kinds.locator("tr[data-kind='station']")).to_contain_text("1 / 2")

    areas = page.locator("#coverage-areas details.pl-area")
    expect(areas).to_have_count(2)
    mine = areas.filter(has_text=cast.community.name)
    expect(mine.locator("summary")).to_contain_text("1 个网格")
    expect(mine.get_by_text(cast.grid.name)).to_be_hidden()  # folded
    assert short_targets(page, "a, button, select, summary", within="main") == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.documentElement.scrollHeight") < 1900
    shot(page, "coverage-phone")

    mine.locator("summary").click()
    expect(mine.get_by_text(cast.grid.name)).to_be_visible()
    assert max(mine.locator("tbody tr").evaluate_all(ROW_HEIGHTS)) < 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "coverage-phone-opened")
    context.close()

    context, page = walk.open("desktop", cast.street_officer, "/places/coverage/?kind=station")
    for name in (cast.grid.name, cast.other_grid.name):
        expect(page.locator("#coverage-areas").get_by_text(name)).to_be_visible()
    shot(page, "coverage-desktop-grids")
    context.close()
