from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from shapely.geometry import Point, shape

from linli.core.errors import ValidationFailed
from linli.core.snapshots import snapshots_forget
from linli.demo.territory import STREET_BOUNDS, DemoDistrict, demo_build
from linli.territory import services as territory
from linli.territory.locator import grid_for_point, locate_address, locate_point
from linli.territory.models import Building, Grid
from linli.testing import square
from linli.testing.snapshots import in_another_process


@pytest.fixture
def fresh_locator() -> Iterator[None]:
    snapshots_forget()
    yield
    snapshots_forget()


@pytest.fixture
def demo(db: None, fresh_locator: None) -> DemoDistrict:
    return demo_build(scale=0.05, seed=7)


def _square_around(lng: float, lat: float, half: float) -> dict[str, Any]:
    return square(lng - half, lat - half, 2 * half)


def test_every_demo_building_lands_in_its_own_grid_which_contains_it(demo: DemoDistrict) -> None:
    buildings = list(Building.objects.select_related("grid"))
    assert len(buildings) > 10
    for b in buildings:
        assert grid_for_point(b.lng, b.lat) == b.grid_id, b.address
        assert shape(b.grid.boundary).contains(Point(b.lng, b.lat))


def test_locate_point_gives_the_grid_and_its_org_chain_from_the_district_down(demo: DemoDistrict) -> None:
    b = Building.objects.select_related("grid__org_node").first()
    assert b is not None
    found = locate_point(b.lng, b.lat)
    assert found is not None
    assert (found.grid_id, found.grid_code, found.grid_name) == (b.grid_id, b.grid.code, b.grid.name)
    assert [n.kind for n in found.chain] == ["district", "street", "community", "compound"]
    assert found.chain[0].code == "110105"
    assert found.chain[-1].id == b.grid.org_node_id
    assert found.as_dict()["chain"][1]["name"] == demo.street.name


def test_points_outside_every_grid_are_not_located(demo: DemoDistrict) -> None:
    west, south, east, north = STREET_BOUNDS
    for lng, lat in [(west - 0.001, south + 0.005), (east + 0.0001, north - 0.001), (121.47, 31.23), (0, 0)]:
        assert grid_for_point(lng, lat) is None
        assert locate_point(lng, lat) is None


def test_an_empty_territory_locates_nothing(db: None, fresh_locator: None) -> None:
    assert grid_for_point(116.47, 39.92) is None


@pytest.mark.parametrize(
    ("lng", "lat", "words"),
    [
        (200, 39.9, "经度必须是 -180 到 180"),
        (116.4, -91, "纬度必须是 -90 到 90"),
        (float("nan"), 39.9, "经度必须是"),
        (116.4, float("inf"), "纬度必须是"),
        ("east", 39.9, "经度和纬度必须是数字"),
        (None, None, "经度和纬度必须是数字"),
    ],
)
def test_invalid_coordinates_are_refused_with_a_clear_message(
    db: None, fresh_locator: None, lng: Any, lat: Any, words: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        grid_for_point(lng, lat)
    assert words in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        locate_point(lng, lat)


def test_a_microgrid_wins_over_the_grid_around_it(
    demo: DemoDistrict, django_capture_on_commit_callbacks: Any
) -> None:
    grid = demo.grids[0]
    c = shape(grid.boundary).centroid
    with django_capture_on_commit_callbacks(execute=True):
        micro = territory.grid_create(
            actor=None,
            code="MICRO-1",
            name="微网格一",
            kind="microgrid",
            parent_grid=grid,
            org_node=grid.org_node,
            boundary=_square_around(c.x, c.y, 0.0002),
        )
    assert grid_for_point(c.x, c.y) == micro.pk
    assert grid_for_point(c.x + 0.0003, c.y) == grid.pk
    # On the micro-grid's edge the point is strictly inside only the outer grid.
    assert grid_for_point(c.x + 0.0002, c.y) == grid.pk


def test_a_boundary_change_is_seen_as_soon_as_it_commits(
    demo: DemoDistrict, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 3600  # only the service's bump can tell this process
    b = Building.objects.select_related("grid").first()
    assert b is not None
    assert grid_for_point(b.lng, b.lat) == b.grid_id
    far = square(116.30, 39.80, 0.001)
    with django_capture_on_commit_callbacks(execute=True):
        territory.grid_update(actor=None, grid=b.grid, boundary=far)
    assert grid_for_point(b.lng, b.lat) is None
    assert grid_for_point(116.3005, 39.8005) == b.grid_id


def test_a_change_made_by_another_process_is_seen_after_the_recheck_interval(
    demo: DemoDistrict, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 3600
    b = Building.objects.select_related("grid").first()
    assert b is not None
    assert grid_for_point(b.lng, b.lat) == b.grid_id
    with in_another_process():  # another process moves the grid through the service
        territory.grid_update(actor=None, grid=b.grid, boundary=square(116.30, 39.80, 0.001))
    with django_assert_num_queries(0):
        assert grid_for_point(b.lng, b.lat) == b.grid_id  # within the interval: no query, old answer
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 0
    assert grid_for_point(b.lng, b.lat) is None
    assert grid_for_point(116.3005, 39.8005) == b.grid_id


def test_a_warm_locator_runs_no_query(
    demo: DemoDistrict, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.LINLI_SNAPSHOT_RECHECK_SECONDS = 10
    b = Building.objects.first()
    assert b is not None
    grid_for_point(b.lng, b.lat)
    with django_assert_num_queries(0):
        for _ in range(50):
            assert grid_for_point(b.lng, b.lat) == b.grid_id


def _two_digit_building() -> Building:
    """A building numbered 10-19 in a compound that has a 1号楼 (added beside it when the demo has none)."""
    for b in Building.objects.order_by("id"):
        if re.fullmatch(r"\D+1\d号楼", b.address):
            return b
    one = Building.objects.filter(name="1号楼").select_related("grid", "compound").first()
    assert one is not None and one.compound is not None
    return territory.building_create(
        actor=None,
        grid=one.grid,
        compound=one.compound,
        code=f"{one.code}-X",
        name="12号楼",
        address=f"{one.compound.name}12号楼",
        lng=one.lng,
        lat=one.lat,
    )


def test_an_address_finds_its_building_however_it_is_written(demo: DemoDistrict) -> None:
    b = _two_digit_building()
    m = re.fullmatch(r"(\D+)(\d+)号楼", b.address)
    assert m is not None
    compound, number = m.group(1), int(m.group(2))
    cn = "零一二三四五六七八九"
    number_cn = f"十{cn[number - 10] if number > 10 else ''}"
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    variants = [
        b.address,
        f"北京市朝阳区{b.address}2单元301",
        f"{compound}{number}栋",
        f"{compound}{number}幢",
        f"{compound}{number}号楼".translate(full_width),
        f"{compound}{number_cn}号楼",
        f" {compound} {number} 号楼 ",
        f"中国北京市朝阳区{compound}{number}栋1单元1101室",
    ]
    for text in variants:
        found = locate_address(text)
        assert found is not None and found.pk == b.pk, text


def test_the_longest_matching_building_wins_not_a_shorter_number(demo: DemoDistrict) -> None:
    b = _two_digit_building()
    m = re.fullmatch(r"(\D+)(\d+)号楼", b.address)
    assert m is not None
    one = Building.objects.get(address=f"{m.group(1)}1号楼")
    assert locate_address(b.address + "3单元502").pk == b.pk  # type: ignore[union-attr]
    assert locate_address(one.address + "3单元502").pk == one.pk  # type: ignore[union-attr]


def test_an_unknown_address_is_not_located(demo: DemoDistrict) -> None:
    assert locate_address("上海市浦东新区世纪大道100号") is None
    assert locate_address("") is None
    assert locate_address("   ，。 ") is None
    assert locate_address("金台西里999号楼") is None


def test_a_corrupt_grid_row_does_not_take_the_locator_down(demo: DemoDistrict) -> None:
    broken, healthy = demo.grids[0], demo.grids[1]
    Grid.objects.filter(pk=broken.pk).update(boundary={"type": "Nope"})
    Grid.objects.filter(pk=demo.grids[2].pk).update(boundary="not a polygon")
    Grid.objects.filter(pk=demo.grids[3].pk).update(boundary={"type": "Polygon", "coordinates": []})
    snapshots_forget()  # as a process started on this database would read it
    b = Building.objects.filter(grid=healthy).first()
    assert b is not None
    assert grid_for_point(b.lng, b.lat) == healthy.pk
