"""In headless Chromium at phone (390 × 844) and desktop (1400 × 900) size (issue 11, "found when tried"): a grid
worker's patrol report ticked "已现场处置完毕" with no category picked goes through (it used to fail with
"不能执行'办结'"): the appeal is resolved on the spot and its page says so."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SIZES, SignedInSession

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "appeals-patrol-spot"


@pytest.mark.parametrize("size", SIZES)
def test_a_patrol_report_resolved_on_the_spot_without_a_category_goes_through(
    live_server: Any, transactional_db: None, browser: Any, size: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import classifier_says
    from linli.testing import build_cast

    classifier_says(monkeypatch, "environment.noise", 0.0)  # the classifier offers nothing usable
    cast = build_cast()
    worker = Session(browser, size, cast.grid_worker, live_server.url)
    page = worker.go("/appeals/patrol/")
    page.fill("#id_description", "巡查发现1号楼门口井盖松动，已临时围挡并通知物业加固。")
    page.fill("#id_address", "和平路1号院1号楼门口")
    page.wait_for_selector(".ap-map .leaflet-interactive")
    expect(page.locator("#id_category")).to_have_value("")
    page.check("#id_resolve_now")
    page.fill("#id_resolution_note", "已现场加固井盖。")
    worker.shot("form")
    # Without a place in their own grid the form says why, and nothing is saved.
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("只适用于您本人网格内的位置")
    assert not Appeal.objects.exists()
    worker.shot("refused")
    # The worker taps their own grid (the map opens on it, drawn bold) and sends it again.
    page.wait_for_selector('.ap-map[data-ready="1"]')
    page.locator('.ap-map path.leaflet-interactive[stroke-width="3"]').click()
    expect(page.locator("#id_lng")).not_to_have_value("")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/patrol/" not in url)
    worker.shot("done")
    appeal = Appeal.objects.get()
    assert appeal.state == "resolved" and appeal.channel == "patrol"
    assert "不能执行" not in page.inner_text("body")
    worker.close()
