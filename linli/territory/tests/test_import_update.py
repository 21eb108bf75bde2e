"""Import as an update: a re-imported person, household, building or grid is compared with what is registered,
the preview lists what will be added, changed (field by field) and left alone, and only the confirmation writes,
through the services (audited; a move is a life event)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from linli.accounts.models import User
from linli.core.models import AuditEntry
from linli.territory import services
from linli.territory.imports import ImportResult, territory_import
from linli.territory.models import Building, Grid, Household, PendingImport, Resident, ResidentEvent
from linli.testing import Cast, make_neighbour, square, valid_id_number

from .test_imports import RESIDENT_HEADER, csv_bytes, feature, geojson, xlsx_bytes

pytestmark = pytest.mark.django_db

ZHANG = valid_id_number(birth="19500301")  # the cast's resident 张三 in H001


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def other_home(cast: Cast) -> Household:
    """A household in a second grid of the cast's compound (another building): `linli.testing.make_neighbour`'s."""
    return make_neighbour(cast).household


def run(user: User, kind: str, data: bytes, filename: str, *, preview: bool = False) -> ImportResult:
    with translation.override("en"):
        return territory_import(actor=user, kind=kind, data=data, filename=filename, preview=preview)


def zhang_row(**cells: str) -> list[str]:
    values = {"name": "张三", "gender": "男", "birth": "1950-03-01", "id": ZHANG, "phone": "13812345678"}
    values |= {"household": "H001", "grid": "", "tags": "", "care": ""} | cells
    return [
        values[k] for k in ("name", "gender", "birth", "id", "phone", "household", "grid", "tags", "care")
    ]


def test_re_importing_a_person_previews_the_changed_fields_and_writes_nothing(
    cast: Cast, other_home: Household
) -> None:
    rows = [RESIDENT_HEADER, zhang_row(phone="13900001111", household="H003", care="红")]
    before = Resident.objects.get(pk=cast.resident_record.pk)
    result = run(cast.community_worker, "residents", csv_bytes(rows), "r.csv", preview=True)
    assert result.ok and result.preview
    assert [p.label for p in result.changed_rows] == ["张三"]
    changes = {c.column: (c.old, c.new) for c in result.changed_rows[0].changes}
    assert changes["phone"] == ("138****5678", "139****1111")  # masked: a preview reveals no number
    assert changes["household"] == ("和平路1号院1号楼1单元101", "和平路1号院3号楼301")
    assert changes["care_level"] == ("Yellow", "Red")
    after = Resident.objects.get(pk=cast.resident_record.pk)
    assert (after.phone, after.household_id, after.care_level) == (
        before.phone,
        before.household_id,
        before.care_level,
    )
    assert not ResidentEvent.objects.exists()


def test_confirmed_re_import_updates_the_person_and_records_the_move(
    cast: Cast, other_home: Household
) -> None:
    rows = [RESIDENT_HEADER, zhang_row(phone="13900001111", household="H003", care="红")]
    result = run(cast.community_worker, "residents", csv_bytes(rows), "r.csv")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 1, 0)
    r = Resident.objects.get(pk=cast.resident_record.pk)
    assert (r.phone, r.household_id, r.grid.code, r.care_level) == (
        "13900001111",
        other_home.pk,
        "G003",
        "red",
    )
    event = ResidentEvent.objects.get(resident=r)
    assert (event.kind, event.from_household_id, event.to_household_id) == (
        "moved",
        cast.household.pk,
        other_home.pk,
    )
    actions = set(AuditEntry.objects.filter(object_id=str(r.pk)).values_list("action", flat=True))
    assert {"resident_moved", "resident_update"} <= actions


def test_a_person_who_moved_away_comes_back_by_import_with_a_moved_in_event(
    cast: Cast, other_home: Household
) -> None:
    services.resident_move_out(actor=None, resident=cast.resident_record, on=dt.date(2024, 1, 1))
    rows = [RESIDENT_HEADER, zhang_row(household="H003")]
    result = run(cast.community_worker, "residents", csv_bytes(rows), "r.csv")
    assert result.ok and result.updated == 1
    r = Resident.objects.get(pk=cast.resident_record.pk)
    assert (r.status, r.household_id) == ("present", other_home.pk)
    assert list(r.events.order_by("id").values_list("kind", flat=True)) == ["moved_out", "moved_in"]


def test_re_importing_an_unchanged_person_counts_them_unchanged_and_leaves_nothing_to_confirm(
    cast: Cast, client_for: Any
) -> None:
    rows = [RESIDENT_HEADER, zhang_row(), zhang_row(name="钱一", id="", birth="1980-01-01", phone="")]
    rows[2][1] = "男"
    upload = SimpleUploadedFile("r.csv", csv_bytes(rows))
    page = client_for("community_worker").post("/territory/io/import/", {"kind": "residents", "file": upload})
    assert page.status_code == 200
    result = page.context["result"]
    assert (len(result.new_rows), len(result.changed_rows), result.unchanged) == (1, 0, 1)
    assert page.context["pending_id"] is not None
    html = page.content.decode()
    assert "确认：写入 1 行" in html


def test_a_masked_or_empty_cell_leaves_the_stored_value(cast: Cast) -> None:
    rows = [RESIDENT_HEADER, zhang_row(phone="138****5678")]
    result = run(cast.community_worker, "residents", csv_bytes(rows), "r.csv", preview=True)
    assert result.ok and result.unchanged == 1 and result.masked_skipped == 1


def test_errors_by_line_lose_nothing_even_when_other_rows_would_update(
    cast: Cast, other_home: Household
) -> None:
    rows = [
        RESIDENT_HEADER,
        zhang_row(phone="13900001111"),
        zhang_row(name="钱一", id="", birth="1980-01-01", phone="12345"),
        zhang_row(name="孙二", id="", birth="1981-02-02", household="H999"),
    ]
    result = run(cast.community_worker, "residents", csv_bytes(rows), "r.csv")
    assert [(e.row, e.column) for e in result.errors] == [(3, "phone"), (4, "household")]
    assert (result.created, result.updated) == (0, 0)
    assert Resident.objects.get(pk=cast.resident_record.pk).phone == "13812345678"
    assert not Resident.objects.filter(name__in=["钱一", "孙二"]).exists()


def test_buildings_and_households_update_by_code(cast: Cast) -> None:
    header = ["楼栋编码", "楼栋名称", "地址", "网格编码", "小区区划代码", "经度", "纬度", "层数", "单元数"]
    rows = [header, ["B001", "1号楼（东）", "和平路1号院1号楼", "G001", "", 116.402, 39.902, 7, 3]]
    preview = run(cast.community_worker, "buildings", csv_bytes(rows), "b.csv", preview=True)
    assert {c.column for c in preview.changed_rows[0].changes} == {"name", "floors", "entrances"}
    result = run(cast.community_worker, "buildings", csv_bytes(rows), "b.csv")
    assert result.updated == 1
    b = Building.objects.get(code="B001")
    assert (b.name, b.floors, b.entrances.count()) == ("1号楼（东）", 7, 3)

    households = [["户编码", "楼栋编码", "单元", "房号", "是否出租"], ["H001", "B001", "2", "102", "是"]]
    result = run(cast.grid_worker, "households", csv_bytes(households), "h.csv")
    assert result.ok and result.updated == 1
    h = Household.objects.get(code="H001")
    assert (h.room, h.entrance.number if h.entrance else 0, h.is_rented) == ("102", 2, True)
    assert h.address == "和平路1号院1号楼2单元102"


def test_a_household_does_not_change_building_by_import(cast: Cast, other_home: Household) -> None:
    rows = [["户编码", "楼栋编码", "房号"], ["H001", "B003", "101"]]
    result = run(cast.community_worker, "households", csv_bytes(rows), "h.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "building")]


def test_a_grid_updates_its_name_and_boundary_by_code(cast: Cast) -> None:
    data = geojson(feature("G001", cast.compound.code, square(116.4, 39.9, 0.005), name="阳光一网格"))
    result = run(cast.community_worker, "grids", data, "g.geojson")
    assert result.ok and result.updated == 1, result.errors
    g = Grid.objects.get(code="G001")
    assert g.name == "阳光一网格" and g.area_m2 > 0


def test_an_export_re_imported_as_it_is_changes_nothing(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    for kind in ("buildings", "households", "residents"):
        exported = client.get(f"/territory/io/export/{kind}.xlsx").content
        result = run(cast.community_worker, kind, exported, f"{kind}.xlsx", preview=True)
        assert result.ok, (kind, result.errors)
        assert not result.changed_rows and not result.new_rows, (kind, result.changed_rows)
        assert (
            result.unchanged == len(list(openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0].rows)) - 1
        )


def test_a_preview_is_confirmed_only_by_the_one_who_uploaded_it(cast: Cast, client_for: Any) -> None:
    rows = [RESIDENT_HEADER, zhang_row(phone="13900001111")]
    upload = SimpleUploadedFile("r.xlsx", xlsx_bytes(rows))
    page = client_for("community_worker").post("/territory/io/import/", {"kind": "residents", "file": upload})
    pending = page.context["pending_id"]
    assert PendingImport.objects.filter(pk=pending).exists()
    other = client_for("admin").post("/territory/io/import/confirm/", {"pending": pending})
    assert other.status_code == 404
    assert Resident.objects.get(pk=cast.resident_record.pk).phone == "13812345678"


def test_the_api_previews_then_confirms_an_import(cast: Cast, client_for: Any, other_home: Household) -> None:
    client = client_for("community_worker")
    rows = [
        RESIDENT_HEADER,
        zhang_row(household="H003"),
        zhang_row(name="钱一", id="", birth="1980-01-01", phone=""),
    ]
    upload = SimpleUploadedFile("r.csv", csv_bytes(rows))
    preview = client.post("/api/imports/preview", {"kind": "residents", "file": upload}).json()
    assert preview["ok"] and preview["preview"]
    assert [r["label"] for r in preview["new_rows"]] == ["钱一"]
    assert [c["column"] for c in preview["changed_rows"][0]["changes"]] == ["户编码"]
    assert Resident.objects.get(pk=cast.resident_record.pk).household_id == cast.household.pk
    done = client.post(f"/api/imports/{preview['pending_id']}/confirm").json()
    assert (done["created"], done["updated"]) == (1, 1)
    assert Resident.objects.get(pk=cast.resident_record.pk).household_id == other_home.pk
    assert client.post(f"/api/imports/{preview['pending_id']}/confirm").status_code == 404


def test_the_api_lists_every_problem_by_row_and_keeps_nothing(cast: Cast, client_for: Any) -> None:
    rows = [RESIDENT_HEADER, zhang_row(phone="12345"), zhang_row(name="钱一", id="", household="H999")]
    upload = SimpleUploadedFile("r.csv", csv_bytes(rows))
    answer = client_for("community_worker").post(
        "/api/imports/preview", {"kind": "residents", "file": upload}
    )
    body = answer.json()
    assert not body["ok"] and body["pending_id"] is None
    # The column by the page's word, also for a file of the older template's 手机号.
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "联系电话"), (3, "户编码")]
    assert not PendingImport.objects.exists()
    handler = client_for("department_handler").post(
        "/api/imports/preview", {"kind": "residents", "file": SimpleUploadedFile("r.csv", csv_bytes(rows))}
    )
    assert handler.status_code == 403
