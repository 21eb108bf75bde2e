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
