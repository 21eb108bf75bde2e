"""Where a drawn grid may lie: the overlap check compares it with every grid around, so the drawing map shows the
neighbouring communities' grids (outline and name only) to snap to, and the refusal names the grid's community; a
community's first grid, which has no grid of its own to be near, must lie near its street's (else district's) grids
and not in another city."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client
from shapely.geometry import shape as shapely_shape

from linli.core.errors import ValidationFailed
from linli.core.roles import Role
from linli.territory import selectors, services
from linli.territory.models import Grid
from linli.territory.services import grids as grids_service
from linli.testing import Cast, make_user, square

pytestmark = pytest.mark.django_db

# Next to the cast's G001 (116.400–116.404) and reaching 0.001° into the other community's G002 (116.410–116.414).
INTO_G002 = square(116.405, 39.90, 0.006)
# Hefei, 900 km from the cast's street in Beijing.
HEFEI = square(117.25, 31.85)


def _first_community(cast: Cast, code: str = "110199001003") -> Any:
    return services.org_node_create(
        actor=None, kind="community", name="新建社区", code=code, parent=cast.street
    )


# ---------------------------------------------------------------------------------------------- neighbours


def test_an_overlap_with_another_community_s_grid_names_that_community(cast: Cast, client_for: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.grid_add(
            actor=cast.community_worker, org_node=cast.community, name="新网格", boundary=INTO_G002
        )
    message = str(refused.value.message)
    assert message.startswith("边界与光明社区的网格 光明一网格（G002）重叠")
    assert "地图上灰色虚线" in message and "请联系光明社区的社区工作人员" in message
    body = {"org_node_id": cast.community.pk, "name": "新网格", "boundary": INTO_G002}
    api = client_for("community_worker").post("/api/grids", json.dumps(body), content_type="application/json")
    assert api.status_code == 422 and api.json()["message"] == message


def test_the_drawing_map_shows_the_neighbouring_communities_grids_by_name_only(
    cast: Cast, client_for: Any
) -> None:
    far_street = services.org_node_create(
        actor=None, kind="street", name="远方街道", code="110199002", parent=cast.district
    )
    far = services.org_node_create(
        actor=None, kind="community", name="远方社区", code="110199002001", parent=far_street
    )
    services.grid_create(
        actor=None, code="G009", name="远方一网格", org_node=far, boundary=square(116.60, 39.90)
    )
    client = client_for("community_worker")
    page = client.get("/territory/grids/new/").content.decode()
    assert f'data-neighbours-url="/territory/grids/neighbours.json?org_node_id={cast.community.pk}"' in page
    assert "灰色虚线" in page  # the map says what the grey grids are
    edit = client.get(f"/territory/grids/{cast.grid.pk}/boundary/").content.decode()
    assert f'data-neighbours-url="/territory/grids/neighbours.json?grid_id={cast.grid.pk}"' in edit
    data = client.get("/territory/grids/neighbours.json").json()
    assert [f["properties"] for f in data["features"]] == [
        {"code": "G002", "name": "光明一网格", "community_name": "光明社区"}
    ]
    assert data["features"][0]["geometry"] == cast.other_grid.boundary
    # Nothing else of the neighbour's grid opens to the community worker.
    assert client.get(f"/territory/grids/{cast.other_grid.pk}/").status_code == 404
    # The other community's worker sees this community's grids as neighbours; an administrator sees all anyway.
    theirs = client_for("outsider").get("/territory/grids/neighbours.json").json()
    assert sorted(f["properties"]["code"] for f in theirs["features"]) == ["G001"]
    assert client_for("admin").get("/territory/grids/neighbours.json").json()["features"] == []
    assert client_for("grid_worker").get("/territory/grids/neighbours.json").status_code == 403


def test_a_community_without_grids_opens_the_drawing_map_on_its_street(cast: Cast, client_for: Any) -> None:
    new = _first_community(cast)
    user = make_user("newcw", Role.COMMUNITY_WORKER, node=new, name="新社工")
    client = Client()
    client.force_login(user)
    page = client.get("/territory/grids/new/").content.decode()
    bounds = json.loads(html.unescape(page.split('data-focus-bounds="', 1)[1].split('"', 1)[0]))
    assert bounds[str(new.pk)] == [[39.90, 116.40], [pytest.approx(39.904), 116.414]]


def test_the_drawing_pages_take_a_fixed_number_of_queries_however_many_communities_lack_grids(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    # Each community and compound without grids opens the map on its street's grids: those boxes are worked out
    # from one read of the grids, not one read per community (an administrator with many new communities).
    admin, worker = client_for("admin"), client_for("community_worker")

    def communities(first: int, last: int) -> Any:
        for n in range(first, last):
            new = _first_community(cast, code=f"1101990019{n:02d}")
            for c in range(3):
                services.org_node_create(
                    actor=None,
                    kind="compound",
                    name=f"新小区{c}",
                    code=f"1101990019{n:02d}{c:03d}",
                    parent=new,
                )
        return new

    communities(0, 1)
    with django_assert_max_num_queries(11) as few:
        assert admin.get("/territory/grids/new/").status_code == 200
    with django_assert_max_num_queries(6) as neighbours:
        assert worker.get("/territory/grids/neighbours.json").status_code == 200
    new = communities(1, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin.get("/territory/grids/new/").content.decode()
    bounds = json.loads(html.unescape(page.split('data-focus-bounds="', 1)[1].split('"', 1)[0]))
    assert bounds[str(new.pk)] == [[39.90, 116.40], [pytest.approx(39.904), 116.414]]
    with django_assert_max_num_queries(len(neighbours.captured_queries)):
        assert worker.get("/territory/grids/neighbours.json").status_code == 200


def test_neighbours_are_capped_nearest_first(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    # A street without grids shows its district's: however many, only the nearest NEIGHBOURS_MOST are sent.
    street = services.org_node_create(
        actor=None, kind="street", name="新街道", code="110199003", parent=cast.district
    )
    new = services.org_node_create(
        actor=None, kind="community", name="新街社区", code="110199003001", parent=street
    )
    services.grid_create(
        actor=None, code="G009", name="东边网格", org_node=cast.community, boundary=square(116.60, 39.90)
    )
    services.grid_create(
        actor=None, code="G010", name="中间网格", org_node=cast.community, boundary=square(116.50, 39.90)
    )
    client = Client()
    client.force_login(make_user("newcw", Role.COMMUNITY_WORKER, node=new, name="新社工"))
    everything = client.get("/territory/grids/neighbours.json").json()["features"]
    assert sorted(f["properties"]["code"] for f in everything) == ["G001", "G002", "G009", "G010"]
    monkeypatch.setattr(selectors, "NEIGHBOURS_MOST", 2)
    nearest = client.get("/territory/grids/neighbours.json").json()["features"]
    # The district's grids span 116.400–116.604: the two nearest its middle (116.502) are G010, then G002.
    assert [f["properties"]["code"] for f in nearest] == ["G010", "G002"]


def test_a_first_grid_reads_only_the_boundaries_of_the_grids_nearest_it(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    street = services.org_node_create(
        actor=None, kind="street", name="远方街道", code="110199002", parent=cast.district
    )
    far = services.org_node_create(
        actor=None, kind="community", name="远方社区", code="110199002001", parent=street
    )
    for n in range(30):
        services.grid_create(
            actor=None,
            code=f"G2{n:02d}",
            name=f"远方{n}",
            org_node=far,
            boundary=square(116.60 + n * 0.005, 39.90),
        )
    read: list[Any] = []

    def counted(geometry: Any) -> Any:
        read.append(geometry)
        return shapely_shape(geometry)

    monkeypatch.setattr(grids_service, "shape", counted)
    new = services.org_node_create(
        actor=None, kind="community", name="远方新社区", code="110199002002", parent=street
    )
    assert services.grid_add(actor=None, org_node=new, name="远方新一网格", boundary=square(116.59, 39.90)).pk
    assert len(read) <= 3  # the nearest grid or two, not the street's 30
    with pytest.raises(ValidationFailed):
        services.grid_add(actor=None, org_node=new, name="远方新二网格", boundary=HEFEI)


# ---------------------------------------------------------------------------------------------- the first grid


def test_a_community_s_first_grid_drawn_in_another_city_is_refused(cast: Cast) -> None:
    new = _first_community(cast)
    with pytest.raises(ValidationFailed) as refused:
        services.grid_add(actor=None, org_node=new, name="新建一网格", boundary=HEFEI)
    assert refused.value.extra["field"] == "boundary"
    assert re.fullmatch(
        r"社区的第一个网格应在和平街道已有网格 3 公里以内（现在相距 \d{3} 公里）。"
        r"请把地图移到新建社区所在位置再画；如确实在此处，请联系区管理员。",
        str(refused.value.message),
    )
    near = services.grid_add(actor=None, org_node=new, name="新建一网格", boundary=square(116.42, 39.90))
    assert near.org_node_id == new.pk


def test_a_first_grid_of_a_street_without_grids_is_held_to_its_district(cast: Cast) -> None:
    street = services.org_node_create(
        actor=None, kind="street", name="新街道", code="110199003", parent=cast.district
    )
    new = services.org_node_create(
        actor=None, kind="community", name="新街社区", code="110199003001", parent=street
    )
    with pytest.raises(ValidationFailed) as refused:
        services.grid_add(actor=None, org_node=new, name="新街一网格", boundary=HEFEI)
    assert str(refused.value.message).startswith("社区的第一个网格应在示范区已有网格 15 公里以内")
    assert services.grid_add(actor=None, org_node=new, name="新街一网格", boundary=square(116.45, 39.92)).pk


def test_the_only_grid_redrawn_is_held_to_its_street(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.grid_change(actor=cast.outsider, grid=cast.other_grid, boundary=HEFEI)
    assert str(refused.value.message).startswith("社区的第一个网格应在和平街道已有网格 3 公里以内")


def test_an_only_grid_already_placed_far_off_may_still_be_redrawn_in_place(cast: Cast) -> None:
    # Imported (or placed by an administrator) 7.3 km east of the street's other grids: redrawn a little larger
    # where it lies, it is no farther from them than it was, so it is accepted; moved farther off, it is not.
    new = _first_community(cast)
    far = services.grid_create(
        actor=None, code="G008", name="远处网格", org_node=new, boundary=square(116.50, 39.90)
    )
    bigger = square(116.4995, 39.8995, 0.005)
    assert services.grid_change(actor=None, grid=far, boundary=bigger).boundary == bigger
    with pytest.raises(ValidationFailed) as refused:
        services.grid_change(actor=None, grid=far, boundary=square(116.55, 39.90))
    assert "（现在相距 12 公里）" in str(refused.value.message)
    # Another community's first grid drawn new as far off is still refused.
    other = _first_community(cast, code="110199001004")
    with pytest.raises(ValidationFailed):
        services.grid_add(actor=None, org_node=other, name="远处二网格", boundary=square(116.56, 39.90))


def test_the_very_first_grid_may_lie_anywhere() -> None:
    district = services.org_node_create(actor=None, kind="district", name="首区", code="340104", parent=None)
    street = services.org_node_create(
        actor=None, kind="street", name="首街道", code="340104001", parent=district
    )
    new = services.org_node_create(
        actor=None, kind="community", name="首社区", code="340104001001", parent=street
    )
    assert services.grid_add(actor=None, org_node=new, name="首网格", boundary=HEFEI).pk


def test_a_first_grid_in_another_city_is_refused_on_the_page_and_through_the_api(
    cast: Cast, client_for: Any
) -> None:
    new = _first_community(cast)
    user = make_user("newcw", Role.COMMUNITY_WORKER, node=new, name="新社工")
    client = Client()
    client.force_login(user)
    drawn = json.dumps(HEFEI)
    refused = client.post(
        "/territory/grids/new/", {"org_node": new.pk, "name": "新建一网格", "boundary": drawn}
    )
    page = refused.content.decode()
    assert refused.status_code == 422 and "社区的第一个网格应在和平街道已有网格 3 公里以内" in page
    assert html.escape(drawn) in page and 'value="新建一网格"' in page
    api = client.post(
        "/api/grids",
        json.dumps({"org_node_id": new.pk, "name": "新建一网格", "boundary": HEFEI}),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["extra"]["field"] == "boundary"
    assert api.json()["message"].startswith("社区的第一个网格应在和平街道已有网格 3 公里以内")
    assert not Grid.objects.filter(name="新建一网格").exists()


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [f["properties"]["code"] for f in response.json()["features"]]


def test_neighbours_are_capped_nearest_the_grid_or_compound_being_drawn(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The community's compound lies 9 km east, beside the other community's G012: drawing there, the neighbours
    # kept under the cap are those nearest it, not those nearest the middle of the street's grids (G002).
    compound = services.org_node_create(
        actor=None, kind="compound", name="东苑", code="110199001001009", parent=cast.community
    )
    east = services.grid_create(
        actor=None, code="G011", name="东苑网格", org_node=compound, boundary=square(116.49, 39.90)
    )
    services.grid_create(
        actor=None,
        code="G012",
        name="光明东网格",
        org_node=cast.other_community,
        boundary=square(116.50, 39.90),
    )
    client = client_for("community_worker")
    assert sorted(_codes(client.get("/territory/grids/neighbours.json"))) == ["G002", "G012"]
    monkeypatch.setattr(selectors, "NEIGHBOURS_MOST", 1)
    for url in ("/territory/grids/neighbours.json", "/api/grids/neighbours"):
        assert _codes(client.get(url)) == ["G002"]  # the street's grids span 116.400–116.494: G002 is nearer
        assert _codes(client.get(url, {"grid_id": east.pk})) == ["G012"]
        assert _codes(client.get(url, {"org_node_id": compound.pk})) == ["G012"]
        assert _codes(client.get(url, {"grid_id": cast.grid.pk})) == ["G002"]
        assert _codes(client.get(url, {"org_node_id": cast.community.pk})) == ["G002"]
    # The drawing map asks for the neighbours of what it draws.
    edit = client.get(f"/territory/grids/{east.pk}/boundary/").content.decode()
    assert f'data-neighbours-url="/territory/grids/neighbours.json?grid_id={east.pk}"' in edit
    new = client.get(f"/territory/grids/new/?node={compound.pk}").content.decode()
    assert f'data-neighbours-url="/territory/grids/neighbours.json?org_node_id={compound.pk}"' in new


def test_the_api_gives_the_drawing_map_s_neighbours_to_those_who_draw(cast: Cast, client_for: Any) -> None:
    worker = client_for("community_worker")
    api = worker.get("/api/grids/neighbours")
    assert api.json() == worker.get("/territory/grids/neighbours.json").json()
    assert [f["properties"] for f in api.json()["features"]] == [
        {"code": "G002", "name": "光明一网格", "community_name": "光明社区"}
    ]
    assert api.json()["features"][0]["geometry"] == cast.other_grid.boundary
    assert _codes(client_for("outsider").get("/api/grids/neighbours")) == ["G001"]
    assert _codes(client_for("admin").get("/api/grids/neighbours")) == []
    refused = client_for("grid_worker").get("/api/grids/neighbours")
    assert (
        refused.status_code == 403 and refused.json()["message"] == "只有社区工作者可以新增网格或画网格边界。"
    )
    # What is drawn is looked up in the caller's scope; a number that is not one, or both, are refused in words.
    hidden = worker.get("/api/grids/neighbours", {"grid_id": cast.other_grid.pk})
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert worker.get("/api/grids/neighbours", {"org_node_id": cast.other_community.pk}).status_code == 404
    assert worker.get("/api/grids/neighbours", {"org_node_id": cast.street.pk}).status_code == 404
    bad = worker.get("/api/grids/neighbours", {"grid_id": "东苑"})
    assert bad.status_code == 422 and "grid_id" in bad.json()["extra"]["fields"]
    both = worker.get("/api/grids/neighbours", {"grid_id": cast.grid.pk, "org_node_id": cast.community.pk})
    assert (
        both.status_code == 422
        and both.json()["message"] == "请只指明一个网格或一个社区（小区），不要同时指明。"
    )
    assert worker.get("/territory/grids/neighbours.json", {"grid_id": cast.other_grid.pk}).status_code == 404
    operation = worker.get("/api/openapi.json").json()["paths"]["/api/grids/neighbours"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"grid_id", "org_node_id"}
    assert {"200", "403", "404", "422"} <= set(operation["responses"])
    assert "300" in operation["description"]
