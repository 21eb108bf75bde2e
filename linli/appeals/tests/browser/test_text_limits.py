"""In headless Chromium: a resident pastes a description longer than the limit into the report form. The browser
keeps all of it (no `maxlength` cuts it), the counter says it is over and by how much, and sending it brings the
form back with all of it and the limit named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linli.testing.browser import sign_in_context, sized_context

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[4] / "screenshots"
PASTED = "楼道灯坏了，" * 350  # 2100 characters


@pytest.mark.parametrize("size", ["phone"])
def test_a_pasted_description_over_the_limit_is_kept_whole_and_refused_with_the_limit(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.testing import build_cast

    cast = build_cast()
    context = sized_context(browser, size)
    sign_in_context(context, cast.resident, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/new/")
    description = page.locator("#id_description")
    description.focus()
    page.keyboard.insert_text(PASTED)  # as a paste puts it in
    # A maxlength of 2000 cut the last 100 without a word.
    assert len(description.input_value()) == len(PASTED)
    expect(page.locator("#id_description + .text-counter")).to_have_text("超出 100 字")
    page.locator("#appeal-form button[type=submit].ap-primary").click()
    expect(page.locator("#appeal-form .form-errors")).to_be_visible()
    said = "问题描述太长：最多 2000 个字（您已输入 2100 个字）。"
    expect(page.locator("#appeal-form")).to_contain_text(said)
    assert page.locator("#id_description").input_value() == PASTED  # nothing typed is lost
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"appeals-report-too-long-{size}.png"), full_page=True)
    assert Appeal.objects.count() == 0
    context.close()
