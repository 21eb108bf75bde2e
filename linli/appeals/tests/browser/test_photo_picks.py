"""In headless Chromium on a touch phone (390 px): a resident takes the photos of a new appeal one at a time (a
phone's camera gives one photo a tap, and a file input keeps only the last choice), takes one out again, and the
two left are saved with the appeal, not the last one alone (core/photos.js, shared with territory's visits)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linli.testing.browser import pick_photos_one_at_a_time, sign_in_context, sized_context, watch_console
from linli.testing.images import jpeg_from_a_phone

pytestmark = pytest.mark.browser


def test_photos_taken_one_after_another_are_all_sent_with_the_appeal(
    live_server: Any, transactional_db: None, browser: Any, tmp_path: Path, settings: Any
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.testing import build_cast

    settings.MEDIA_ROOT = tmp_path / "media"
    cast = build_cast()
    shots = [
        {"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg_from_a_phone((320 + i, 240))}
        for i in range(3)
    ]
    context = sized_context(browser, "phone")
    sign_in_context(context, cast.resident, live_server.url)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{live_server.url}/appeals/new/?grid=G001")
    page.locator("#id_description").fill("3号楼楼道灯坏了一周，晚上上下楼看不清台阶。")
    pick_photos_one_at_a_time(page, shots)  # three taps of the camera, then one taken out
    expect(page.locator(".photo-picks-note")).to_contain_text("已选 2 张照片")
    page.locator("button[type=submit].ap-primary").click()
    page.wait_for_selector("#tracking-number")
    appeal = Appeal.objects.get(tracking_number=page.inner_text("#tracking-number").strip())
    assert appeal.photos.count() == 2
    assert problems == []
    context.close()
