"""Grids (网格) added and redrawn on Linli's own pages and through the API by a community worker, their boundary
drawn on the map: checked as an import checks it, placed among the other grids, audited, and seen by the locator
at once."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.territory import services
from linli.territory.locator import locate_point
from linli.territory.models import Grid
from linli.testing import Cast, Neighbour, make_user, square

pytestmark = pytest.mark.django_db

# North of the cast's grid G001 (square(116.40, 39.90), 0.004° a side), sharing its north edge.
NORTH = square(116.40, 39.904)
BOWTIE = {"type": "Polygon", "coordinates": [[[116.40, 39.904], [116.404, 39.908], [116.404, 39.904], [116.40, 39.908], [116.40, 39.904]]]}  # fmt: skip


def _add(cast: Cast, **kwargs: Any) -> Grid:
    values: dict[str, Any] = {"org_node": cast.community, "name": "幸福第二网格", "boundary": NORTH}
    return services.grid_add(actor=cast.community_worker, **(values | kwargs))


def _refusal(cast: Cast, field: str = "boundary", **kwargs: Any) -> str:
    with pytest.raises(ValidationFailed) as refused:
        _add(cast, **kwargs)
    assert refused.value.extra["field"] == field
    return str(refused.value.message)


# ---------------------------------------------------------------------------------------------- the service


def test_a_grid_drawn_next_to_the_community_s_grid_is_added_measured_audited_and_located(cast: Cast) -> None:
    grid = _add(cast, workers=[cast.grid_worker], station_name="二网格服务站")
    assert (grid.code, grid.org_node_id, grid.kind) == ("110199001001G01", cast.community.pk, "grid")
    assert list(grid.workers.all()) == [cast.grid_worker]
    assert (grid.min_lng, grid.min_lat, grid.max_lng, grid.max_lat) == pytest.approx(
        (116.40, 39.904, 116.404, 39.908)
    )
    assert (grid.centroid_lng, grid.centroid_lat) == pytest.approx((116.402, 39.906))
    assert grid.area_m2 == pytest.approx(0.004 * 0.004 * 111_320**2 * 0.7672, rel=0.01)
    entry = AuditEntry.objects.get(action="grid_create", object_id=str(grid.pk))
    assert entry.actor_id == cast.community_worker.pk
    found = locate_point(116.402, 39.906)  # the locator's snapshot was bumped in the same transaction
    assert found is not None and found.grid_code == "110199001001G01"


def test_a_self_intersecting_boundary_is_refused_saying_where(cast: Cast) -> None:
    assert _refusal(cast, boundary=BOWTIE) == "多边形在 (116.402000, 39.906000) 处自相交。"


def test_a_boundary_overlapping_a_grid_is_refused_naming_the_grid(cast: Cast) -> None:
    message = _refusal(cast, boundary=square(116.402, 39.902))
    assert message.startswith("边界与网格 阳光一网格（G001）重叠")
    assert not Grid.objects.filter(name="幸福第二网格").exists()


def test_an_overlap_within_a_square_metre_is_a_shared_edge_not_an_overlap(cast: Cast) -> None:
    # 0.00000001° (about 1 mm) over the shared edge, 340 m long: 0.4 m²; 0.000001° (11 cm) would be 38 m².
    grid = _add(cast, boundary=square(116.40, 39.90399999))
    assert grid.pk


def test_a_boundary_far_from_the_community_s_grids_lies_outside_it(cast: Cast) -> None:
    assert (
        _refusal(cast, boundary=square(116.45, 39.95)) == "边界在幸福社区之外，离本社区其他网格超过 300 米。"
    )


def test_a_boundary_too_small_to_be_a_grid_is_refused(cast: Cast) -> None:
    message = _refusal(cast, boundary=square(116.40, 39.904, 0.00005))
    assert message == "边界只围出 23 平方米，太小了：一个网格至少 100 平方米。"


def test_a_code_already_used_is_refused(cast: Cast) -> None:
    assert _refusal(cast, code="G001", field="code") == "网格编码 G001 已被使用。"


def test_grids_are_drawn_by_community_workers_within_their_community(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.grid_add(actor=cast.grid_worker, org_node=cast.compound, name="x", boundary=NORTH)
    with pytest.raises(PermissionDenied):
        services.grid_add(actor=cast.street_officer, org_node=cast.community, name="x", boundary=NORTH)
    with pytest.raises(NotFound):
        services.grid_add(
            actor=cast.community_worker, org_node=cast.other_community, name="x", boundary=NORTH
        )
    with pytest.raises(ValidationFailed):  # the other community's grid worker
        _add(cast, workers=[cast.outsider])


def test_a_redrawn_boundary_is_measured_again_and_must_keep_the_grid_s_buildings(cast: Cast) -> None:
    grid = services.grid_change(
        actor=cast.community_worker, grid=cast.grid, boundary=square(116.40, 39.90, 0.005)
    )
    assert grid.max_lng == pytest.approx(116.405) and grid.area_m2 > 0.004**2 * 111_320**2 * 0.76
    entry = AuditEntry.objects.filter(action="grid_update", object_id=str(grid.pk)).latest("pk")
    assert entry.detail["fields"] == ["boundary"]
    building = cast.grid.buildings.get()
    with pytest.raises(ValidationFailed) as refused:
        services.grid_change(
            actor=cast.community_worker, grid=cast.grid, boundary=square(building.lng + 0.0005, 39.90, 0.003)
        )
    assert refused.value.message == f"楼栋 {building.name} 会落在新边界之外：请把边界画到它外面。"


# ---------------------------------------------------------------------------------------------- the API


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_grids_are_added_and_redrawn_through_the_api(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    body = {"org_node_id": cast.compound.pk, "name": "阳光二网格", "worker_ids": [cast.grid_worker.pk]}
    made = _post(client, "/api/grids", body | {"boundary": NORTH})
    assert made.status_code == 201, made.content
    grid = made.json()
    assert (grid["code"], grid["org_node"]["id"], grid["workers"][0]["id"]) == (
        "110199001001G01",
        cast.compound.pk,
        cast.grid_worker.pk,
    )
    assert grid["area_m2"] > 100_000 and grid["boundary"] == NORTH
    redrawn = client.patch(
        f"/api/grids/{grid['id']}",
        json.dumps({"boundary": square(116.40, 39.904, 0.003), "name": "阳光北网格"}),
        content_type="application/json",
    )
    assert redrawn.status_code == 200, redrawn.content
    assert redrawn.json()["name"] == "阳光北网格" and redrawn.json()["centroid"]["lng"] == pytest.approx(
        116.4015
    )


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (BOWTIE, "多边形在 (116.402000, 39.906000) 处自相交。"),
        (square(116.402, 39.902), "边界与网格 阳光一网格（G001）重叠"),
        (square(116.45, 39.95), "边界在幸福社区之外"),
        (square(116.40, 39.904, 0.00005), "太小了"),
        ("POLYGON((1 2, 3 4))", "几何图形必须是 GeoJSON 多边形（Polygon）。"),
    ],
)
def test_a_bad_boundary_is_refused_by_the_api_in_chinese(
    cast: Cast, neighbour: Neighbour, client_for: Any, boundary: Any, message: str
) -> None:
    body = {"org_node_id": cast.community.pk, "name": "新网格", "boundary": boundary}
    refused = _post(client_for("community_worker"), "/api/grids", body)
    assert refused.status_code == 422
    assert refused.json()["extra"]["field"] == "boundary" and message in refused.json()["message"]
    patched = client_for("community_worker").patch(
        f"/api/grids/{cast.grid.pk}", json.dumps({"boundary": boundary}), content_type="application/json"
    )
    assert patched.status_code == 422 and patched.json()["extra"]["field"] == "boundary"


def test_only_community_workers_draw_grids_through_the_api(cast: Cast, client_for: Any) -> None:
    body = {"org_node_id": cast.compound.pk, "name": "x", "boundary": NORTH}
    assert _post(client_for("grid_worker"), "/api/grids", body).status_code == 403
    # The outsider may not see the compound the body names: refused on that field, as one that is not there.
    outside = _post(client_for("outsider"), "/api/grids", body)
    assert outside.status_code == 422 and list(outside.json()["extra"]["fields"]) == ["org_node_id"]
    assert (
        client_for("street_officer")
        .patch(f"/api/grids/{cast.grid.pk}", json.dumps({"name": "y"}), content_type="application/json")
        .status_code
        == 403
    )


# ---------------------------------------------------------------------------------------------- the pages


def test_a_community_worker_finds_the_drawing_pages_and_adds_a_grid(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    tree = client.get("/territory/tree/").content.decode()
    assert f'href="/territory/grids/new/?node={cast.community.pk}"' in tree
    assert (
        f'href="/territory/grids/{cast.grid.pk}/boundary/"'
        in client.get(f"/territory/grids/{cast.grid.pk}/").content.decode()
    )
    page = client.get(f"/territory/grids/new/?node={cast.compound.pk}").content.decode()
    assert 'class="map point-map grid-draw-map"' in page and "territory/draw" in page
    assert f'<option value="{cast.compound.pk}" selected>' in page and "王网格" in page
    form = {"org_node": cast.compound.pk, "name": "阳光北网格", "workers": [cast.grid_worker.pk]}
    made = client.post("/territory/grids/new/", form | {"boundary": json.dumps(NORTH)})
    grid = Grid.objects.get(name="阳光北网格")
    assert made.status_code == 302 and made["Location"] == f"/territory/grids/{grid.pk}/"
    assert grid.org_node_id == cast.compound.pk and list(grid.workers.all()) == [cast.grid_worker]


def test_a_refused_drawing_comes_back_with_the_shape_as_drawn(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    overlapping = json.dumps(square(116.402, 39.902))
    form = {"org_node": cast.community.pk, "name": "幸福第二网格", "boundary": overlapping}
    refused = client.post("/territory/grids/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 422 and "边界与网格 阳光一网格（G001）重叠" in page
    assert 'value="幸福第二网格"' in page and html.escape(overlapping) in page
    undrawn = client.post("/territory/grids/new/", form | {"boundary": ""})
    assert undrawn.status_code == 422 and "请在地图上画出边界" in undrawn.content.decode()
    edit = {"name": "阳光一网格", "code": "G001", "boundary": json.dumps(square(116.40, 39.90, 0.001))}
    redraw = client.post(f"/territory/grids/{cast.grid.pk}/boundary/", edit)
    assert redraw.status_code == 422 and "楼栋 1号楼 会落在新边界之外" in redraw.content.decode()
    assert not Grid.objects.filter(name="幸福第二网格").exists()


def test_readers_and_grid_workers_see_no_drawing_controls(cast: Cast, client_for: Any) -> None:
    for persona in ("grid_worker", "street_officer"):
        client = client_for(persona)
        assert "/boundary/" not in client.get(f"/territory/grids/{cast.grid.pk}/").content.decode()
        assert "/territory/grids/new/" not in client.get("/territory/tree/").content.decode()
        assert client.get("/territory/grids/new/").status_code == 403
        assert client.get(f"/territory/grids/{cast.grid.pk}/boundary/").status_code == 403


def test_choosing_another_community_offers_its_grid_workers(cast: Cast, client_for: Any) -> None:
    # The worker list followed the community the page opened on: an administrator who chose another community was
    # offered the first one's workers, and saving was refused. The select now fetches the chosen one's list.
    other = make_user("other-gw", Role.GRID_WORKER, node=cast.other_community, name="赵另格")
    client = client_for("admin")
    page = client.get(f"/territory/grids/new/?node={cast.community.pk}").content.decode()
    assert 'hx-get="/territory/grids/new/"' in page and 'hx-select="#grid-workers"' in page
    assert "王网格" in page and "赵另格" not in page
    swapped = client.get(f"/territory/grids/new/?org_node={cast.other_community.pk}").content.decode()
    workers = swapped.split('id="grid-workers"', 1)[1].split("</form>", 1)[0]
    assert f'value="{other.pk}"' in workers and "王网格" not in workers


def test_a_boundary_no_number_can_hold_a_3d_or_a_huge_one_is_refused_in_words() -> None:
    # An int too large for a float raised OverflowError (a 500 through the API, the page and the import); 3-D
    # positions reached shapely and said "too many values to unpack"; a boundary of any size was stored.
    from linli.territory.geometry import MAX_POSITIONS, polygon_checked

    def ring(points: list[list[Any]]) -> dict[str, Any]:
        return {"type": "Polygon", "coordinates": [points]}

    huge = ring([[10**400, 39], [116.01, 39], [116.01, 39.01], [10**400, 39]])
    flat = [[116.0, 39.0], [116.01, 39.0], [116.01, 39.01], [116.0, 39.0]]
    raised = [[*p, 30] for p in flat]
    many = [[116 + i * 1e-6, 39.0] for i in range(MAX_POSITIONS)] + [[116.0, 39.01], [116.0, 39.0]]
    position = "每个位置必须写成 [经度, 纬度]"
    for geometry, words in ((huge, position), (ring(raised), position), (ring(many), "请先简化")):
        with pytest.raises(ValueError) as refused:
            polygon_checked(geometry)
        assert words in str(refused.value)
    assert polygon_checked(ring(flat)).is_valid


def test_the_api_names_no_account_outside_the_communitys_grid_workers(cast: Cast, client_for: Any) -> None:
    # Any account id was looked up and the refusal said its name ("管理员 is not a grid worker…").
    client = client_for("community_worker")
    body = {
        "org_node_id": cast.compound.pk,
        "name": "阳光二网格",
        "worker_ids": [cast.admin.pk],
        "boundary": NORTH,
    }
    refused = _post(client, "/api/grids", body)
    assert refused.status_code == 422
    # The body's own field is named (it said "workers", a field the body does not have).
    assert "管理员" not in refused.content.decode() and list(refused.json()["extra"]["fields"]) == [
        "worker_ids"
    ]


def test_patching_worker_ids_null_keeps_the_workers(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    body = {"org_node_id": cast.compound.pk, "name": "阳光二网格", "worker_ids": [cast.grid_worker.pk]}
    grid = _post(client, "/api/grids", body | {"boundary": NORTH}).json()
    kept = client.patch(
        f"/api/grids/{grid['id']}", json.dumps({"worker_ids": None}), content_type="application/json"
    )
    assert kept.status_code == 200 and [w["id"] for w in kept.json()["workers"]] == [cast.grid_worker.pk]
    emptied = client.patch(
        f"/api/grids/{grid['id']}", json.dumps({"worker_ids": []}), content_type="application/json"
    )
    assert emptied.json()["workers"] == []


def test_a_node_that_is_not_a_number_opens_the_page_on_the_users_own(client_for: Any) -> None:
    assert client_for("community_worker").get("/territory/grids/new/?node=²").status_code == 200
