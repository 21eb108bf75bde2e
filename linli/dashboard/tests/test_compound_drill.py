"""The overview's drill follows the org tree: a community's units one level down are its compounds (小区), then the
grids it holds outside any compound, then its appeals in neither; a compound's are its grids. Each row counts an
appeal once, so a community's rows add up to its own figures (it used to go from the community straight to its
grids, skipping the compounds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.appeals.models import Category
from linli.dashboard import services
from linli.territory import services as territory
from linli.testing import Cast, make_user, signed_in, square

from . import fixed_set
from .factories import make_appeal

pytestmark = pytest.mark.django_db
SEPT = "period=month&date=2026-09-01"
COUNTS = (
    "received",
    "counted",
    "open",
    "overdue_open",
    "concluded",
    "fixed",
    "rated",
    "satisfied",
    "breached",
)


@pytest.fixture
def place(cast: Cast) -> dict[str, Any]:
    """The cast's community with a second compound (和平小区, its grid G010), a grid of its own outside any
    compound (G011), appeals in each and one placed in the community alone, over the fixed set's eight."""
    fixed_set.build(cast)
    cast.community.refresh_from_db()
    second = territory.org_node_create(
        actor=None, kind="compound", name="和平小区", code="110199001001002", parent=cast.community
    )
    inner = territory.grid_create(
        actor=None, code="G010", name="和平一网格", org_node=second, boundary=square(116.42, 39.90)
    )
    loose = territory.grid_create(
        actor=None, code="G011", name="社区直管网格", org_node=cast.community, boundary=square(116.43, 39.90)
    )
    env = Category.objects.get(code="environment.noise")
    day = dt.datetime(2026, 9, 15, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for grid, node, n in ((inner, second, 2), (loose, cast.community, 3), (None, cast.community, 1)):
        for i in range(n):
            make_appeal(grid=grid, org_path=node.path, created=day + dt.timedelta(hours=i), category=env)
    services.rollups_refresh_all()
    return {"second": second, "inner": inner, "loose": loose}


def _rows(client: Any, unit: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/dashboard/ranking?unit={unit}&{SEPT}")
    assert r.status_code == 200, r.content
    return r.json()["units"]


def _figures(client: Any, unit: str) -> dict[str, Any]:
    return client.get(f"/api/dashboard/figures?unit={unit}&{SEPT}").json()["figures"]


def test_a_community_s_rows_are_its_compounds_its_own_grids_and_the_rest_and_they_add_up(
    client_for: Any, cast: Cast, place: dict[str, Any]
) -> None:
    c = client_for("community_worker")
    rows = _rows(c, f"n{cast.community.pk}")
    assert [(r["level"], r["name"], r["received"]) for r in rows] == [
        ("compound", "阳光小区", 6),
        ("compound", "和平小区", 2),
        ("grid", "社区直管网格", 3),
        ("", "未落到小区或网格的诉求", 1),
    ]
    assert [r["key"] for r in rows[:3]] == [
        f"n{cast.compound.pk}",
        f"n{place['second'].pk}",
        f"g{place['loose'].pk}",
    ]
    whole = _figures(c, f"n{cast.community.pk}")
    assert whole["received"] == 12
    for name in COUNTS:
        assert sum(r[name] for r in rows) == whole[name], name
    # Each row is the figures of the unit it opens.
    for row in rows[:3]:
        assert _figures(c, row["key"])["received"] == row["received"]


def test_the_compound_row_opens_the_compound_whose_rows_are_its_grids(
    client_for: Any, cast: Cast, place: dict[str, Any]
) -> None:
    c = client_for("community_worker")
    page = c.get(f"/dashboard/?unit=n{cast.community.pk}&{SEPT}").content.decode()
    table = page[page.index('id="ranking-table"') :]
    table = table[: table.index("</table>")]
    assert f'href="?unit=n{place["second"].pk}&amp;' in table and "和平小区" in table
    assert f"unit=g{place['inner'].pk}" not in table  # the compound's grid is one level further down
    assert ">小区</span>" in table and ">网格</span>" in table  # mixed rows say which each is
    assert '<span class="drill-none">未落到小区或网格的诉求</span>' in table  # it opens nothing
    rows = _rows(c, f"n{place['second'].pk}")
    assert [(r["key"], r["level"], r["received"]) for r in rows] == [(f"g{place['inner'].pk}", "grid", 2)]
    inner = c.get(f"/dashboard/?unit=n{place['second'].pk}&{SEPT}").content.decode()
    assert f'href="?unit=g{place["inner"].pk}&amp;' in inner
    assert f"n{cast.community.pk}" in inner  # the way back up: the community in the crumbs


def test_a_community_worker_drills_only_into_their_own_community(
    client_for: Any, cast: Cast, place: dict[str, Any]
) -> None:
    theirs = territory.org_node_create(
        actor=None, kind="compound", name="光明小区", code="110199001002001", parent=cast.other_community
    )
    territory.grid_create(
        actor=None, code="G012", name="光明二网格", org_node=theirs, boundary=square(116.44, 39.90)
    )
    mine = client_for("community_worker")
    assert mine.get(f"/api/dashboard/ranking?unit=n{theirs.pk}&{SEPT}").status_code == 404
    assert mine.get(f"/dashboard/?unit=n{theirs.pk}&{SEPT}").status_code == 404
    assert {r["name"] for r in _rows(mine, "")} == {
        "阳光小区",
        "和平小区",
        "社区直管网格",
        "未落到小区或网格的诉求",
    }
    other = signed_in(make_user("other_worker", "community_worker", node=cast.other_community))
    assert other.get(f"/api/dashboard/ranking?unit=n{cast.compound.pk}&{SEPT}").status_code == 404
    rows = _rows(other, "")
    assert [(r["level"], r["name"], r["received"]) for r in rows] == [
        ("compound", "光明小区", 0),
        ("grid", "光明一网格", 2),
    ]


def test_a_community_of_one_compound_ranks_that_compound_and_opens_it_with_its_name_in_the_crumbs(
    client_for: Any, cast: Cast
) -> None:
    """The cast's community holds one compound (阳光小区) and no grid outside it. Its ranking is that compound, a row
    that opens it, and not the compound's grids with the compound passed through: the leader went from the
    community straight to its grids, the compound's name in a note alone, and the community's appeals in no
    compound were in no row, so the rows did not add up to the community's figures."""
    fixed_set.build(cast)
    cast.community.refresh_from_db()
    day = dt.datetime(2026, 9, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    env = Category.objects.get(code="environment.noise")
    make_appeal(grid=None, org_path=cast.community.path, created=day, category=env)
    services.rollups_refresh_all()
    c = client_for("community_worker")
    unit = f"n{cast.community.pk}"
    rows = _rows(c, unit)
    assert [(r["key"], r["level"], r["name"], r["received"]) for r in rows] == [
        (f"n{cast.compound.pk}", "compound", "阳光小区", 6),
        ("", "", "未落到小区或网格的诉求", 1),
    ]
    whole = _figures(c, unit)
    for name in COUNTS:
        assert sum(r[name] for r in rows) == whole[name], name
    assert c.get(f"/api/dashboard/overview?unit={unit}&{SEPT}").json()["ranking_via"] == []
    page = c.get(f"/dashboard/?unit={unit}&{SEPT}").content.decode()
    assert 'id="ranking-via"' not in page  # nothing passed through, nothing to explain
    table = page[page.index('id="ranking-table"') :]
    table = table[: table.index("</table>")]
    assert f'href="?unit=n{cast.compound.pk}&amp;' in table and "阳光小区" in table
    assert f"unit=g{cast.grid.pk}" not in table  # the compound's grid is one level further down
    # The compound opened: its name in the crumbs after the community's, its grid its row.
    inner = c.get(f"/dashboard/?unit=n{cast.compound.pk}&{SEPT}").content.decode()
    crumbs = inner[inner.index('class="crumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert crumbs.index(f'data-crumb="{unit}"') < crumbs.index(f'data-crumb="n{cast.compound.pk}">阳光小区<')
    assert [(r["key"], r["received"]) for r in _rows(c, f"n{cast.compound.pk}")] == [(f"g{cast.grid.pk}", 6)]


def test_a_street_of_one_community_of_one_compound_passes_through_the_community_only(
    client_for: Any, cast: Cast
) -> None:
    """The one-unit pass-through (a district of one street shows the street's units) stops at a compound: a
    street whose only community has one compound ranks that compound, under a note naming the community."""
    street = territory.org_node_create(
        actor=None, kind="street", name="安宁街道", code="110199002", parent=cast.district
    )
    community = territory.org_node_create(
        actor=None, kind="community", name="安宁社区", code="110199002001", parent=street
    )
    compound = territory.org_node_create(
        actor=None, kind="compound", name="安宁小区", code="110199002001001", parent=community
    )
    territory.grid_create(
        actor=None, code="G020", name="安宁一网格", org_node=compound, boundary=square(116.45, 39.90)
    )
    leader = client_for("district_leader")
    body = leader.get(f"/api/dashboard/overview?unit=n{street.pk}&{SEPT}").json()
    assert [(r["key"], r["level"]) for r in body["ranking"]] == [(f"n{compound.pk}", "compound")]
    assert body["ranking_via"] == [{"unit": f"n{community.pk}", "name": "安宁社区"}]
