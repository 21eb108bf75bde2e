from __future__ import annotations

import codecs
import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from linli.territory import services
from linli.territory.imports import territory_import
from linli.territory.models import Building, Grid, Household, Resident
from linli.territory.tests.import_files import (  # noqa: F401 (_fast_passwords: an autouse fixture)
    BAD_ID_CHECK,
    BUILDING_HEADER,
    DATA,
    RESIDENT_HEADER,
    _fast_passwords,
    counts,
    csv_bytes,
    feature,
    geojson,
    problems,
    run,
    xlsx_bytes,
)
from linli.testing import Cast, square, valid_id_number

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
        (["B101", "3号楼", "和平路", "G999", "", 116.401, 39.901, 6, 1], "grid", "Unknown grid G999"),
        (["B101", "3号楼", "光明路", "G002", "", 116.411, 39.901, 6, 1], "grid", "Unknown grid G002"),
        (
            ["B101", "3号楼", "和平路", "G001", "110199001002", 116.401, 39.901, 6, 1],
            "compound",
            "Unknown compound",
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
    assert "Unknown building B002" in result.errors[0].message
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


def test_tags_copied_from_the_register_s_pages_import(cast: Cast) -> None:
    """The pages show a resident's tags as 老年人（60岁以上） and 3岁以下婴幼儿; the import knew only its template's
    words (老年人, 三岁以下儿童) and refused a tag copied from a resident's page without saying what it takes."""
    rows = [
        RESIDENT_HEADER,
        ["周奶奶", "女", "1950-03-04", "", "", "H001", "", "老年人（60岁以上）、独居老人", ""],
        ["周小宝", "男", "2026-01-02", "", "", "H001", "", "3岁以下婴幼儿", ""],
        ["周某", "男", "1980-01-01", "", "", "H001", "", "贫困户", ""],
    ]
    with translation.override("zh-hans"):
        refused = territory_import(
            actor=cast.community_worker, kind="residents", data=csv_bytes(rows), filename="r.csv"
        )
    words = "独居老人、老年人（60岁以上）、残疾人、3岁以下婴幼儿、低收入、退役军人、租户"  # as the pages show them
    assert problems(refused) == [(4, "标签", f"无法识别的标签“贫困户”：请填写{words}。")]
    result = run(cast.community_worker, "residents", csv_bytes(rows[:3]), "r.csv")
    assert problems(result) == [] and result.created == 2
    assert Resident.objects.get(name="周奶奶").tag_list == ["elderly", "elderly_alone"]
    assert Resident.objects.get(name="周小宝").tag_list == ["child_under_3"]


BAD_ID_FORMAT = "11010519800101123"
BAD_ID_DATE = valid_id_number(birth="19801332")


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
        (["甲", "男", "1980-01-01", "", "", "H999", "", "", ""], "household", "Unknown household H999"),
        (["甲", "男", "1980-01-01", "", "", "H002", "", "", ""], "household", "Unknown household H002"),
        (["甲", "男", "1980-01-01", "", "", "", "G002", "", ""], "grid", "Unknown grid G002"),
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
