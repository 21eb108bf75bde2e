"""On a phone (390 × 844, touch), what a leader taps on the overview is 44 px high at least: the tiers' rows (36 px),
the units to drill into, the categories and the overdue appeals' numbers in the tables (21 px), the links by the
headings and under the tables (20 px), the map's colour choice (23 px), the period's and date's labels (20 px: each
now holds its field, as core's hand-written fields do); on the appeals behind a figure their numbers (23 px); on the
public pages the years and the communities (20-24 px) and a community's appeals (21 px)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession, short_targets

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    prefix = "dashboard-phone-targets"


def test_the_overview_is_tapped_at_44_px_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast

    from .factories import overdue_appeals

    cast = build_cast()
    overdue_appeals(cast, ["楼道灯坏了"])

    s = Session(browser, "phone", cast.district_leader, live_server.url)
    page = s.go("/dashboard/")
    page.locator("#map-legend").wait_for()
    # Everything in main a person taps: links, buttons, fields and their labels (the filter's 期间 and 日期 were 20 px).
    main = "a, button, input, select, summary, label"
    assert page.locator("#overdue-table td a").count() == 1
    assert page.locator("#category-table td a").count() >= 1
    short = {"overview": short_targets(page, main, within="main")}
    s.shot("overview")
    page = s.go(page.locator('[data-figure="received"]').get_attribute("href"))
    assert page.locator("#behind-table td a").count() >= 1
    short["behind"] = short_targets(page, "#behind-table td a, .crumbs a")
    page = s.go("/public/")
    short["public"] = short_targets(page, ".pub-table a, .page-head a")
    page.locator(".pub-table a").first.click()
    page.wait_for_load_state("load")
    short["community"] = short_targets(page, ".table-wrap td a, .crumbs a")
    s.shot("public")
    s.close()
    assert {k: v for k, v in short.items() if v} == {}


def test_the_overview_narrowed_to_a_category_leaves_it_by_a_44_px_target_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The chip of the category the overview is narrowed to ends in ×, which leaves the category: it was 15 × 22 px."""
    from linli.testing import build_cast

    from .factories import overdue_appeals

    cast = build_cast()
    overdue_appeals(cast, ["楼道灯坏了"])
    s = Session(browser, "phone", cast.district_leader, live_server.url)
    page = s.go("/dashboard/?category=environment")
    leave = page.locator("h1 .chip a")
    assert leave.count() == 1
    box = leave.bounding_box()
    short = short_targets(page, "a, button, input, select, summary, label", within="main")
    s.shot("category")
    s.close()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    assert short == []


def _zoom_buttons(page: Any) -> list[tuple[int, int]]:
    page.locator("#dash-map .leaflet-control-zoom a").first.wait_for()
    return [
        (round(box["width"]), round(box["height"]))
        for box in (a.bounding_box() for a in page.locator("#dash-map .leaflet-control-zoom a").all())
        if box is not None
    ]


def test_the_maps_zoom_buttons_are_44_px_on_a_phone_and_leaflet_s_own_on_the_wall(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The wall screen (大屏) does not load web's stylesheet, so on a phone its map's + and − were Leaflet's 30 px
    squares; they are 44 px there as on the overview's map, and on the wall's own large display they stay
    Leaflet's size, out of the way of the figures."""
    from linli.appeals.tests.factories import submit
    from linli.dashboard import services
    from linli.testing import build_cast

    cast = build_cast()
    submit(cast)
    services.rollups_refresh_all()
    sizes: dict[str, list[tuple[int, int]]] = {}
    for size in ("phone", "desktop"):
        s = Session(browser, size, cast.district_leader, live_server.url)
        for path in ("/dashboard/wall/", "/dashboard/"):
            sizes[f"{size} {path}"] = _zoom_buttons(s.go(path))
        s.shot("wall")
        s.close()
    # Leaflet's first button has a border below it, which the wall's boxes (no border-box) add to its height.
    assert {
        where: min(min(b) for b in boxes) >= 44 for where, boxes in sizes.items() if "phone" in where
    } == {
        "phone /dashboard/wall/": True,
        "phone /dashboard/": True,
    }, sizes
    assert {where: max(max(b) for b in boxes) for where, boxes in sizes.items() if "desktop" in where} == {
        "desktop /dashboard/wall/": 31,
        "desktop /dashboard/": 30,
    }, sizes
