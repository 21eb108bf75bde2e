"""In headless Chromium at desktop size: a community worker adds a grid by drawing its boundary on the map — corners
clicked, one taken back, one dragged, the shape closed on its first corner — is refused when it overlaps the grid
next door (the shape comes back as drawn), clears it and draws it again sharing the neighbour's edge, then redraws
it from the grid's page. Screenshots of each step."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import shape

from linli.territory.models import Grid
from linli.testing import build_cast
from linli.testing.browser import SignedInSession

from .test_venue_map import on_screen, tap_at

pytestmark = pytest.mark.browser

MAP = '.grid-draw-map[data-ready="1"][data-draw-ready="1"]'


class Session(SignedInSession):
    prefix = "territory-grid-draw"


def show(page: Any, south: float, west: float, north: float, east: float) -> None:
    page.evaluate(
        "(b) => document.querySelector('.grid-draw-map').apMap.fitBounds(b, {animate: false})",
        [[south, west], [north, east]],
    )


def drag(page: Any, corner: tuple[float, float], dx: float, dy: float) -> None:
    """Drag the corner at (lng, lat) by dx, dy pixels."""
    x, y = on_screen(page, *corner)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def corners(page: Any, *points: tuple[float, float]) -> None:
    for lng, lat in points:
        tap_at(page, lng, lat)


def test_a_community_worker_draws_a_new_grid_and_redraws_it(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    cast = build_cast()  # G001 is square(116.40, 39.90) with sides of 0.004°
    session = Session(browser, "desktop", cast.community_worker, live_server.url)
    page = session.go(f"/territory/grids/new/?node={cast.community.pk}")
    page.wait_for_selector(MAP)
    draw_map = page.locator(".grid-draw-map")
    page.locator("input[name=name]").fill("幸福第二网格")
    page.get_by_label("王网格").check()
    show(page, 39.899, 116.399, 39.909, 116.405)

    # Overlapping G001 by half: refused, the shape kept.
    corners(page, (116.40, 39.902), (116.404, 39.902), (116.404, 39.906), (116.40, 39.906))
    expect(draw_map).to_have_attribute("data-corners", "4")
    tap_at(page, 116.40, 39.902)  # the first corner closes the shape
    expect(draw_map).to_have_attribute("data-closed", "1")
    session.shot("overlapping")
    page.get_by_role("button", name="添加网格").click()
    expect(page.get_by_role("alert")).to_contain_text("边界与网格 阳光一网格（G001）重叠")
    page.wait_for_selector(MAP)
    expect(draw_map).to_have_attribute("data-corners", "4")
    expect(draw_map).to_have_attribute("data-closed", "1")
    expect(page.locator("input[name=name]")).to_have_value("幸福第二网格")
    session.shot("refused")

    # Cleared and drawn again on G001's north edge: a corner taken back, one dragged, one close to the edge.
    page.get_by_role("button", name="清除重画").click()
    expect(draw_map).to_have_attribute("data-corners", "0")
    show(page, 39.899, 116.399, 39.909, 116.405)
    corners(page, (116.40, 39.904), (116.404, 39.904), (116.403, 39.9075))
    page.get_by_role("button", name="撤销").click()
    expect(draw_map).to_have_attribute("data-corners", "2")
    corners(page, (116.4035, 39.9075), (116.40, 39.908))
    drag(page, (116.4035, 39.9075), 20, -20)
    tap_at(page, 116.40, 39.904)
    expect(draw_map).to_have_attribute("data-closed", "1")
    session.shot("drawn")
    page.get_by_role("button", name="添加网格").click()
    page.wait_for_url("**/territory/grids/*/")
    grid = Grid.objects.get(name="幸福第二网格")
    assert [w.pk for w in grid.workers.all()] == [cast.grid_worker.pk]
    drawn = shape(grid.boundary)
    assert drawn.exterior.coords[0] == tuple(
        cast.grid.boundary["coordinates"][0][3]
    )  # G001's corner, exactly
    assert drawn.intersection(shape(cast.grid.boundary)).area == pytest.approx(0, abs=1e-12)
    assert drawn.bounds[2] > 116.4035  # the dragged corner went east
    expect(page.locator("h1")).to_contain_text("幸福第二网格")
    session.shot("saved")

    # Redrawn from its page: a corner dragged north, saved.
    page.get_by_role("link", name="重画边界").click()
    page.wait_for_selector(MAP)
    expect(draw_map).to_have_attribute("data-closed", "1")
    before = grid.area_m2
    lng, lat = grid.boundary["coordinates"][0][2]
    drag(page, (lng, lat), 0, -30)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/territory/grids/{grid.pk}/")
    grid.refresh_from_db()
    assert grid.area_m2 > before
    session.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_next_community_s_grid_is_drawn_grey_and_snapped_to(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    # The overlap check counted the other community's G002, but the map neither drew it nor snapped to it: a
    # drawer could not see what their boundary was refused for, nor share its edge exactly.
    from playwright.sync_api import expect

    cast = build_cast()  # G002 (光明社区) is square(116.41, 39.90): east of G001, across a 0.006° gap
    session = Session(browser, size, cast.community_worker, live_server.url)
    page = session.go(f"/territory/grids/new/?node={cast.community.pk}")
    page.wait_for_selector(MAP)
    draw_map = page.locator(".grid-draw-map")
    expect(draw_map).to_have_attribute("data-neighbours", "1")
    expect(page.locator(".neighbour-grid")).to_have_count(1)
    expect(page.locator("#draw-key-neighbour")).to_contain_text("灰色虚线为相邻社区的网格")
    page.locator("input[name=name]").fill("幸福东网格")
    show(page, 39.899, 116.403, 39.905, 116.412)
    expect(page.locator(".neighbour-label")).to_contain_text("光明一网格（光明社区）")
    # The second and third corners put a little off G002's west corners: they land on them.
    corners(page, (116.404, 39.90), (116.40992, 39.90008), (116.40992, 39.90392), (116.404, 39.904))
    tap_at(page, 116.404, 39.90)
    expect(draw_map).to_have_attribute("data-closed", "1")
    session.shot("neighbour")
    page.get_by_role("button", name="添加网格").click()
    page.wait_for_url("**/territory/grids/*/")
    ring = Grid.objects.get(name="幸福东网格").boundary["coordinates"][0]
    theirs = cast.other_grid.boundary["coordinates"][0]
    assert ring[1] == theirs[0] and ring[2] == theirs[3]  # G002's south-west and north-west corners, exactly
    session.close()


def test_the_neighbours_are_asked_again_for_the_community_or_compound_chosen(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    # The grey grids were asked for once, in the order of the first community chosen: choosing the compound (or
    # another community) in the drop-down left them as they were.
    from playwright.sync_api import expect

    cast = build_cast()
    session = Session(browser, "desktop", cast.community_worker, live_server.url)
    page = session.go(f"/territory/grids/new/?node={cast.community.pk}")
    page.wait_for_selector(MAP)
    draw_map = page.locator(".grid-draw-map")
    expect(draw_map).to_have_attribute("data-neighbours", "1")
    with page.expect_request(f"**/territory/grids/neighbours.json?org_node_id={cast.compound.pk}") as asked:
        page.locator("select[name=org_node]").select_option(str(cast.compound.pk))
    assert asked.value.response().status == 200
    expect(page.locator(".neighbour-grid")).to_have_count(1)  # drawn again, not twice
    expect(page.locator(".neighbour-label")).to_have_count(1)
    expect(draw_map).to_have_attribute("data-neighbours", "1")
    session.close()
