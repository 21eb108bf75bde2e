"""In headless Chromium at phone (390 × 844) and desktop (1400 × 900) size (issue 11, abuse): a guest reporting on
the form proves the mobile number with a one-time code inside it — sends the code, types a wrong one and is told,
types the right one — submits, and the tracking number goes to that number by SMS."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SIZES, sized_context

pytestmark = pytest.mark.browser

PHONE = "13600007777"


def _code() -> str:
    from linli.core.crypto import decrypt
    from linli.core.models import OutboxMessage

    message = OutboxMessage.objects.filter(recipient=PHONE, payload__has_key="sealed_text").latest("id")
    match = re.search(r"\d{6}", decrypt(message.payload["sealed_text"]))
    assert match
    return match.group(0)


@pytest.mark.parametrize("size", SIZES)
def test_a_guest_proves_the_number_in_the_report_form_and_gets_the_tracking_sms(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import Appeal
    from linli.core.models import OutboxMessage
    from linli.testing import build_cast

    cast = build_cast()
    context = sized_context(browser, size)
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/new/?grid=G001")
    page.click("label:has(input[value=complaint])")
    page.fill("#id_title", "路灯坏了")
    page.fill("#id_description", "小区门口路灯不亮，晚上出行很不方便。")
    page.select_option("#id_category", "property_management.property_service")
    page.fill("#id_contact_phone", PHONE)
    proof = page.locator("#phone-proof")
    expect(proof).to_contain_text("未验证的号码不发送短信")
    proof.get_by_role("button", name="发送验证码").click()
    expect(page.locator("#phone-code")).to_be_visible()
    expect(page.locator("#phone-proof")).to_contain_text("136****7777")
    not_it = f"{(int(_code()) + 1) % 10**6:06d}"
    page.fill("#phone-code", not_it)
    page.locator("#phone-proof").get_by_role("button", name="验证", exact=True).click()
    expect(page.locator("#phone-proof .errorlist")).to_contain_text("验证码不正确")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#phone-proof").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"appeals-phone-proof-wrong-{size}.png"), full_page=True)
    page.fill("#phone-code", _code())
    page.locator("#phone-proof").get_by_role("button", name="验证", exact=True).click()
    expect(page.locator("#phone-proof")).to_contain_text("已验证")
    page.screenshot(path=str(SCREENSHOTS / f"appeals-phone-proof-proven-{size}.png"), full_page=True)
    page.click("button[type=submit]:has-text('提交')")
    page.wait_for_selector("#tracking-number")
    expect(page.locator("body")).to_contain_text("编号也会以短信发送给您")
    page.screenshot(path=str(SCREENSHOTS / f"appeals-phone-proof-submitted-{size}.png"), full_page=True)
    appeal = Appeal.objects.get(tracking_number=page.inner_text("#tracking-number").strip())
    assert appeal.resident is not None and appeal.resident.phone == PHONE
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    texts = [m.payload.get("text", "") for m in OutboxMessage.objects.filter(recipient=PHONE)]
    assert any(appeal.tracking_number in text for text in texts)
    assert not errors
    context.close()
