"""The dashboard's panel of the 15-minute life circle: its figures are the coverage page's for the same unit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from linli.places import coverage, selectors, services
from linli.territory.models import Road
from linli.testing import Cast

from .test_services import station


def _book(cast: Cast, place: object, title: str, start: dt.datetime) -> None:
    services.activity_create(
        actor=cast.community_worker,
        place=place,  # type: ignore[arg-type]
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )


def _row(figures: dict, kind: str) -> dict:  # type: ignore[type-arg]
    return next(k for k in figures["kinds"] if k["kind"] == kind)


def test_panel_figures_are_the_coverage_pages(cast: Cast, roads: list[Road]) -> None:
    place = station(cast)
    now = timezone.now()
    _book(cast, place, "书法课", now + dt.timedelta(days=2))
    _book(cast, place, "合唱", now + dt.timedelta(days=9))  # next week: not this week's
    today = timezone.localdate()

    street = selectors.overview(cast.street.path, today, today)
    page = coverage.coverage_for(cast.street_officer).total  # the street officer's coverage page
    assert street["households"] == page.households == 2
    assert street["places"] == 1 and street["activities_week"] == 1
    station_row = _row(street, "station")
    assert station_row["places"] == 1
    assert station_row["groups"] == [(1, 2, 50), (1, 1, 100), (0, 0, None)]
    assert [g[0] for g in station_row["groups"]] == page.covered["station"]
    assert _row(street, "canteen")["groups"][0] == (0, 2, 0)

    # A community's panel is the coverage page's row of that community (and its worker's whole page).
    community = selectors.overview(cast.community.path, today, today)
    row = dict(coverage.coverage_for(cast.street_officer).by_community)[cast.community.name]
    assert (community["households"], _row(community, "station")["groups"][0][0]) == (
        row.households,
        row.covered["station"][0],
    )
    assert coverage.coverage_for(cast.community_worker).total.covered == {
        k["kind"]: [g[0] for g in k["groups"]] for k in community["kinds"]
    }
    other = selectors.overview(cast.other_community.path, today, today)
    assert (other["places"], other["activities_week"], _row(other, "station")["groups"][0]) == (
        0,
        0,
        (0, 1, 0),
    )

    # One grid: the buildings of that grid only.
    grid = selectors.overview(cast.street.path, today, today, cast.other_grid.pk)
    assert grid["households"] == 1 and _row(grid, "station")["groups"][0] == (0, 1, 0)


def test_the_dashboard_shows_the_places_panel_for_its_unit(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    station(cast)
    client = client_for("street_officer")
    page = client.get("/dashboard/").content.decode()
    panel = page[page.index('id="places-panel"') :]
    station_row = re.search(r'<tr data-kind="station">(.*?)</tr>', panel, re.S)
    assert station_row is not None
    assert "50%" in station_row.group(1) and "1/2" in station_row.group(1)
    unit = client.get(f"/dashboard/?unit=n{cast.other_community.pk}").content.decode()
    panel = unit[unit.index('id="places-panel"') :]
    row = re.search(r'<tr data-kind="station">(.*?)</tr>', panel, re.S)
    assert row is not None and "0%" in row.group(1) and "0/1" in row.group(1)


def test_the_panels_link_opens_the_coverage_page_of_the_same_unit(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    station(cast)
    client = client_for("street_officer")
    dashboard = client.get(f"/dashboard/?unit=n{cast.other_community.pk}").content.decode()
    link = f"/places/coverage/?kind=station&amp;unit=n{cast.other_community.pk}"
    assert link in dashboard
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert cast.other_community.name in page and "0 / 1" in page  # the panel's 0/1, not the street's 1 / 2
    grid = client.get(f"/places/coverage/?kind=station&unit=g{cast.grid.pk}").content.decode()
    assert "1 / 1" in grid
    assert client.get("/places/coverage/?kind=station").content.decode().count("1 / 2") >= 1
    outsider = client_for("outsider").get(f"/places/coverage/?unit=n{cast.community.pk}")
    assert outsider.status_code == 404


def test_a_compounds_and_a_grids_places_are_those_standing_in_them(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    """A place belongs to its community and stands in a grid: at a compound or a grid the panel said 0 在用阵地
    (it looked for places belonging to the compound, and there are none) though one stood in the grid."""
    place = station(cast, lng=cast.grid.centroid_lng, lat=cast.grid.centroid_lat)
    assert place.grid == cast.grid and place.org_node == cast.community
    _book(cast, place, "书法课", timezone.now() + dt.timedelta(hours=1))
    today = timezone.localdate()
    compound = selectors.overview(cast.compound.path, today, today)
    grid = selectors.overview(cast.compound.path, today, today, cast.grid.pk)
    neighbour = selectors.overview(cast.other_community.path, today, today, cast.other_grid.pk)
    assert (compound["places"], compound["activities_week"], _row(compound, "station")["places"]) == (1, 1, 1)
    assert (grid["places"], grid["activities_week"]) == (1, 1)
    assert (neighbour["places"], neighbour["activities_week"]) == (0, 0)
    client = client_for("street_officer")
    for unit in (f"n{cast.compound.pk}", f"g{cast.grid.pk}"):
        page = client.get(f"/dashboard/?unit={unit}").content.decode()
        panel = page[page.index('id="places-panel"') :]
        assert '<div class="stat-value">1</div><div class="stat-label">在用阵地</div>' in panel
