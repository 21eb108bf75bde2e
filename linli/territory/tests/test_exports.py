from __future__ import annotations

import io
import json
import re
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from linli.territory import exports, services
from linli.territory.exports import export_rows, export_workbook
from linli.territory.imports import KIND_LABELS, territory_import
from linli.territory.models import Building, Entrance, Grid, Household, Resident
from linli.testing import Cast, square

# The territory's own kinds, each referring to the one before (apps above add theirs, tested there).
KINDS = ("grids", "buildings", "households", "residents")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sheet_rows(content: bytes) -> list[list[Any]]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def richer(cast: Cast) -> Cast:
    """A microgrid and a rented household."""
    micro = services.grid_create(
        actor=None,
        code="M001",
        name="阳光一号微网格",
        org_node=cast.compound,
        boundary=square(116.4005, 39.9005, 0.001),
        kind="microgrid",
        parent_grid=cast.grid,
        station_name="阳光网格站",
    )
    assert micro.pk
    services.household_create(actor=None, building=cast.building, code="H003", room="502", is_rented=True)
    return cast


def test_resident_export_is_masked_and_limited_to_the_users_community(richer: Cast, client_for: Any) -> None:
    response = client_for("community_worker").get("/territory/io/export/residents.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert rows[0][:5] == ["姓名", "性别", "出生日期", "身份证号", "联系电话"]
    assert [r[0] for r in rows[1:]] == ["张三"]  # 李四 lives in the other community
    zhang = rows[1]
    assert zhang[3] == "1101**********" + richer.resident_record.id_number[-4:]
    assert zhang[4] == "138****5678"
    assert richer.resident_record.id_number not in response.content.decode("latin-1")
    assert (zhang[1], zhang[5], zhang[6], zhang[8], zhang[9]) == ("男", "H001", "G001", "独居老人", "黄码")
    birth = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]["C2"]
    assert birth.value.date() == richer.resident_record.birth_date and birth.number_format == "yyyy-mm-dd"


def test_exports_need_a_staff_member_with_part_of_the_tree(richer: Cast, client_for: Any) -> None:
    assert client_for("resident").get("/territory/io/export/residents.xlsx").status_code == 403
    assert client_for("department_handler").get("/territory/io/export/grids.xlsx").status_code == 403
    assert client_for("admin").get("/territory/io/export/unknown.xlsx").status_code == 404


def test_grid_worker_exports_only_their_compound(richer: Cast, client_for: Any) -> None:
    rows = sheet_rows(client_for("grid_worker").get("/territory/io/export/grids.xlsx").content)
    assert [r[0] for r in rows[1:]] == ["G001", "M001"]
    buildings = sheet_rows(client_for("grid_worker").get("/territory/io/export/buildings.xlsx").content)
    assert [r[0] for r in buildings[1:]] == ["B001"]


def _wipe_territory_below_the_org_tree() -> None:
    Resident.objects.all().delete()
    Household.objects.all().delete()
    Entrance.objects.all().delete()
    Building.objects.all().delete()
    Grid.objects.filter(kind="microgrid").delete()
    Grid.objects.all().delete()


def test_an_export_re_imports_into_an_empty_territory(richer: Cast) -> None:
    admin = richer.admin
    with translation.override("zh-hans"):
        before = {kind: list(export_rows(kind, admin)) for kind in KINDS}
        files = {kind: export_workbook(kind, admin) for kind in KINDS}
    _wipe_territory_below_the_org_tree()
    assert all(list(export_rows(kind, admin)) == [] for kind in KINDS)
    masked = 0
    for kind in KINDS:
        result = territory_import(actor=admin, kind=kind, data=files[kind], filename=f"{kind}.xlsx")
        assert result.errors == [], (kind, result.errors)
        assert result.created == len(before[kind])
        masked += result.masked_skipped
    after = {kind: list(export_rows(kind, admin)) for kind in KINDS}
    # Masked values come back empty; everything else round-trips unchanged.
    for kind in ("grids", "buildings", "households"):
        assert after[kind] == before[kind]
    strip = lambda r: [r[0], r[1], r[2], *r[5:]]  # noqa: E731 - name, gender, birth, household, grid...
    assert [strip(r) for r in after["residents"]] == [strip(r) for r in before["residents"]]
    assert all(r[3] == "" and r[4] == "" for r in after["residents"])
    expected_masked = sum(1 for r in before["residents"] for v in (r[3], r[4]) if v)
    assert masked == expected_masked > 0


def test_grids_geojson_export_re_imports(richer: Cast, client_for: Any) -> None:
    response = client_for("admin").get("/territory/io/export/grids.geojson")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert {f["properties"]["code"] for f in doc["features"]} == {"G001", "G002", "M001"}
    _wipe_territory_below_the_org_tree()
    result = territory_import(actor=richer.admin, kind="grids", data=response.content, filename="g.geojson")
    assert result.errors == [] and result.created == 3
    micro = Grid.objects.get(code="M001")
    assert micro.parent_grid == Grid.objects.get(code="G001") and micro.station_name == "阳光网格站"


def test_each_export_reads_with_a_fixed_number_of_queries(richer: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        services.household_create(actor=None, building=richer.building, code=f"HX{i}", room=f"6{i:02d}")
    for kind in KINDS:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(export_rows(kind, richer.admin))
        assert rows, kind
        assert len(ctx.captured_queries) <= 2, (kind, [q["sql"] for q in ctx.captured_queries])


def test_the_page_offers_an_export_only_of_kinds_that_have_one(cast: Cast, client_for: Any) -> None:
    """Sensors' devices are imported here but not exported: the page offered 设备 (XLSX) all the same, and the link
    was a server error. Now every button the page shows downloads, and a kind with no export is a 404."""
    client = client_for("community_worker")
    page = client.get("/territory/io/").content.decode()
    offered = set(re.findall(r'href="/territory/io/export/([a-z_]+)\.xlsx"', page))
    assert offered == set(exports.ROWS) & set(KIND_LABELS) and {"residents", "members"} <= offered
    for kind in sorted(offered):
        assert client.get(f"/territory/io/export/{kind}.xlsx").status_code == 200, kind
    for kind in set(KIND_LABELS) - set(exports.ROWS):  # importable, nothing to export (devices, today)
        assert client.get(f"/territory/io/export/{kind}.xlsx").status_code == 404, kind
