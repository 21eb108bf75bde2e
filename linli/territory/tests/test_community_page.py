"""Down the tree as it is governed: district → street → community → compound → grid → building → household. A
community has its page (its compounds, each leading to its grids and buildings, then what lies in no compound), the
org tree leads to it, and every page's trail links the steps above it the reader may open. A community's name
led nowhere: from a grid, the trail named the community and the compound without a link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.territory import services
from linli.territory.models import Building, Grid, OrgNode
from linli.testing import Cast, square

pytestmark = pytest.mark.django_db


def _trail(page: str) -> list[tuple[str, str]]:
    """The page's trail: (href or "", text) of each step, top first."""
    nav = re.search(r'<nav class="crumbs page-crumbs"[^>]*>(.*?)</nav>', page, re.S)
    assert nav is not None, "no trail on the page"
    steps = re.findall(r'<a href="([^"]+)">([^<]+)</a>|<span>([^<]+)</span>', nav.group(1))
    return [(href, text or plain) for href, text, plain in steps]


@pytest.fixture
def loose(cast: Cast) -> tuple[Grid, Building]:
    """A grid the community keeps itself, outside its compound, with a building of no compound."""
    grid = services.grid_create(
        actor=None, code="G009", name="幸福直属网格", org_node=cast.community, boundary=square(116.43, 39.90)
    )
    building = services.building_create(
        actor=None, grid=grid, code="B009", name="9号楼", address="幸福路9号楼", lng=116.432, lat=39.902
    )
    services.household_create(actor=None, building=building, code="H009", room="101")
    return grid, building


def test_a_community_page_leads_to_its_compounds_then_to_what_lies_in_none(
    cast: Cast, loose: tuple[Grid, Building], client_for: Any
) -> None:
    client = client_for("community_worker")
    tree = client.get("/territory/tree/").content.decode()
    assert f'href="/territory/communities/{cast.community.pk}/">幸福社区</a>' in tree
    page = client.get(f"/territory/communities/{cast.community.pk}/").content.decode()
    compound = re.search(
        r'<tr>\s*<td data-label="小区"><a href="([^"]+)"><strong>阳光小区</strong>.*?</tr>', page, re.S
    )
    assert compound is not None and compound.group(1) == f"/territory/compounds/{cast.compound.pk}/"
    cells = re.findall(r'<td data-label="(?:网格|楼栋|住户)">(\d+)</td>', compound.group(0))
    assert cells == ["1", "1", "1"]  # G001, B001, H001
    grid, building = loose
    assert "未归入小区的网格" in page and f'href="/territory/grids/{grid.pk}/"' in page
    assert "未归入小区的楼栋" in page and f'href="/territory/buildings/{building.pk}/"' in page
    assert "光明一网格" not in page  # another community's
    # The compound's page goes on to its grids and buildings.
    inside = client.get(compound.group(1)).content.decode()
    assert f'href="/territory/grids/{cast.grid.pk}/"' in inside
    assert f'href="/territory/buildings/{cast.building.pk}/"' in inside


def test_every_pages_trail_follows_the_tree_and_links_what_the_reader_may_open(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    community = f"/territory/communities/{cast.community.pk}/"
    compound = f"/territory/compounds/{cast.compound.pk}/"
    grid = f"/territory/grids/{cast.grid.pk}/"
    building = f"/territory/buildings/{cast.building.pk}/"
    household = f"/territory/households/{cast.household.pk}/"
    assert _trail(client.get(grid).content.decode()) == [
        ("", "示范区"),
        ("", "和平街道"),
        (community, "幸福社区"),
        (compound, "阳光小区"),
        ("", "阳光一网格"),
    ]
    assert _trail(client.get(building).content.decode()) == [
        (community, "幸福社区"),
        (compound, "阳光小区"),
        (grid, "阳光一网格"),
        ("", "1号楼"),
    ]
    assert _trail(client.get(household).content.decode())[2:] == [
        (grid, "阳光一网格"),
        (building, "1号楼"),
        ("", "101"),
    ]
    person = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    assert [href for href, _name in _trail(person)] == [community, compound, grid, building, household, ""]
    assert _trail(client.get(compound).content.decode()) == [
        ("/territory/tree/", "组织架构"),
        ("", "示范区"),
        ("", "和平街道"),
        (community, "幸福社区"),
        ("", "阳光小区"),
    ]
    # A grid worker's area starts at their compound: the community is named, not linked (its page is not theirs).
    worker = client_for("grid_worker")
    assert _trail(worker.get(building).content.decode())[:2] == [("", "幸福社区"), (compound, "阳光小区")]
    assert worker.get(community).status_code == 404


def test_a_community_page_is_for_those_whose_area_holds_it(cast: Cast, client_for: Any) -> None:
    mine, other = (
        f"/territory/communities/{cast.community.pk}/",
        f"/territory/communities/{cast.other_community.pk}/",
    )
    assert client_for("community_worker").get(other).status_code == 404
    assert client_for("outsider").get(mine).status_code == 404
    officer = client_for("street_officer")
    assert officer.get(mine).status_code == officer.get(other).status_code == 200
    assert client_for("resident").get(mine).status_code == 403
    assert (
        client_for("community_worker").get(f"/territory/communities/{cast.compound.pk}/").status_code == 404
    )


def test_a_community_page_reads_the_same_few_queries_however_many_compounds(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    url = f"/territory/communities/{cast.community.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(2, 6):
        node = services.org_node_create(
            actor=None, kind="compound", name=f"小区{i}", code=f"11019900100100{i}", parent=cast.community
        )
        grid = services.grid_create(
            actor=None,
            code=f"G10{i}",
            name=f"网格{i}",
            org_node=node,
            boundary=square(116.40 + i / 100, 39.95),
        )
        services.building_create(
            actor=None,
            grid=grid,
            code=f"B10{i}",
            name=f"{i}号楼",
            address="路",
            lng=116.401 + i / 100,
            lat=39.951,
        )
    assert OrgNode.objects.filter(parent=cast.community).count() == 5
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "小区5" in page and len(many.captured_queries) == len(few.captured_queries)
