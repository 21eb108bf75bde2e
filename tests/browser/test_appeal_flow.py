"""Browser test of the appeal flow on phone-sized screens: a resident submits with a photo through the grid QR
link, the grid worker acknowledges and resolves it from the workbench, the resident rates the result."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from linli.appeals.models import Appeal

pytestmark = pytest.mark.browser

DESCRIPTION = "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全，请尽快修一下。"


def sign_in(context: Any, user: Any, base_url: str) -> None:
    """Give the browser a session of `user` (the sign-in pages have their own browser tests)."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(buf, "JPEG")
    return buf.getvalue()


def test_resident_submits_worker_resolves_resident_rates(
    live_server: Any, live_cast: Any, browser: Any, screenshot: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    phone = {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }
    resident_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **phone)
    worker_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **phone)
    errors: list[str] = []
    for ctx in (resident_ctx, worker_ctx):
        ctx.set_default_timeout(15_000)
        ctx.on("weberror", lambda e: errors.append(str(e.error)))
    try:
        sign_in(resident_ctx, live_cast.resident, base)
        sign_in(worker_ctx, live_cast.grid_worker, base)

        # 1. The resident scans the grid station's code: the page opens with the grid filled in.
        page = resident_ctx.new_page()
        page.goto(f"{base}/appeals/new/?grid=G001")
        assert "阳光一网格" in page.inner_text("body")
        page.wait_for_selector(
            ".ap-map .leaflet-interactive"
        )  # the grid polygons are drawn (no tiles needed)
        page.click("label:has(input[value=complaint])")
        # Typing asks the classifier (htmx) for a category; an untouched select takes the suggestion.
        with page.expect_response("**/appeals/new/suggest/") as suggested:
            page.fill("#id_description", DESCRIPTION)
        assert suggested.value.ok
        offered = re.search(r'data-suggested-code="([^"]+)"', suggested.value.text())
        if offered:  # wait for the swap to put the suggestion into the untouched select
            expect(page.locator("#id_category")).to_have_value(offered.group(1))
        # The resident corrects it: the choice stays theirs.
        page.select_option("#id_category", "property_management.property_service")
        page.set_input_files(
            "#id_photos", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
        )
        page.wait_for_selector("#photos-preview img")  # the thumbnail shows before upload
        # Tap the map inside the grid: the position is filled in and the grid named.
        page.locator("#appeal-map").click()
        expect(page.locator("#id_lng")).not_to_have_value("")
        assert page.inner_text("#map-grid") == "阳光一网格（幸福社区）"
        screenshot(page, "appeal-01-resident-form")
        page.click("button[type=submit]:has-text('提交')")
        page.wait_for_selector("#tracking-number")
        tracking = page.inner_text("#tracking-number").strip()
        screenshot(page, "appeal-02-tracking-number")
        appeal = Appeal.objects.get(tracking_number=tracking)
        assert appeal.channel == "qr"
        assert appeal.photos.count() == 1
        assert appeal.state == "dispatched"

        # 2. The grid worker finds it in the queue, acknowledges and resolves it.
        work = worker_ctx.new_page()
        work.goto(f"{base}/appeals/workbench/")
        work.wait_for_selector(f"text={tracking}")
        screenshot(work, "appeal-03-workbench")
        work.click(f"a.ap-title[href='/appeals/{appeal.pk}/']")
        work.click("#action-acknowledge summary")
        work.click("#action-acknowledge button[type=submit]")
        work.wait_for_selector(".msg.success")
        assert "已签收" in work.inner_text(".messages")
        work.click("#action-resolve summary")
        work.fill("#id_resolve-note", "已更换楼道灯泡，并检查了整栋楼的照明线路，现已恢复正常。")
        work.set_input_files(
            "#id_resolve-photos",
            files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
        )
        work.click("#action-resolve button[type=submit]")
        work.wait_for_selector(".msg.success")
        screenshot(work, "appeal-04-detail-resolved")
        appeal.refresh_from_db()
        assert appeal.state == "resolved"

        # 3. The resident sees how it was handled and rates it.
        page.goto(f"{base}/appeals/track/{tracking}/")
        assert "已更换楼道灯泡" in page.inner_text("#resolution")
        page.click("#rate label:has-text('满意') >> nth=0")
        page.fill("#id_comment", "修得很快，谢谢网格员！")
        screenshot(page, "appeal-05-rating")
        page.click("#rate button[type=submit]")
        page.wait_for_selector(".msg.success")
        screenshot(page, "appeal-06-rated")
        appeal.refresh_from_db()
        assert appeal.state == "rated"
        assert appeal.ratings.get().value == "satisfied"

        # The other phone pages, for a look: my appeals, the worker's patrol report, QR codes and inbox.
        page.goto(f"{base}/appeals/mine/")
        assert tracking in page.inner_text("body")
        screenshot(page, "appeal-09-resident-list")
        work.goto(f"{base}/appeals/patrol/")
        work.wait_for_selector(".ap-map .leaflet-interactive")
        screenshot(work, "appeal-10-patrol")
        work.goto(f"{base}/appeals/qr/")
        work.wait_for_function(
            "[...document.querySelectorAll('img.ap-qr-thumb')].every(i => i.complete && i.naturalWidth > 0)"
        )
        screenshot(work, "appeal-11-qr-list")
        work.goto(f"{base}/appeals/inbox/")
        screenshot(work, "appeal-12-inbox")

        # 4. The community worker's desktop view of the same appeal, for a look at the wide layout.
        desk = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900}
        )
        try:
            sign_in(desk, live_cast.community_worker, base)
            wide = desk.new_page()
            wide.goto(f"{base}/appeals/workbench/?tab=all")
            wide.wait_for_selector(f"text={tracking}")
            screenshot(wide, "appeal-07-desktop-workbench")
            wide.goto(f"{base}/appeals/{appeal.pk}/")
            wide.wait_for_selector("#trace")
            screenshot(wide, "appeal-08-desktop-detail")
        finally:
            desk.close()
        assert errors == []
    finally:
        resident_ctx.close()
        worker_ctx.close()
