"""The territory API through HTTP: masking, audited reveal, paging and pinned query counts, locating."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from linli.core.models import AuditEntry
from linli.territory import services
from linli.testing import Cast, api_pages, square, valid_id_number

from .helpers import add_buildings, add_residents


def _many_residents(cast: Cast, n: int) -> None:
    add_residents(
        cast,
        n,
        name="居民{i}",
        phone=lambda i: f"1390000{i:04d}",
        id_number=lambda i: valid_id_number(birth="19900101", seq=f"{i:03d}"),
        tags=lambda i: ["disabled"] if i % 2 else [],
    )


def test_resident_list_masks_phone_id_number_and_address(cast: Cast, client_for: Any) -> None:
    body = client_for("community_worker").get("/api/residents").json()
    (item,) = body["items"]
    assert item["phone"] == "138****5678"
    assert item["id_number"] == "1101**********" + cast.resident_record.id_number[-4:]
    assert item["address"] == "和平路1号院****"
    assert "13812345678" not in str(body)
    assert cast.resident_record.id_number not in str(body)
    today = timezone.localdate()
    age = today.year - 1950 - ((today.month, today.day) < (3, 1))  # born 1 March 1950
    assert (item["age"], item["tags"], item["care_level"]) == (age, ["elderly_alone"], "yellow")
    assert item["grid"]["code"] == "G001"


@pytest.mark.parametrize("persona", ["grid_worker", "community_worker", "admin"])
def test_reveal_shows_clear_data_and_is_audited(cast: Cast, client_for: Any, persona: str) -> None:
    response = client_for(persona).post(f"/api/residents/{cast.resident_record.pk}/reveal")
    assert response.status_code == 200
    assert response.json()["phone"] == "13812345678"
    assert response.json()["id_number"] == cast.resident_record.id_number
    entry = AuditEntry.objects.get(action="reveal_personal_data")
    assert entry.actor_id == getattr(cast, persona).pk
    assert entry.object_id == str(cast.resident_record.pk)
    assert entry.ip == "127.0.0.1"


@pytest.mark.parametrize("persona", ["street_officer", "district_leader", "department_handler", "resident"])
def test_reveal_is_refused_for_roles_that_do_not_need_it(cast: Cast, client_for: Any, persona: str) -> None:
    response = client_for(persona).post(f"/api/residents/{cast.resident_record.pk}/reveal")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "13812345678" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="reveal_personal_data").exists()


def test_errors_speak_the_callers_language(cast: Cast, client_for: Any) -> None:
    client = client_for("street_officer")
    url = f"/api/residents/{cast.resident_record.pk}/reveal"
    assert client.post(url).json()["message"] == "您的角色无权查看居民个人信息明文。"
    english = client.post(url, headers={"accept-language": "en"}).json()["message"]
    assert english == "Your role may not see residents' personal data in clear."


def test_residents_are_searched_and_filtered(cast: Cast, client_for: Any) -> None:
    _many_residents(cast, 6)
    client = client_for("admin")

    def names(query: str) -> set[str]:
        return {r["name"] for r in client.get(f"/api/residents?{query}").json()["items"]}

    assert names("q=张") == {"张三"}
    assert names("q=0003") == {"居民3"}
    assert names("tag=disabled") == {"居民1", "居民3", "居民5"}
    assert names("care_level=yellow") == {"张三"}
    assert names(f"grid={cast.other_grid.pk}") == {"李四"}


def test_resident_list_goes_a_page_at_a_time(cast: Cast, client_for: Any) -> None:
    _many_residents(cast, 7)
    client = client_for("community_worker")
    counts, ids = api_pages(client, "/api/residents")
    assert counts == [8] * 4 and len(ids) == len(set(ids)) == 8  # the last one reached, none twice
    assert ids == sorted(ids)
    assert api_pages(client, "/api/residents", tag="disabled") == ([3, 3], ids[2:8:2])
    body = client.get("/api/residents?limit=3&offset=6").json()
    assert (body["count"], [r["name"] for r in body["items"]]) == (8, ["居民5", "居民6"])
    assert set(body) == {"count", "items"}
    assert (
        len(client.get("/api/residents?limit=100000").json()["items"]) == 8
    )  # a limit beyond 200 is brought in


def test_building_list_goes_a_page_at_a_time(cast: Cast, client_for: Any) -> None:
    add_buildings(cast, range(5), code="BX{n:02d}")
    counts, codes = api_pages(client_for("street_officer"), "/api/buildings", key="code")
    assert counts == [7] * 4 and codes == sorted(codes) and len(set(codes)) == 7


def test_resident_list_query_count_does_not_grow_with_rows(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("community_worker")
    # session, user, the user's org node, count, page
    with django_assert_num_queries(5):
        assert client.get("/api/residents").json()["count"] == 1
    _many_residents(cast, 25)
    with django_assert_num_queries(5):
        assert client.get("/api/residents").json()["count"] == 26


def test_building_list_query_count_and_grid_filter(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    add_buildings(cast, range(12), code="BX{n:02d}")
    client = client_for("street_officer")
    with django_assert_num_queries(5):
        body = client.get(f"/api/buildings?grid={cast.grid.pk}").json()
    assert body["count"] == 13
    assert {b["grid"]["code"] for b in body["items"]} == {"G001"}
    assert client.get("/api/buildings?q=光明").json()["items"][0]["code"] == "B002"


def test_grid_list_is_geojson_coloured_by_community(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("street_officer")
    with django_assert_num_queries(4):
        body = client.get("/api/grids").json()
    assert body["type"] == "FeatureCollection"
    by_code = {f["properties"]["code"]: f for f in body["features"]}
    assert by_code["G001"]["geometry"]["type"] == "Polygon"
    assert by_code["G001"]["properties"]["community_name"] == "幸福社区"
    assert by_code["G002"]["properties"]["community_name"] == "光明社区"
    assert by_code["G001"]["properties"]["colour"] != by_code["G002"]["properties"]["colour"]
    only = client.get(f"/api/grids?community={cast.other_community.pk}").json()
    assert [f["properties"]["code"] for f in only["features"]] == ["G002"]


def test_locate_returns_the_grid_and_its_chain_of_org_nodes(cast: Cast, client_for: Any) -> None:
    body = client_for("street_officer").get("/api/locate?lat=39.902&lng=116.402").json()
    assert body["grid"]["code"] == "G001"
    assert [n["name"] for n in body["chain"]] == ["示范区", "和平街道", "幸福社区", "阳光小区"]


def test_locate_outside_every_grid_or_outside_the_scope_is_not_found(cast: Cast, client_for: Any) -> None:
    outside = client_for("street_officer").get("/api/locate?lat=30.0&lng=120.0")
    assert outside.status_code == 404
    assert outside.json()["message"] == "该位置不在任何网格内。"
    other = client_for("outsider").get("/api/locate?lat=39.902&lng=116.402")
    assert other.status_code == 404
    bad = client_for("street_officer").get("/api/locate?lat=95&lng=116.4")
    assert bad.status_code == 422


def test_locate_address_finds_the_building_however_it_is_written(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    body = client.get("/api/locate/address", {"q": "和平路一号院1栋"}).json()
    assert body["building"]["code"] == "B001"
    assert body["chain"][-1]["name"] == "阳光小区"
    assert client.get("/api/locate/address", {"q": "光明路2号楼"}).status_code == 404  # other community
    assert client.get("/api/locate/address", {"q": "不存在的路"}).status_code == 404


def test_api_docs_describe_the_endpoints(cast: Cast, client_for: Any) -> None:
    client = client_for("admin")
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/org-tree",
        "/api/grids",
        "/api/grids/{grid_id}",
        "/api/buildings",
        "/api/residents",
        "/api/residents/{resident_id}/reveal",
        "/api/locate",
        "/api/locate/address",
    ):
        assert path in schema["paths"], path
    resident = schema["components"]["schemas"]["ResidentOut"]["properties"]
    assert "masked" in resident["phone"]["description"]


def test_org_tree_query_count_does_not_grow_with_grids(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("street_officer")
    # session, user, the user's org node, nodes, grid counts
    with django_assert_num_queries(5):
        tree = client.get("/api/org-tree").json()
    assert tree[0]["name"] == "和平街道"
    for i in range(5):
        services.grid_create(
            actor=None,
            code=f"GX{i}",
            name=f"新网格{i}",
            org_node=cast.other_community,
            boundary=square(116.5 + i / 100, 39.9),
        )
    with django_assert_num_queries(5):
        client.get("/api/org-tree")
