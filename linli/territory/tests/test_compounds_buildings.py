"""Compounds (小区) and buildings (楼栋) added and changed on the territory's pages and through the API, as a
community worker (and, for buildings, a grid worker) would: within their own area, audited, bad input refused with
what was typed kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linli.core.errors import NotFound, PermissionDenied
from linli.core.models import AuditEntry
from linli.territory import services
from linli.territory.models import Building, OrgNode
from linli.testing import Cast, Neighbour

pytestmark = pytest.mark.django_db

BUILDING = {
    "name": "5号楼",
    "address": "和平路1号院5号楼",
    "floors": "11",
    "entrances": "2",
    "households_per_floor": "2",
    "lng": "116.4021",
    "lat": "39.9023",
}


# ---------------------------------------------------------------------------------------------- compounds


def test_a_community_worker_adds_a_compound_to_their_community_from_the_tree(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    tree = client.get("/territory/tree/").content.decode()
    assert "添加小区" in tree and f'value="{cast.community.pk}"' in tree
    assert f'value="{cast.other_community.pk}"' not in tree  # another community is not offered
    response = client.post("/territory/tree/compounds/", {"community": cast.community.pk, "name": "新华小区"})
    compound = OrgNode.objects.get(name="新华小区")
    assert response.status_code == 302 and response["Location"] == f"/territory/compounds/{compound.pk}/"
    assert (compound.kind, compound.parent_id, compound.code) == (
        "compound",
        cast.community.pk,
        "110199001001002",
    )
    assert compound.path == f"{cast.community.path}{compound.pk}/"
    entry = AuditEntry.objects.get(action="org_node_create", object_id=str(compound.pk))
    assert entry.actor_id == cast.community_worker.pk
    page = client.get(f"/territory/compounds/{compound.pk}/").content.decode()
    assert "新华小区" in page and "幸福社区" in page


def test_a_compound_with_no_name_or_a_name_taken_is_refused_with_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    empty = client.post(
        "/territory/tree/compounds/", {"community": cast.community.pk, "name": " ", "code": "X1"}
    )
    assert empty.status_code == 422
    assert 'value="X1"' in empty.content.decode() and "请填写名称" in empty.content.decode()
    taken = client.post("/territory/tree/compounds/", {"community": cast.community.pk, "name": "阳光小区"})
    assert taken.status_code == 422 and "本社区已有名为阳光小区的小区" in taken.content.decode()
    code = client.post(
        "/territory/tree/compounds/",
        {"community": cast.community.pk, "name": "新华小区", "code": "110199001"},
    )
    assert code.status_code == 422 and "区划代码 110199001 已被使用" in code.content.decode()
    assert 'value="新华小区"' in code.content.decode()
    assert not OrgNode.objects.filter(name="新华小区").exists()


def test_compounds_are_added_only_within_ones_own_community_and_by_community_workers(
    cast: Cast, client_for: Any
) -> None:
    with pytest.raises(NotFound):
        services.compound_add(actor=cast.community_worker, community=cast.other_community, name="外小区")
    with pytest.raises(PermissionDenied):
        services.compound_add(actor=cast.grid_worker, community=cast.community, name="网格员的小区")
    with pytest.raises(PermissionDenied):
        services.compound_add(actor=cast.street_officer, community=cast.community, name="街道的小区")
    outsider = client_for("community_worker").post(
        "/territory/tree/compounds/", {"community": cast.other_community.pk, "name": "外小区"}
    )
    assert outsider.status_code == 422  # not among the choices offered
    assert "添加小区" not in client_for("street_officer").get("/territory/tree/").content.decode()
    assert client_for("grid_worker").post(
        "/territory/tree/compounds/", {"community": cast.community.pk, "name": "网格员的小区"}
    ).status_code in (403, 422)
    assert not OrgNode.objects.filter(name__in=["外小区", "网格员的小区", "街道的小区"]).exists()


def test_a_community_worker_renames_a_compound_on_its_page(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    url = f"/territory/compounds/{cast.compound.pk}/"
    page = client.get(url).content.decode()
    assert "阳光小区" in page and "阳光一网格" in page and "1号楼" in page and "修改小区" in page
    bad = client.post(f"{url}edit/", {"name": "", "code": "110199001001001"})
    assert bad.status_code == 422 and "请填写名称" in bad.content.decode()
    response = client.post(f"{url}edit/", {"name": "阳光花园", "code": "110199001001001"})
    assert response.status_code == 302 and response["Location"] == url
    cast.compound.refresh_from_db()
    assert cast.compound.name == "阳光花园"
    assert AuditEntry.objects.get(action="org_node_update", object_id=str(cast.compound.pk)).detail == {
        "fields": ["name"]
    }
    assert client_for("outsider").get(url).status_code == 404
    assert "修改小区" not in client_for("grid_worker").get(url).content.decode()


# ---------------------------------------------------------------------------------------------- buildings


def test_a_community_worker_adds_a_building_on_the_grid_page_with_its_position_picked_on_the_map(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    grid_page = client.get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    assert "添加楼栋" in grid_page and 'data-mode="pick"' in grid_page
    assert f'data-grid-code="{cast.grid.code}"' in grid_page
    response = client.post(f"/territory/grids/{cast.grid.pk}/buildings/", BUILDING)
    b = Building.objects.get(name="5号楼")
    assert response.status_code == 302 and response["Location"] == f"/territory/buildings/{b.pk}/"
    assert (b.grid_id, b.compound_id, b.code) == (cast.grid.pk, cast.compound.pk, "110199001001001-01")
    assert (b.floors, b.entrances.count(), b.households_per_floor, b.lng, b.lat) == (
        11,
        2,
        2,
        116.4021,
        39.9023,
    )
    assert AuditEntry.objects.filter(action="building_create", object_id=str(b.pk)).exists()


def test_a_building_outside_its_grid_or_without_a_position_is_refused_with_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    url = f"/territory/grids/{cast.grid.pk}/buildings/"
    outside = client.post(url, BUILDING | {"lng": "116.5"})
    assert outside.status_code == 422
    html = outside.content.decode()
    assert (
        "该位置不在网格 G001 范围内" in html and 'value="和平路1号院5号楼"' in html and 'value="11"' in html
    )
    unplaced = client.post(url, {k: v for k, v in BUILDING.items() if k not in ("lng", "lat")})
    assert unplaced.status_code == 422
    assert "请在地图上点选它的位置，或输入经度和纬度。" in unplaced.content.decode()
    floors = client.post(url, BUILDING | {"floors": "0"})
    assert floors.status_code == 422 and 'value="5号楼"' in floors.content.decode()
    taken = client.post(url, BUILDING | {"code": "B001"})
    assert taken.status_code == 422 and "楼栋编码 B001 已被使用" in taken.content.decode()
    assert not Building.objects.filter(name="5号楼").exists()


def test_a_grid_worker_adds_buildings_in_their_own_grid_only(
    cast: Cast, client_for: Any, neighbour: Neighbour
) -> None:
    client = client_for("grid_worker")
    assert client.post(f"/territory/grids/{cast.grid.pk}/buildings/", BUILDING).status_code == 302
    other = client.post(f"/territory/grids/{neighbour.grid.pk}/buildings/", BUILDING | {"name": "6号楼"})
    assert other.status_code == 404
    with pytest.raises(NotFound):
        services.building_add(
            actor=cast.grid_worker, grid=neighbour.grid, name="6号楼", address="x", lng=1, lat=1
        )
    assert (
        "添加楼栋"
        not in client_for("street_officer").get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.building_add(
            actor=cast.street_officer, grid=cast.grid, name="7号楼", address="和平路", lng=116.401, lat=39.901
        )


def test_a_building_in_another_communitys_compound_is_refused(cast: Cast) -> None:
    other = services.org_node_create(
        actor=None, kind="compound", name="光明小区", code="110199001002001", parent=cast.other_community
    )
    with pytest.raises(Exception) as refused:
        services.building_add(
            actor=None,
            grid=cast.grid,
            compound=other,
            name="8号楼",
            address="和平路",
            lng=116.401,
            lat=39.901,
        )
    assert getattr(refused.value, "extra", {}).get("field") == "compound"


def test_a_buildings_name_address_and_position_change_on_its_page(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    url = f"/territory/buildings/{cast.building.pk}/"
    page = client.get(url).content.decode()
    assert 'data-mode="pick"' in page and 'value="116.402"' in page and 'value="1号楼"' in page
    data = {"name": "一号楼", "address": "和平路1号院一号楼", "floors": "6", "entrances": "2"}
    data |= {"households_per_floor": "0", "captain": "", "lng": "116.4031", "lat": "39.9031"}
    bad = client.post(f"{url}edit/", data | {"lng": "116.5"})
    assert bad.status_code == 422 and 'value="和平路1号院一号楼"' in bad.content.decode()
    assert client.post(f"{url}edit/", data).status_code == 302
    cast.building.refresh_from_db()
    assert (cast.building.name, cast.building.address, cast.building.lng) == (
        "一号楼",
        "和平路1号院一号楼",
        116.4031,
    )
    fields = AuditEntry.objects.get(action="building_update", object_id=str(cast.building.pk)).detail[
        "fields"
    ]
    assert {"name", "address", "lng", "lat"} <= set(fields)


# ---------------------------------------------------------------------------------------------- the API


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_compounds_and_buildings_are_added_and_changed_through_the_api(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    made = _post(client, "/api/compounds", {"community_id": cast.community.pk, "name": "新华小区"})
    assert made.status_code == 201, made.content
    compound = made.json()
    assert (compound["kind"], compound["name"], compound["code"]) == (
        "compound",
        "新华小区",
        "110199001001002",
    )
    renamed = client.patch(
        f"/api/compounds/{compound['id']}", json.dumps({"name": "新华苑"}), content_type="application/json"
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "新华苑"
    refused = _post(client, "/api/compounds", {"community_id": cast.community.pk, "name": ""})
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "name"
    # Another community named in the body: refused on its field, as one that is not there (it was a 404).
    elsewhere = _post(client, "/api/compounds", {"community_id": cast.other_community.pk, "name": "x"})
    assert elsewhere.status_code == 422 and list(elsewhere.json()["extra"]["fields"]) == ["community_id"]
    body: dict[str, Any] = dict(BUILDING) | {"floors": 11, "entrances": 2, "households_per_floor": 2}
    body |= {"lng": 116.4021, "lat": 39.9023}
    building = _post(client, f"/api/grids/{cast.grid.pk}/buildings", body)
    assert building.status_code == 201, building.content
    assert (building.json()["code"], building.json()["entrances"]) == ("110199001001001-01", 2)
    outside = _post(client, f"/api/grids/{cast.grid.pk}/buildings", body | {"name": "6号楼", "lng": 116.5})
    assert outside.status_code == 422 and outside.json()["extra"]["field"] == "lng"
    moved = client.patch(
        f"/api/buildings/{building.json()['id']}",
        json.dumps({"name": "五号楼", "lng": 116.4025, "lat": 39.9025}),
        content_type="application/json",
    )
    assert moved.status_code == 200 and (moved.json()["name"], moved.json()["lng"]) == ("五号楼", 116.4025)
    half = client.patch(
        f"/api/buildings/{building.json()['id']}",
        json.dumps({"lng": 116.4027}),
        content_type="application/json",
    )
    assert half.status_code == 422 and half.json()["extra"]["field"] == "lat"  # not silently left as it was
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/compounds"] and "patch" in paths["/api/compounds/{compound_id}"]
    assert "post" in paths["/api/grids/{grid_id}/buildings"]
