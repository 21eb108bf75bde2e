"""Roads: the street network as data — import (GeoJSON and tabular), export, the API and the maps' read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.errors import ValidationFailed
from linli.territory import services
from linli.territory.models import Road
from linli.testing import Cast

# Two roads crossing at a junction, kept by the cast's street: 和平路 in two stretches, 幸福街 in two.
JUNCTION = [116.405, 39.905]
FEATURES = [
    ("HP-01", "和平路", "主干路", [[116.400, 39.905], JUNCTION]),
    ("HP-02", "和平路", "主干路", [JUNCTION, [116.4075, 39.9052], [116.410, 39.905]]),
    ("XF-01", "幸福街", "支路", [[116.405, 39.900], JUNCTION]),
    ("XF-02", "幸福街", "支路", [JUNCTION, [116.405, 39.910]]),
]


def collection(features: list[tuple[str, str, str, Any]], parent: str = "110199001") -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "道路编码": code,
                        "道路名称": name,
                        "道路等级": kind,
                        "所属区划代码": parent,
                    },
                    "geometry": {"type": "LineString", "coordinates": coords},
                }
                for code, name, kind, coords in features
            ],
        },
        ensure_ascii=False,
    ).encode()


def upload(client: Any, data: bytes, name: str = "roads.geojson") -> Any:
    """Upload the file, and once its preview is clean, confirm it (what the page's two buttons do)."""
    file = SimpleUploadedFile(name, data, content_type="application/geo+json")
    preview = client.post("/territory/io/import/", {"kind": "roads", "file": file})
    pending = preview.context and preview.context.get("pending_id")
    if preview.status_code != 200 or not pending:
        return preview
    return client.post("/territory/io/import/confirm/", {"pending": pending})


def test_a_street_officer_imports_roads_from_geojson_and_they_meet_at_the_junction(
    cast: Cast, client_for: Any
) -> None:
    page = upload(client_for("street_officer"), collection(FEATURES))
    assert page.status_code == 200, page.content.decode()
    roads = {r.code: r for r in Road.objects.all()}
    assert set(roads) == {"HP-01", "HP-02", "XF-01", "XF-02"}
    assert (roads["HP-01"].name, roads["HP-01"].kind, roads["HP-01"].org_node) == (
        "和平路",
        "arterial",
        cast.street,
    )
    assert roads["XF-02"].kind == "branch"
    # About 427 m of road from 116.400 to 116.405 at 39.905 N.
    assert roads["HP-01"].length_m == pytest.approx(427, abs=2)
    ends = [tuple(r.geometry["coordinates"][i]) for r in roads.values() for i in (0, -1)]
    assert ends.count(tuple(JUNCTION)) == 4


def test_the_roads_export_re_imports_as_it_is(cast: Cast, client_for: Any) -> None:
    officer = client_for("street_officer")
    assert upload(officer, collection(FEATURES)).status_code == 200
    exported = officer.get("/territory/io/export/roads.geojson")
    assert exported.status_code == 200 and exported["Content-Type"] == "application/geo+json"
    first = json.loads(exported.content)
    Road.objects.all().delete()
    assert upload(officer, exported.content, "linli-roads.geojson").status_code == 200
    again = json.loads(officer.get("/territory/io/export/roads.geojson").content)
    strip = lambda doc: [{k: v for k, v in f.items() if k != "id"} for f in doc["features"]]  # noqa: E731
    assert strip(again) == strip(first) and len(first["features"]) == 4
    # The spreadsheet export reads back too.
    xlsx = officer.get("/territory/io/export/roads.xlsx")
    Road.objects.all().delete()
    assert upload(officer, xlsx.content, "roads.xlsx").status_code == 200
    assert strip(json.loads(officer.get("/territory/io/export/roads.geojson").content)) == strip(first)


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        (("R-1", "和平路", "主干路", [[116.40, 39.90]]), "至少需要 2 个位置"),
        (("R-1", "和平路", "快速路", [[116.40, 39.90], [116.41, 39.90]]), "未知的道路等级"),
        (("R-1", "和平路", "支路", [[116.40, 39.90], [116.40, 39.90]]), "没有长度"),
        (("R-1", "和平路", "支路", [[216.40, 39.90], [116.41, 39.90]]), "不是有效的经纬度"),
        (("", "和平路", "支路", [[116.40, 39.90], [116.41, 39.90]]), "此项为必填项"),
    ],
)
def test_a_bad_road_is_refused_in_chinese_and_nothing_is_saved(
    cast: Cast, client_for: Any, feature: tuple[str, str, str, Any], message: str
) -> None:
    page = upload(client_for("street_officer"), collection([FEATURES[0], feature]))
    assert page.status_code == 422
    assert message in page.content.decode()
    assert not Road.objects.exists()


def test_a_polygon_is_not_a_road(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.road_create(
            actor=None,
            code="R-1",
            name="和平路",
            kind="branch",
            org_node=cast.street,
            geometry={"type": "Polygon", "coordinates": [[[116.4, 39.9], [116.41, 39.9], [116.4, 39.9]]]},
        )
    assert caught.value.extra["field"] == "geometry"


def test_a_community_worker_cannot_import_roads_for_the_street_but_sees_them(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    worker = client_for("community_worker")
    page = upload(worker, collection(FEATURES))
    assert page.status_code == 422 and "110199001" in page.content.decode()
    assert not Road.objects.exists()
    services.roads_create(
        actor=None,
        roads=[
            {
                "code": c,
                "name": n,
                "kind": "branch",
                "org_node": cast.street,
                "geometry": {"type": "LineString", "coordinates": g},
            }
            for c, n, _k, g in FEATURES
        ],
    )
    worker.get("/api/roads")
    with django_assert_num_queries(4):  # signing in, then the roads with their street: not a query per road
        seen = worker.get("/api/roads").json()
    assert sorted(f["properties"]["code"] for f in seen["features"]) == ["HP-01", "HP-02", "XF-01", "XF-02"]
    assert seen["features"][0]["geometry"]["type"] == "LineString"
    assert worker.get("/territory/map/roads.json").json()["features"] == seen["features"]


def test_roads_of_another_street_are_not_seen(cast: Cast, client_for: Any) -> None:
    other = services.org_node_create(
        actor=None, kind="street", name="建设街道", code="110199002", parent=cast.district
    )
    services.road_create(
        actor=None,
        code="JS-01",
        name="建设路",
        kind="secondary",
        org_node=other,
        geometry={"type": "LineString", "coordinates": [[116.5, 39.9], [116.51, 39.9]]},
    )
    assert client_for("community_worker").get("/api/roads").json()["features"] == []
    assert len(client_for("district_leader").get("/api/roads").json()["features"]) == 1
    assert client_for("department_handler").get("/territory/map/roads.json").json()["features"] == []
    assert client_for("resident").get("/api/roads").status_code == 403


def test_roads_seen_are_those_kept_in_the_area_and_by_every_node_over_it(cast: Cast, client_for: Any) -> None:
    """The roads of a user's own subtree and of every node over it (the district's too, two levels above a
    community), never a sibling street's."""
    other = services.org_node_create(
        actor=None, kind="street", name="建设街道", code="110199002", parent=cast.district
    )

    def road(code: str, node: Any, lat: float) -> None:
        services.road_create(
            actor=None,
            code=code,
            name=code,
            kind="secondary",
            org_node=node,
            geometry={"type": "LineString", "coordinates": [[116.40, lat], [116.41, lat]]},
        )

    road("DST-01", cast.district, 39.901)
    road("STR-01", cast.street, 39.902)
    road("SIB-01", other, 39.903)

    def codes(who: str) -> list[str]:
        features = client_for(who).get("/api/roads").json()["features"]
        return sorted(f["properties"]["code"] for f in features)

    assert codes("community_worker") == ["DST-01", "STR-01"]
    assert codes("grid_worker") == ["DST-01", "STR-01"]
    assert codes("street_officer") == ["DST-01", "STR-01"]
    assert codes("district_leader") == ["DST-01", "SIB-01", "STR-01"]
    assert codes("admin") == ["DST-01", "SIB-01", "STR-01"]


def test_the_map_pages_ask_for_the_roads(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    for url in ("/territory/map/", f"/territory/grids/{cast.grid.pk}/"):
        html = client.get(url).content.decode()
        assert 'data-roads-url="/territory/map/roads.json"' in html
        assert "territory/map.css" in html
