from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from linli.accounts.models import User
from linli.territory import services
from linli.territory.imports import ImportResult, territory_import
from linli.territory.models import Building, Grid, Household, Resident
from linli.testing import Cast, square, valid_id_number
from linli.testing.browser import SCREENSHOTS, browser_context

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast hashes a dozen passwords; a cheap hasher keeps these many small tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


RESIDENT_HEADER = ["姓名", "性别", "出生日期", "身份证号", "手机号", "户编码", "网格编码", "标签", "照护等级"]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def feature(code: str, parent: str, geometry: dict[str, Any], **props: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"网格{code}", "parent": parent, **props},
        "geometry": geometry,
    }


def geojson(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def run(user: User, kind: str, data: bytes, filename: str) -> ImportResult:
    with translation.override("en"):
        return territory_import(actor=user, kind=kind, data=data, filename=filename)


def problems(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def counts() -> tuple[int, ...]:
    return (
        Grid.objects.count(),
        Building.objects.count(),
        Household.objects.count(),
        Resident.objects.count(),
    )


# ------------------------------------------------------------------------------------------------- grids

BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[116.42, 39.90], [116.424, 39.904], [116.424, 39.90], [116.42, 39.904], [116.42, 39.90]]
    ],
}
UNCLOSED = {
    "type": "Polygon",
    "coordinates": [[[116.42, 39.90], [116.424, 39.90], [116.424, 39.904], [116.42, 39.904]]],
}


def test_valid_geojson_imports_grids_with_shared_edges_and_a_microgrid(cast: Cast) -> None:
    result = run(cast.community_worker, "grids", (DATA / "grids_valid.geojson").read_bytes(), "g.geojson")
    assert problems(result) == []
    assert result.created == 3
    micro = Grid.objects.get(code="M101")
    assert micro.kind == "microgrid" and micro.parent_grid is not None and micro.parent_grid.code == "G101"
    assert Grid.objects.get(code="G101").station_name == "幸福网格站"
    assert Grid.objects.get(code="G102").org_node == cast.compound


def test_grids_imported_through_the_page_each_leave_an_audit_entry_naming_who_and_which(
    cast: Cast, client_for: Any
) -> None:
    from linli.core.models import AuditEntry

    client = client_for("community_worker")
    upload = SimpleUploadedFile("g.geojson", (DATA / "grids_valid.geojson").read_bytes())
    page = client.post("/territory/io/import/", {"kind": "grids", "file": upload})
    by_them = AuditEntry.objects.filter(action="grid_create", actor_id=cast.community_worker.pk)
    assert not by_them.exists()  # a preview writes nothing
    client.post("/territory/io/import/confirm/", {"pending": page.context["pending_id"]})
    entries = by_them.order_by("pk")
    assert [(e.actor_id, e.detail["code"]) for e in entries] == [
        (cast.community_worker.pk, "G101"),
        (cast.community_worker.pk, "G102"),
        (cast.community_worker.pk, "M101"),
    ]
    micro = Grid.objects.get(code="M101")
    assert entries[2].object_id == str(micro.pk)
    assert "parent_grid" in entries[2].detail["fields"] and "boundary" in entries[2].detail["fields"]


@pytest.mark.parametrize(
    ("features", "row", "fragment"),
    [
        ([feature("G101", "110199001001", BOWTIE)], 1, "intersects itself"),
        ([feature("G101", "110199001001", UNCLOSED)], 1, "not closed"),
        ([feature("G101", "110199001001", square(116.402, 39.902))], 1, "overlaps the existing grid G001"),
        (
            [
                feature("G101", "110199001001", square(116.42, 39.90)),
                feature("G102", "110199001001", square(116.422, 39.902)),
            ],
            2,
            "overlaps grid G101 in row 1",
        ),
        ([feature("G101", "999999", square(116.42, 39.90))], 1, "Unknown parent 999999"),
        # A community worker cannot put a grid into the neighbouring community.
        ([feature("G101", "110199001002", square(116.42, 39.90))], 1, "Unknown parent 110199001002"),
        # The neighbouring community's grid: its code is taken, not the user's to update.
        ([feature("G002", "110199001001", square(116.42, 39.90))], 1, "already used"),
        (
            [
                feature("G101", "110199001001", square(116.42, 39.90)),
                feature("G101", "110199001001", square(116.43, 39.90)),
            ],
            2,
            "Duplicate code: also in row 1",
        ),
        (
            [
                feature("G101", "110199001001", square(116.42, 39.90)),
                feature(
                    "M1", "110199001001", square(116.423, 39.90, 0.002), kind="microgrid", parent_grid="G101"
                ),
            ],
            2,
            "outside its parent grid",
        ),
        ([feature("G101", "110199001001", square(116.42, 39.90), kind="block")], 1, "Unknown kind"),
        (
            [
                feature("G101", "110199001001", square(116.42, 39.90)),
                feature(
                    "M1", "110199001001", square(116.421, 39.901, 0.002), kind="微网格", parent_grid="G101"
                ),
                feature(
                    "M2", "110199001001", square(116.4215, 39.9015, 0.0005), kind="微网格", parent_grid="M1"
                ),
            ],
            3,
            "not in another micro-grid",
        ),
        ([feature("G101", "", square(116.42, 39.90))], 1, "required"),
        ([feature("G101", "110199001001", {"type": "Point", "coordinates": [116.4, 39.9]})], 1, "Polygon"),
    ],
)
def test_each_grid_error_is_reported_with_its_feature_number_and_nothing_is_written(
    cast: Cast, features: list[dict[str, Any]], row: int, fragment: str
) -> None:
    before = counts()
    result = run(cast.community_worker, "grids", geojson(*features), "grids.geojson")
    assert result.created == 0
    assert any(r == row and fragment in message for r, _c, message in problems(result)), problems(result)
    assert counts() == before


def test_grids_from_xlsx_with_a_boundary_column(cast: Cast) -> None:
    rows = [
        ["网格编码", "网格名称", "所属区划代码", "类型", "边界"],
        ["G101", "新网格", "110199001001", "网格", json.dumps(square(116.42, 39.90))],
    ]
    result = run(cast.admin, "grids", xlsx_bytes(rows), "grids.xlsx")
    assert problems(result) == [] and result.created == 1


# ------------------------------------------------------------------------------------------------- buildings

BUILDING_HEADER = [
    "楼栋编码",
    "楼栋名称",
    "地址",
    "网格编码",
    "小区区划代码",
    "经度",
    "纬度",
    "层数",
    "单元数",
]


def test_valid_buildings_xlsx_imports_with_entrances(cast: Cast) -> None:
    rows = [
        BUILDING_HEADER,
        ["B101", "3号楼", "和平路1号院3号楼", "G001", "110199001001001", 116.401, 39.901, 18, 3],
        ["B102", "4号楼", "和平路1号院4号楼", "G001", "", "116.403", "39.903", "", ""],
    ]
    result = run(cast.community_worker, "buildings", xlsx_bytes(rows), "b.xlsx")
    assert problems(result) == [] and result.created == 2
    b = Building.objects.get(code="B101")
    assert (b.floors, b.entrances.count(), b.compound) == (18, 3, cast.compound)
    assert Building.objects.get(code="B102").floors == 1


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["B101", "3号楼", "和平路", "G999", "", 116.401, 39.901, 6, 1], "grid", "Unknown parent G999"),
        (["B101", "3号楼", "光明路", "G002", "", 116.411, 39.901, 6, 1], "grid", "Unknown parent G002"),
        (
            ["B101", "3号楼", "和平路", "G001", "110199001002", 116.401, 39.901, 6, 1],
            "compound",
            "Unknown parent",
        ),
        (["B002", "3号楼", "和平路", "G001", "", 116.401, 39.901, 6, 1], "code", "already used"),
        (["B101", "", "和平路", "G001", "", 116.401, 39.901, 6, 1], "name", "required"),
        (["B101", "3号楼", "和平路", "G001", "", 116.5, 39.901, 6, 1], "lng", "outside grid G001"),
        (["B101", "3号楼", "和平路", "G001", "", "东经116", 39.901, 6, 1], "lng", "coordinate"),
        (["B101", "3号楼", "和平路", "G001", "", 116.401, 39.901, "六", 1], "floors", "whole number"),
    ],
)
def test_each_building_error_is_reported_and_nothing_is_written(
    cast: Cast, row: list[Any], column: str, fragment: str
) -> None:
    good = ["B100", "5号楼", "和平路1号院5号楼", "G001", "", 116.402, 39.903, 6, 1]
    result = run(cast.community_worker, "buildings", xlsx_bytes([BUILDING_HEADER, good, row]), "b.xlsx")
    assert any(r == 3 and c == column and fragment in m for r, c, m in problems(result)), problems(result)
    assert not Building.objects.filter(code__in=["B100", "B101"]).exists()


# ------------------------------------------------------------------------------------------------- households


def test_households_csv_imports_and_reports_unknown_building_and_entrance(cast: Cast) -> None:
    header = ["户编码", "楼栋编码", "单元", "房号", "是否出租"]
    good = [header, ["H101", "B001", "2", "201", "是"], ["H102", "B001", "", "102", ""]]
    result = run(cast.grid_worker, "households", csv_bytes(good), "h.csv")
    assert problems(result) == [] and result.created == 2
    h = Household.objects.get(code="H101")
    assert h.is_rented and h.entrance is not None and h.entrance.number == 2
    assert h.address == "和平路1号院1号楼2单元201"

    bad = [
        header,
        ["H103", "B002", "", "301", ""],  # the other community's building
        ["H104", "B001", "5", "301", ""],
        ["H105", "B001", "", "302", "maybe"],
        ["H002", "B001", "", "303", ""],  # the other community's household code
    ]
    result = run(cast.grid_worker, "households", csv_bytes(bad), "h.csv")
    assert [(r, c) for r, c, _m in problems(result)] == [
        (2, "building"),
        (3, "entrance"),
        (4, "rented"),
        (5, "code"),
    ]
    assert "Unknown parent B002" in result.errors[0].message
    assert Household.objects.count() == 4


# ------------------------------------------------------------------------------------------------- residents


def test_gb18030_csv_from_chinese_excel_imports_residents(cast: Cast) -> None:
    data = (DATA / "residents_gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run(cast.community_worker, "residents", data, "居民.csv")
    assert problems(result) == [] and result.created == 3
    wang = Resident.objects.get(name="王秀英")
    assert wang.tag_list == ["disabled", "elderly_alone"] and wang.care_level == "red"
    assert wang.grid == cast.grid and wang.relation == "户主"
    zhao = Resident.objects.get(name="赵建国")  # gender and birth date come from the ID number
    assert (zhao.gender, zhao.birth_date, zhao.phone) == ("male", dt.date(1970, 8, 15), "010-65001234")
    assert zhao.id_number == "110105197008151319"
    assert Resident.objects.get(name="孙小宝").birth_date == dt.date(2024, 1, 2)


def test_utf8_csv_with_bom_and_english_headers_imports(cast: Cast) -> None:
    rows = [
        ["name", "Gender", "birth_date", "phone", "grid"],
        ["周杰", "male", "19900102", "+86 138 0000 2222", "G001"],
    ]
    data = codecs.BOM_UTF8 + csv_bytes(rows)
    result = run(cast.admin, "residents", data, "r.csv")
    assert problems(result) == [] and result.created == 1
    assert Resident.objects.get(name="周杰").phone == "13800002222"


BAD_ID_FORMAT = "11010519800101123"
BAD_ID_DATE = valid_id_number(birth="19801332")
BAD_ID_CHECK = valid_id_number()[:-1] + ("0" if valid_id_number()[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["", "男", "1980-01-01", "", "", "H001", "", "", ""], "name", "name is required"),
        (["甲", "男", "1980-13-01", "", "", "H001", "", "", ""], "birth_date", "Not a date"),
        (["甲", "男", "", "", "", "H001", "", "", ""], "birth_date", "required"),
        (["甲", "", "1980-01-01", "", "", "H001", "", "", ""], "gender", "required"),
        (["甲", "未知", "1980-01-01", "", "", "H001", "", "", ""], "gender", "Unknown gender"),
        (["甲", "男", "1980-01-01", BAD_ID_FORMAT, "", "H001", "", "", ""], "id_number", "18 characters"),
        (["甲", "男", "1980-01-01", BAD_ID_DATE, "", "H001", "", "", ""], "id_number", "not a real date"),
        (["甲", "男", "1980-01-01", BAD_ID_CHECK, "", "H001", "", "", ""], "id_number", "check digit"),
        (["甲", "男", "1980-01-01", "", "12345", "H001", "", "", ""], "phone", "11-digit"),
        (["甲", "男", "1980-01-01", "", "", "H001", "", "贫困户", ""], "tags", "Unknown tag"),
        (["甲", "男", "1980-01-01", "", "", "H001", "", "", "紫"], "care_level", "Unknown care level"),
        (["甲", "男", "1980-01-01", "", "", "H999", "", "", ""], "household", "Unknown parent H999"),
        (["甲", "男", "1980-01-01", "", "", "H002", "", "", ""], "household", "Unknown parent H002"),
        (["甲", "男", "1980-01-01", "", "", "", "G002", "", ""], "grid", "Unknown parent G002"),
        (["甲", "男", "1980-01-01", "", "", "", "", "", ""], "household", "household or a grid"),
        (
            ["甲", "女", "1985-06-01", valid_id_number(birth="19850601", seq="246"), "", "H001", "", "", ""],
            "id_number",
            "registered outside your area",
        ),
        (
            ["甲", "男", "1980-01-01", valid_id_number(birth="19800101", seq="555"), "", "H001", "", "", ""],
            "id_number",
            "Duplicate ID number: also in row 2",
        ),
        (["钱一", "男", "1980-01-01", "", "", "H001", "", "", ""], "name", "same person is also in row 2"),
        (
            ["甲", "男", "1981-01-01", valid_id_number(birth="19800101", seq="777"), "", "H001", "", "", ""],
            "birth_date",
            "does not match the ID number",
        ),
    ],
)
def test_each_resident_error_is_reported_with_row_and_column_and_nothing_is_written(
    cast: Cast, row: list[str], column: str, fragment: str
) -> None:
    good = ["钱一", "男", "1980-01-01", valid_id_number(birth="19800101", seq="555"), "", "H001", "", "", ""]
    before = counts()
    result = run(cast.community_worker, "residents", csv_bytes([RESIDENT_HEADER, good, row]), "r.csv")
    assert result.created == 0
    assert any(r == 3 and c == column and fragment in m for r, c, m in problems(result)), problems(result)
    assert all(r == 3 for r, _c, _m in problems(result)), "the valid row has no error"
    assert counts() == before


def test_an_id_number_excel_turned_into_a_number_is_explained(cast: Cast) -> None:
    number = valid_id_number(birth="19800101", seq="555")
    rows = [RESIDENT_HEADER, ["钱一", "男", "1980-01-01", float(number), "", "H001", "", "", ""]]
    result = run(cast.community_worker, "residents", xlsx_bytes(rows), "r.xlsx")
    assert [(r, c) for r, c, _m in problems(result)] == [(2, "id_number")]
    assert "format the column as text" in result.errors[0].message


def test_every_bad_field_of_one_row_is_reported(cast: Cast) -> None:
    row = ["甲", "未知", "1980-01-01", BAD_ID_CHECK, "12345", "H001", "", "贫困户", "紫"]
    result = run(cast.community_worker, "residents", csv_bytes([RESIDENT_HEADER, row]), "r.csv")
    assert {c for _r, c, _m in problems(result)} == {"gender", "id_number", "phone", "tags", "care_level"}


def test_missing_and_unknown_columns_are_reported_on_the_header_row(cast: Cast) -> None:
    result = run(cast.admin, "buildings", csv_bytes([["楼栋编码", "颜色"], ["B9", "红"]]), "b.csv")
    found = problems(result)
    assert (1, "颜色", "Unknown column.") in found
    assert {c for r, c, m in found if "missing" in m} == {"name", "address", "grid", "lng", "lat"}


def test_an_unexpected_error_while_writing_rolls_back_every_row(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = services.building_create
    calls: list[str] = []

    def flaky(**kwargs: Any) -> Building:
        calls.append(kwargs["code"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "building_create", flaky)
    rows = [
        BUILDING_HEADER,
        ["B101", "3号楼", "和平路", "G001", "", 116.401, 39.901, 6, 1],
        ["B102", "4号楼", "和平路", "G001", "", 116.402, 39.901, 6, 1],
    ]
    with pytest.raises(RuntimeError):
        run(cast.admin, "buildings", csv_bytes(rows), "b.csv")
    assert calls == ["B101", "B102"]
    assert not Building.objects.filter(code__in=["B101", "B102"]).exists()


def test_a_row_refused_while_writing_undoes_the_rows_before_it(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.core.errors import ValidationFailed

    real = services.household_create

    def taken_meanwhile(**kwargs: Any) -> Household:
        if kwargs["code"] == "H102":
            raise ValidationFailed("household code H102 is already used", extra={"field": "code"})
        return real(**kwargs)

    monkeypatch.setattr(services, "household_create", taken_meanwhile)
    rows = [["户编码", "楼栋编码", "房号"], ["H101", "B001", "201"], ["H102", "B001", "202"]]
    result = run(cast.admin, "households", csv_bytes(rows), "h.csv")
    assert problems(result) == [(3, "code", "household code H102 is already used")]
    assert not Household.objects.filter(code="H101").exists()


def test_an_id_number_registered_while_the_file_was_checked_undoes_the_import(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.territory.imports import ResidentImporter

    number = valid_id_number(birth="19800101", seq="555")
    real = ResidentImporter.validate

    def validate_then_someone_registers(self: ResidentImporter, records: Any) -> None:
        real(self, records)
        services.resident_create(
            actor=None,
            household=cast.household,
            name="抢先",
            gender="male",
            birth_date=dt.date(1980, 1, 1),
            id_number=number,
        )

    monkeypatch.setattr(ResidentImporter, "validate", validate_then_someone_registers)
    rows = [
        RESIDENT_HEADER,
        ["钱一", "男", "1980-01-01", "", "", "H001", "", "", ""],
        ["钱二", "男", "1980-01-01", number, "", "H001", "", "", ""],
    ]
    result = run(cast.admin, "residents", csv_bytes(rows), "r.csv")
    assert result.created == 0 and [r for r, _c, _m in problems(result)] == [0]
    assert not Resident.objects.filter(name__in=["钱一", "钱二"]).exists()


def test_residents_are_written_in_bulk_with_a_fixed_number_of_queries(cast: Cast) -> None:
    rows: list[list[Any]] = [RESIDENT_HEADER]
    for i in range(2000):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=i * 9)
        number = valid_id_number(birth=birth.strftime("%Y%m%d"), seq=f"{i % 1000:03d}")
        rows.append([f"居民{i}", "", "", number, f"139{i:08d}", "H001", "", "", ""])
    with CaptureQueriesContext(connection) as ctx:
        result = run(cast.admin, "residents", csv_bytes(rows), "r.csv")
    assert problems(result) == [] and result.created == 2000
    assert len(ctx.captured_queries) < 40


# ------------------------------------------------------------------------------------------------- pages


def test_import_page_needs_a_staff_member_with_part_of_the_tree(cast: Cast, client_for: Any) -> None:
    from django.test import Client

    assert Client().get("/territory/io/").status_code == 302
    assert client_for("resident").get("/territory/io/").status_code == 403
    assert client_for("department_handler").get("/territory/io/").status_code == 403
    page = client_for("community_worker").get("/territory/io/?kind=residents")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/territory/io/template/residents.xlsx" in html


@pytest.mark.parametrize(
    ("language", "header", "alias"),
    [("zh-hans", "身份证号", "也可写作：id_number"), ("en", "id_number", "also: 身份证号")],
)
def test_import_page_names_the_columns_in_the_users_language(
    cast: Cast, client_for: Any, language: str, header: str, alias: str
) -> None:
    html = (
        client_for("community_worker")
        .get("/territory/io/?kind=residents", HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    columns = html[html.index("io-columns") :]
    assert f"<strong>{header}</strong>" in columns and alias in columns
    assert "英文列名" not in html and "English header" not in html
    roads = client_for("community_worker").get("/territory/io/?kind=roads", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "主干路 / 次干路 / 支路 / 小区道路" in roads.content.decode()


def test_uploading_a_bad_file_shows_each_row_error_in_chinese_and_writes_nothing(
    cast: Cast, client_for: Any
) -> None:
    rows = [
        RESIDENT_HEADER,
        ["钱一", "男", "1980-01-01", "", "", "H001", "", "", ""],
        ["甲", "男", "1980-01-01", BAD_ID_CHECK, "", "H001", "", "", ""],
        ["乙", "男", "1980-01-01", "", "", "H002", "", "", ""],
    ]
    upload = SimpleUploadedFile("居民.csv", csv_bytes(rows, "gb18030"), content_type="text/csv")
    before = counts()
    page = client_for("community_worker").post("/territory/io/import/", {"kind": "residents", "file": upload})
    assert page.status_code == 422
    html = page.content.decode()
    assert "校验位" in html  # the ID check digit message, in Chinese
    assert "上级“H002”不存在或不在您的管辖范围内" in html
    assert '<td data-label="行号" class="mono">3</td>' in html
    assert '<td data-label="行号" class="mono">4</td>' in html
    assert counts() == before


def test_uploading_a_valid_file_with_htmx_previews_then_imports_on_confirmation(
    cast: Cast, client_for: Any
) -> None:
    rows = [RESIDENT_HEADER, ["钱一", "男", "1980-01-01", "", "13800003333", "H001", "", "", ""]]
    upload = SimpleUploadedFile("r.xlsx", xlsx_bytes(rows))
    client = client_for("grid_worker")
    page = client.post(
        "/territory/io/import/", {"kind": "residents", "file": upload}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "预览：尚未写入任何数据" in html and "钱一" in html
    assert not Resident.objects.filter(name="钱一").exists()
    pending = page.context["pending_id"]
    done = client.post("/territory/io/import/confirm/", {"pending": pending}, headers={"HX-Request": "true"})
    assert "已导入：新增 1 行，更改 0 行，未变 0 行" in done.content.decode()
    assert Resident.objects.filter(name="钱一", grid=cast.grid).exists()
    again = client.post("/territory/io/import/confirm/", {"pending": pending})
    assert again.status_code == 404  # written once; the preview is gone


def test_the_template_has_the_import_headers_and_an_empty_one_imports_nothing(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    response = client.get("/territory/io/template/buildings.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == BUILDING_HEADER
    assert len(wb.worksheets) == 2  # the instructions sheet
    upload = SimpleUploadedFile("buildings.xlsx", response.content)
    page = client.post("/territory/io/import/", {"kind": "buildings", "file": upload})
    assert page.status_code == 422 and "没有可导入的行" in page.content.decode()
    assert client.get("/territory/io/template/nothing.xlsx").status_code == 404


# ------------------------------------------------------------------------------------------------- commands


def test_import_command_prints_the_row_report_and_fails_when_a_row_is_wrong(
    cast: Cast, tmp_path: Path
) -> None:
    from django.core.management import CommandError, call_command

    bad = tmp_path / "residents.csv"
    bad.write_bytes(
        csv_bytes(
            [
                RESIDENT_HEADER,
                ["钱一", "男", "1980-01-01", "", "", "H001", "", "", ""],
                ["甲", "男", "1980-01-01", "", "12345", "H001", "", "", ""],
            ]
        )
    )
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_territory", "residents", str(bad), stdout=out)
    assert "row 3 [phone]" in out.getvalue()
    assert not Resident.objects.filter(name="钱一").exists()

    good = tmp_path / "grids.geojson"
    good.write_bytes((DATA / "grids_valid.geojson").read_bytes())
    out = io.StringIO()
    call_command("import_territory", "grids", str(good), "--user", "communityworker", stdout=out)
    assert Grid.objects.filter(code__in=["G101", "G102", "M101"]).count() == 3


def test_export_command_writes_a_workbook_that_the_import_command_reads(cast: Cast, tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    target = tmp_path / "buildings.xlsx"
    call_command("export_territory", "buildings", str(target), stdout=io.StringIO())
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["B001", "B002"]
    with pytest.raises(CommandError):
        call_command("export_territory", "residents", str(tmp_path / "r.geojson"), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("export_territory", "residents", str(tmp_path / "r.xlsx"), "--user", "resident")


def test_a_page_of_problems_shows_the_first_500(cast: Cast, client_for: Any) -> None:
    rows = [RESIDENT_HEADER] + [
        [f"甲{i}", "男", "1980-01-01", "", "12345", "H001", "", "", ""] for i in range(600)
    ]
    upload = SimpleUploadedFile("r.csv", csv_bytes(rows))
    page = client_for("admin").post("/territory/io/import/", {"kind": "residents", "file": upload})
    html = page.content.decode()
    assert html.count('<td data-label="行号" class="mono">') == 500
    assert "共 600 个问题，此处仅显示前 500 个" in html


# ------------------------------------------------------------------------------------------------- browser


@pytest.mark.browser
def test_a_community_worker_uploads_a_bad_then_a_good_file_in_the_browser(
    live_server: Any, transactional_db: None, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from linli.testing import PASSWORD, build_cast

    cast = build_cast()
    bad = tmp_path / "居民.csv"
    bad.write_bytes(
        csv_bytes(
            [
                RESIDENT_HEADER,
                ["钱一", "男", "1980-01-01", "", "13800003333", "H001", "", "", ""],
                ["甲", "男", "1980-01-01", BAD_ID_CHECK, "", "H002", "", "", ""],
            ],
            "gb18030",
        )
    )
    good = tmp_path / "居民2.csv"
    good.write_bytes(
        csv_bytes([RESIDENT_HEADER, ["钱一", "男", "1980-01-01", "", "13800003333", "H001", "", "", ""]])
    )
    context = browser_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems_seen: list[str] = []
    # Script errors and CSP violations show on the console; a browser's own favicon request is no problem.
    page.on(
        "console",
        lambda m: (
            problems_seen.append(m.text) if m.type == "error" and "status of 404" not in m.text else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems_seen.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.status != 422 and "favicon" not in r.url
            else None
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", cast.community_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/territory/io/?kind=residents")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button.btn-primary")
    table = page.locator("table.import-errors")
    expect(table).to_be_visible()
    expect(table).to_contain_text("校验位")
    expect(table).to_contain_text("H002")
    assert page.url.endswith("/territory/io/?kind=residents")  # swapped in place by htmx
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "imports-errors.png"), full_page=True)
    assert not Resident.objects.filter(name="钱一").exists()

    page.set_input_files("input[type=file]", str(good))
    page.click("button.btn-primary")
    expect(page.locator("#import-preview")).to_contain_text("预览")
    assert not Resident.objects.filter(name="钱一").exists()
    page.locator("#import-result button.btn-primary").click()
    expect(page.locator(".msg.success")).to_contain_text("新增 1 行")
    assert Resident.objects.filter(name="钱一", household=cast.household).exists()
    assert problems_seen == []
    context.close()


def test_a_preview_that_shows_only_the_first_rows_that_change_says_so(rf: Any) -> None:
    from django.template.loader import render_to_string

    from linli.territory.imports.base import FieldChange, RowPlan

    changes = [
        RowPlan(row=n, label=f"B{n:03d}", changes=[FieldChange("楼层", "6", "7")]) for n in range(2, 303)
    ]
    result = ImportResult(kind="buildings", rows=301, preview=True, changed_rows=changes)
    html = render_to_string(
        "territory/io/result.html", {"result": result, "pending_id": 1}, request=rf.get("/")
    )
    assert "B301" in html and "B302" not in html
    assert "共 301 行将被修改，此处仅显示前 300 行" in html
    fewer = ImportResult(kind="buildings", rows=300, preview=True, changed_rows=changes[:300])
    assert "仅显示前 300 行" not in render_to_string(
        "territory/io/result.html", {"result": fewer, "pending_id": 1}, request=rf.get("/")
    )


def test_a_file_refused_before_its_rows_are_read_says_so_not_problems_in_0_rows(client_for: Any) -> None:
    upload = SimpleUploadedFile("m.csv", "姓名,手机号\n张三,13800001111\n".encode())
    page = client_for("community_worker").post("/territory/io/import/", {"kind": "members", "file": upload})
    html = page.content.decode()
    assert "暂不能导入：文件本身有 1 个问题，尚未逐行校验。" in html and "在 0 行中" not in html
    assert "缺少必填列" in html
