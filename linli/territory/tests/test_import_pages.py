"""The register's import through its pages, its commands and a browser (the importers themselves: test_imports.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from linli.territory.imports import ImportResult
from linli.territory.models import Grid, Resident
from linli.territory.tests.import_files import (  # noqa: F401 (_fast_passwords: an autouse fixture)
    BAD_ID_CHECK,
    BUILDING_HEADER,
    DATA,
    RESIDENT_HEADER,
    _fast_passwords,
    counts,
    csv_bytes,
    geojson,
    xlsx_bytes,
)
from linli.testing import Cast
from linli.testing.browser import SCREENSHOTS, browser_context

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
    # The household the row names, under the column 户编码: not a "上级" (parent), which it is only for a grid.
    assert "户编码“H002”不存在或不在您的管辖范围内" in html
    assert "上级" not in html
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


def test_import_command_says_the_file_itself_is_wrong_not_problems_in_0_rows(
    cast: Cast, tmp_path: Path
) -> None:
    # As the page says it (docs/territory.md): a file refused before its rows are read is not "问题 in 0 rows".
    from django.core.management import CommandError, call_command

    broken = tmp_path / "residents.xlsx"
    broken.write_bytes(b"not a workbook")
    out = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("import_territory", "residents", str(broken), stdout=out)
    assert "文件不是可读取的 XLSX 工作簿" in out.getvalue()
    assert "0 行" not in str(refused.value)
    assert "文件本身有 1 个问题" in str(refused.value)


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
