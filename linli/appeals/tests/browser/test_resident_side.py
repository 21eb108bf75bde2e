"""In headless Chromium, at phone and desktop size (issue 11): the resident's side. A neighbour reporting sees the
open problems nearby, finds a building by name and follows one ("this is my problem too"); the resident adds
information with a voice message recorded in the browser (Chromium's fake microphone), reopens a resolved
appeal, and anyone reads the public page and map of solved problems."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from linli.testing.browser import BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, sign_in_context

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1400, "height": 900}},
}
# A microphone in headless Chromium: the permission prompt answered yes, a fake device that plays a tone.
FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture(scope="module")
def media_browser(browser: Any) -> Any:
    """A second Chromium of the same Playwright, with a fake microphone (the shared one has none)."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA], headless=True
    )
    yield chromium
    chromium.close()


def _jpeg() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (70, 130, 90)).save(buf, "JPEG")
    return SimpleUploadedFile("lamp.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_resident_follows_adds_voice_reopens_and_reads_the_public_page(
    live_server: Any, transactional_db: None, media_browser: Any, settings: Any, tmp_path: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.accounts.models import User
    from linli.appeals import services
    from linli.appeals.models import Appeal, AppealFollower
    from linli.appeals.tests.factories import resolve_by_grid_worker, submit
    from linli.core.roles import Role
    from linli.testing import build_cast

    settings.MEDIA_ROOT = tmp_path / "media"
    cast, base = build_cast(), live_server.url
    shot_dir = SCREENSHOTS
    shot_dir.mkdir(parents=True, exist_ok=True)

    def shot(page: Any, name: str) -> None:
        page.wait_for_timeout(400)  # let a map finish its zoom animation
        page.screenshot(path=str(shot_dir / f"resident-{name}-{size}.png"), full_page=True)

    # Around the neighbour: open problems in public categories, one solved with photos the resident let us show.
    lamp = submit(cast, title="楼道灯坏了", description="3号楼2单元楼道灯坏了一个星期了，晚上很黑。")
    submit(
        cast,
        grid=cast.other_grid,
        title="垃圾桶满溢",
        category_code="urban_construction.compound_facilities",
        description="光明路2号楼旁的垃圾桶满了好几天没人清理。",
    )
    solved = submit(
        cast,
        title="路面坑洼",
        description="小区门口路面有个大坑，雨天积水，电动车容易摔倒。",
        photos=[_jpeg()],
        photos_public=True,
    )
    resolve_by_grid_worker(cast, solved, note="已联系物业修补路面坑洼，雨天不再积水。")
    mine = submit(cast, title="单元门禁坏了", description="2单元门禁坏了，陌生人随便进出，请尽快修好。")
    done = submit(cast, title="消防通道堵塞", description="1号楼后面消防通道被杂物堵住了，很危险。")
    resolve_by_grid_worker(cast, done, note="已清理消防通道杂物。")
    neighbour = User.objects.create_user(
        username="m13700001111", role=Role.RESIDENT, phone="13700001111", display_name="邻居"
    )

    context = media_browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **SIZES[size])
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    try:
        # 1. The resident's home.
        sign_in_context(context, cast.resident, base)
        page = context.new_page()
        page.goto(f"{base}/")
        expect(page.locator("body")).to_contain_text("我要反映")
        shot(page, "home")

        # 2. The neighbour reports: until a place is chosen nothing is listed (a hint); a search moves the pin and
        # the open problems around it are listed and pinned.
        neighbour_ctx = media_browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **SIZES[size])
        neighbour_ctx.set_default_timeout(BROWSER_TIMEOUT_MS)
        neighbour_ctx.on("weberror", lambda e: errors.append(str(e.error)))
        sign_in_context(neighbour_ctx, neighbour, base)
        report = neighbour_ctx.new_page()
        report.goto(f"{base}/appeals/new/")
        expect(report.locator("#nearby [data-nearby-hint]")).to_be_visible()
        expect(report.locator("#nearby")).not_to_contain_text(lamp.tracking_number)
        report.locator("#place-search").fill("和平路1号院")
        report.locator("#place-results [data-place]").first.click()
        expect(report.locator("#id_lng")).to_have_value("116.402000")
        expect(report.locator("#nearby")).to_contain_text("附近已有人反映")
        expect(report.locator("#nearby")).to_contain_text(lamp.tracking_number)
        expect(report.locator("#nearby")).not_to_contain_text("楼道灯坏了一个星期")  # masked: no description
        expect(report.locator(".leaflet-interactive").first).to_be_visible()
        report.locator("#nearby").scroll_into_view_if_needed()
        shot(report, "nearby")

        # 3. "This is my problem too": the neighbour follows it instead of reporting it again.
        report.locator(f"#follow-{lamp.tracking_number} button").click()
        expect(report.locator(f"#follow-{lamp.tracking_number}")).to_contain_text("已关注")
        assert AppealFollower.objects.filter(appeal=lamp, user=neighbour).exists()
        shot(report, "follow")
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=Appeal.objects.get(pk=lamp.pk))
        report.goto(f"{base}/appeals/inbox/")
        expect(report.locator("body")).to_contain_text(lamp.tracking_number)
        neighbour_ctx.close()

        # 4. The resident adds information with a voice message recorded in the browser.
        page.goto(f"{base}/appeals/track/{mine.tracking_number}/")
        page.locator("#add-info summary").click()
        page.locator("#id_text").fill("晚上十点以后门禁完全打不开。")
        page.locator("#add-info [data-voice-start]").click()
        expect(page.locator("#add-info [data-voice-stop]")).to_be_visible()
        page.wait_for_timeout(1500)
        page.locator("#add-info [data-voice-stop]").click()
        expect(page.locator("#add-info [data-voice-preview]")).to_be_visible()
        assert page.locator("#add-info [data-voice-input]").evaluate("el => el.files.length") == 1
        shot(page, "voice")
        page.locator("#add-info button[type=submit]").click()
        expect(page.locator("body")).to_contain_text("已补充到您的诉求")
        expect(page.locator(".ap-voice audio")).to_have_count(1)
        expect(page.locator("body")).to_contain_text("晚上十点以后门禁完全打不开。")
        shot(page, "add-info")
        voice = Appeal.objects.get(pk=mine.pk).voices.get()
        assert voice.content_type == "audio/webm" and voice.size > 0

        # 5. The handler plays it on the appeal's page.
        staff_ctx = media_browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **SIZES[size])
        staff_ctx.set_default_timeout(BROWSER_TIMEOUT_MS)
        sign_in_context(staff_ctx, cast.grid_worker, base)
        staff = staff_ctx.new_page()
        staff.goto(f"{base}/appeals/{mine.pk}/")
        audio = staff.locator(".ap-voice audio")
        expect(audio).to_have_count(1)
        duration = audio.evaluate(
            "el => new Promise(ok => el.readyState >= 1 ? ok(el.duration) : "
            "el.addEventListener('loadedmetadata', () => ok(el.duration)))"
        )
        assert duration and duration > 0
        shot(staff, "staff-voice")
        staff_ctx.close()

        # 6. The resident reopens the resolved appeal: the problem is back.
        page.goto(f"{base}/appeals/track/{done.tracking_number}/")
        page.locator("#reopen summary").click()
        page.locator("#reopen textarea").fill("杂物又堆回来了，消防通道还是堵着。")
        shot(page, "reopen")
        page.locator("#reopen button[type=submit]").click()
        expect(page.locator("body")).to_contain_text("您的诉求已重新打开")
        assert Appeal.objects.get(pk=done.pk).state == "dispatched"

        # 7. Anyone reads the public page of the solved problem and the map of solved ones.
        guest = media_browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **SIZES[size])
        guest.set_default_timeout(BROWSER_TIMEOUT_MS)
        public = guest.new_page()
        public.goto(f"{base}/appeals/public/{solved.tracking_number}/")
        expect(public.locator("#how-solved")).to_contain_text("已联系物业修补路面坑洼")
        expect(public.locator("#how-solved img")).to_have_count(1)
        photo = public.locator("#how-solved img")
        expect(photo).to_have_js_property("complete", True)  # waits for the load, not raced
        assert photo.evaluate("el => el.naturalWidth") > 0
        expect(public.locator("body")).not_to_contain_text("电动车容易摔倒")
        shot(public, "public-appeal")
        public.goto(f"{base}/appeals/public/")
        expect(public.locator("#solved-map .leaflet-interactive").first).to_be_visible()
        shot(public, "public-map")
        guest.close()
        assert errors == []
    finally:
        context.close()
