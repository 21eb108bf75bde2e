"""In headless Chromium, at phone and desktop size: a grid worker logs a visit with a photo and raises an appeal
from it; a community worker re-imports residents, reads the preview and confirms it. Screenshots of each page."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from linli.appeals.models import Appeal
from linli.territory import services
from linli.territory.models import Resident, Visit
from linli.testing import PASSWORD, build_cast, valid_id_number
from linli.testing.browser import SCREENSHOTS, sign_in_page

pytestmark = pytest.mark.browser


def _shot(name: str) -> str:
    SCREENSHOTS.mkdir(exist_ok=True)
    return str(SCREENSHOTS / f"territory-field-{name}.png")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_grid_worker_logs_a_visit_and_raises_an_appeal_from_it(
    live_server: Any, transactional_db: None, browser: Any, size: str, tmp_path: Path, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    cast = build_cast()
    services.venue_create(
        actor=None,
        grid=cast.grid,
        category="restaurant",
        name="老王面馆",
        lng=116.401,
        lat=39.901,
        state="hazard",
    )
    photo = tmp_path / "lamp.jpg"
    image = Image.new("RGB", (640, 480))
    image.putdata([(x // 3, 60 + y // 4, 140) for y in range(480) for x in range(640)])
    image.save(photo, "JPEG")
    context, page, problems = sign_in_page(
        browser, live_server.url, cast.grid_worker.username, PASSWORD, size
    )

    page.goto(f"{live_server.url}/territory/grids/{cast.grid.pk}/")
    expect(page.locator('#grid-things-events [data-key="venues"] .stat-value')).to_have_text("1")
    expect(page.locator('#grid-things-events [data-key="visits_30d"] .stat-value')).to_have_text("0")
    page.screenshot(path=_shot(f"grid-{size}"), full_page=True)
    page.get_by_role("link", name="登记走访").click()
    # The form names a home by its building (the option's group) and the rest of its address: 1号楼 1单元101.
    home = cast.household.address.removeprefix(cast.building.address)
    page.locator("select[name=place]").select_option(label=f"{cast.building.name} {home}")
    page.locator("textarea[name=found]").fill("独居老人张三身体尚可；1单元楼道灯坏了一周，晚上下楼不安全。")
    page.locator("input[name=follow_up]").fill("报修楼道灯")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.screenshot(path=_shot(f"visit-form-{size}"), full_page=True)
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator(".msg.success")).to_contain_text("走访已登记")
    expect(page.locator(".visit-photos img")).to_have_count(1)
    expect(page.locator(".visit-photos img")).to_have_js_property(
        "naturalWidth", 640
    )  # loaded (CSP-safe wait)
    page.screenshot(path=_shot(f"visit-{size}"), full_page=True)

    page.get_by_role("link", name="从这次走访发起诉求").click()
    expect(page.locator("textarea[name=description]")).to_contain_text("楼道灯坏了")
    page.screenshot(path=_shot(f"from-visit-{size}"), full_page=True)
    page.get_by_role("button", name="发起诉求").click()
    appeal = Appeal.objects.get()
    expect(page.get_by_text(appeal.tracking_number).first).to_be_visible()
    page.screenshot(path=_shot(f"appeal-{size}"), full_page=True)
    assert Visit.objects.get().appeal_number == appeal.tracking_number and appeal.channel == "patrol"

    page.goto(f"{live_server.url}/territory/grids/{cast.grid.pk}/")
    expect(page.locator('#grid-things-events [data-key="visits_30d"] .stat-value')).to_have_text("1")
    expect(page.locator('#grid-things-events [data-key="follow_ups_open"] .stat-value')).to_have_text("1")
    page.goto(f"{live_server.url}/territory/grids/{cast.grid.pk}/venues/")
    page.screenshot(path=_shot(f"venues-{size}"), full_page=True)
    assert problems == []
    context.close()


def _residents_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_re_import_shows_its_preview_and_updates_rows(
    live_server: Any, transactional_db: None, browser: Any, size: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    cast = build_cast()
    header = ["姓名", "性别", "出生日期", "身份证号", "手机号", "户编码", "网格编码", "标签", "照护等级"]
    rows = [
        header,
        ["张三", "男", "1950-03-01", valid_id_number(birth="19500301"), "13900001111", "H001", "", "", "红"],
        ["钱一", "男", "1980-01-01", "", "", "H001", "", "", ""],
    ]
    upload = tmp_path / "居民.csv"
    upload.write_bytes(_residents_csv(rows))
    context, page, problems = sign_in_page(
        browser, live_server.url, cast.community_worker.username, PASSWORD, size
    )
    page.goto(f"{live_server.url}/territory/io/?kind=residents")
    page.locator("input[name=file]").set_input_files(str(upload))
    page.get_by_role("button", name="校验并预览").click()
    expect(page.locator("#import-preview")).to_contain_text("将新增 1 行，更改已登记的 1 行")
    expect(page.locator(".import-changes")).to_contain_text("139****1111")
    expect(page.locator(".import-changes")).not_to_contain_text("13812345678")
    page.screenshot(path=_shot(f"import-preview-{size}"), full_page=True)
    assert Resident.objects.get(pk=cast.resident_record.pk).phone == "13812345678"
    page.get_by_role("button", name="确认：写入 2 行").click()
    expect(page.locator(".msg.success")).to_contain_text("新增 1 行，更改 1 行")
    page.screenshot(path=_shot(f"import-done-{size}"), full_page=True)
    zhang = Resident.objects.get(pk=cast.resident_record.pk)
    assert (zhang.phone, zhang.care_level) == ("13900001111", "red")
    assert Resident.objects.filter(name="钱一").exists()
    assert problems == []
    context.close()
