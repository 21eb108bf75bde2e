from __future__ import annotations

from typing import Any

import pytest
import time_machine
from shapely.geometry import Point, shape

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.pages import apply_domain_error
from linli.places import coverage, jobs, selectors, services
from linli.places.forms import PlaceForm
from linli.places.models import Place
from linli.territory import services as territory
from linli.territory.models import Road
from linli.testing import Cast, at

HOURS = {str(d): [["08:30", "12:00"], ["14:00", "17:30"]] for d in range(5)}


def station(cast: Cast, lng: float = 116.398, lat: float = 39.902, **extra: object) -> Place:
    fields = {
        "kind": "station",
        "name": "幸福社区服务站",
        "address": "和平路1号",
        "lng": lng,
        "lat": lat,
        "opening_hours": HOURS,
    }
    return services.place_create(
        actor=cast.community_worker, org_node_id=cast.community.pk, **{**fields, **extra}
    )  # type: ignore[arg-type]


def test_a_place_gets_its_walking_circles_on_creation(cast: Cast, roads: list[Road]) -> None:
    place = station(cast)
    assert set(place.circles) == {"5", "10", "15"}
    fifteen = shape(place.circles["15"])
    assert fifteen.contains(Point(116.402, 39.902))  # the cast's building, ~350 m along 和平路
    assert not fifteen.contains(Point(116.412, 39.9021))  # 光明路 does not join 和平路
    assert place.grid == cast.grid or place.grid is None


@pytest.mark.parametrize(
    ("who", "node", "refused"),
    [
        ("outsider", "community", ValidationFailed),  # another community is not in their area
        ("grid_worker", "compound", PermissionDenied),
    ],
)
def test_only_staff_of_the_area_add_places(cast: Cast, who: str, node: str, refused: type) -> None:
    with pytest.raises(refused):
        services.place_create(
            actor=getattr(cast, who),
            org_node_id=getattr(cast, node).pk,
            kind="station",
            name="x",
            address="y",
            lng=116.4,
            lat=39.9,
        )


def test_bad_hours_are_refused_with_a_message(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as err:
        station(cast, opening_hours={"0": [["17:30", "08:30"]]})
    assert err.value.extra["field"] == "opening_hours"
    assert not Place.objects.exists()


def test_hours_typed_on_a_form() -> None:
    week = services.hours_parse("08:30-12:00, 14:00-17:30\n" * 5 + "09:00-12:00\n休息")
    assert week["0"] == [["08:30", "12:00"], ["14:00", "17:30"]]
    assert week["5"] == [["09:00", "12:00"]]
    assert week["6"] == []
    assert services.hours_parse("00:00-24:00")["6"] == [["00:00", "24:00"]]
    with pytest.raises(ValidationFailed):
        services.hours_parse("8点到5点")


def test_open_now_follows_the_hours(cast: Cast) -> None:
    place = station(cast)
    assert selectors.is_open(place, at(2026, 12, 7, 9, 0))  # a Monday morning
    assert not selectors.is_open(place, at(2026, 12, 7, 12, 30))  # lunch
    assert not selectors.is_open(place, at(2026, 12, 6, 9, 0))  # Sunday


def test_grids_called_alike_are_counted_apart(cast: Cast, roads: list[Road]) -> None:
    """Grids are told apart by their ids: two of one name (第一网格 in two communities) were one row, their
    households added together and filed under whichever community was read last."""
    from linli.territory.models import Grid

    station(cast)
    Grid.objects.filter(pk=cast.other_grid.pk).update(name=cast.grid.name)
    found = coverage.coverage_for(cast.admin)
    rows = [(name, t.households, t.covered["station"][0]) for name, t in found.by_grid]
    assert rows == [(cast.grid.name, 1, 1), (cast.grid.name, 1, 0)] or rows == [
        (cast.grid.name, 1, 0),
        (cast.grid.name, 1, 1),
    ]
    assert {t.community_id for _n, t in found.by_grid} <= {t.community_id for _n, t in found.by_community}


def test_coverage_counts_households_and_care_groups(cast: Cast, roads: list[Road]) -> None:
    station(cast)
    found = coverage.coverage_for(cast.admin)
    # Two households: the cast's (an elderly resident living alone) near 和平路, the other on 光明路.
    assert found.total.households == 2
    assert found.total.elderly_alone == 1
    assert found.total.covered["station"] == [1, 1, 0]
    assert found.total.covered["canteen"] == [0, 0, 0]
    by_grid = dict(found.by_grid)
    assert by_grid[cast.grid.name].covered["station"][0] == 1
    assert by_grid[cast.other_grid.name].covered["station"][0] == 0
    assert sum(t.households for _n, t in found.by_community) == found.total.households
    uncovered = found.uncovered("station")
    assert [b.building.code for b in uncovered] == ["B002"]
    suggestion = coverage.suggestion_for(found, "station")
    assert suggestion is not None and suggestion.households == 1
    assert 116.409 < suggestion.lng < 116.415


def test_a_community_worker_sees_the_coverage_of_their_area_only(cast: Cast, roads: list[Road]) -> None:
    station(cast)
    found = coverage.coverage_for(cast.community_worker)
    assert found.total.households == 1
    assert found.total.covered["station"][0] == 1


def test_circles_are_redrawn_when_the_roads_change(cast: Cast, roads: list[Road]) -> None:
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        place = station(cast)
    assert not shape(place.circles["15"]).contains(Point(116.3935, 39.902))
    assert jobs.recompute_stale_circles() == 0
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        territory.roads_create(
            actor=None,
            roads=[
                {
                    "code": "R0",
                    "name": "和平路",
                    "kind": "branch",
                    "org_node": cast.street,
                    "geometry": {"type": "LineString", "coordinates": [[116.393, 39.902], [116.398, 39.902]]},
                }
            ],
        )
        assert jobs.recompute_stale_circles() == 1
    place.refresh_from_db()
    assert shape(place.circles["15"]).contains(Point(116.3935, 39.902))


def test_coverage_lists_numbered_grids_in_reading_order() -> None:
    from linli.places.coverage import _in_reading_order

    names = ["金台里社区第10网格", "金台里社区第2网格", "金台里社区第1网格", "光华里社区第3网格"]
    assert sorted(names, key=_in_reading_order) == [
        "光华里社区第3网格",
        "金台里社区第1网格",
        "金台里社区第2网格",
        "金台里社区第10网格",
    ]


def test_a_community_refused_is_said_under_the_api_s_org_node_id_and_the_form_s_community(
    cast: Cast, client_for: Any
) -> None:
    """The service names its argument, `org_node_id`, as the API's body does (it said `org_node`, the form's name,
    to an API client); the page's form puts it under its 社区 field (the form offers only the worker's own
    communities, so the service's refusal reaches it only when one changed meanwhile)."""
    fields = {"kind": "station", "name": "光明服务站", "address": "光明路1号", "lng": 116.4, "lat": 39.9}
    refused = client_for("community_worker").post(
        "/api/places/", {"org_node_id": cast.other_community.pk, **fields}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "org_node_id"
    with pytest.raises(ValidationFailed) as error:
        services.place_create(actor=cast.community_worker, org_node_id=cast.other_community.pk, **fields)  # type: ignore[arg-type]
    form = PlaceForm(
        {"org_node": cast.community.pk, "opening_hours": "08:30-17:30", **fields},
        communities=[(cast.community.pk, cast.community.name)],
    )
    assert form.is_valid(), form.errors
    apply_domain_error(form, error.value)
    assert form.errors["org_node"] == ["请选择您辖区内的社区。"] and not form.non_field_errors()
    assert not Place.objects.exists()
