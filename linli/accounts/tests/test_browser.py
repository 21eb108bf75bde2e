"""In headless Chromium: a resident signs in on a phone with an SMS code (htmx), claims a household, and a
community worker verifies it on a desktop. On the phone, the links on a line of their own (the other sign-in,
更换手机号, the staff accounts from the claims: 19-21 px) are 44 px high, and the account page's cards stand at the
page's gap (16 px), not 80 px apart."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from linli.accounts.tests.codes import last_code
from linli.core import sms
from linli.testing import PASSWORD
from linli.testing.browser import SCREENSHOTS, browser_context, short_targets, sign_in_context, sized_context

pytestmark = pytest.mark.browser


_HEIGHTS = "rows => rows.map(r => Math.round(r.getBoundingClientRect().height))"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"accounts-{name}.png"), full_page=True)


def test_resident_signs_in_by_code_claims_a_household_and_a_worker_verifies_it(
    live_server: Any, transactional_db: None, browser: Any, sms_outbox: list[sms.SMSMessage]
) -> None:
    from playwright.sync_api import expect

    from linli.testing import build_cast

    cast = build_cast()
    errors: list[str] = []
    phone = browser_context(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone.on("weberror", lambda e: errors.append(str(e.error)))
    page = phone.new_page()
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    short: dict[str, list[str]] = {}
    page.goto(f"{live_server.url}/login/")
    short["staff sign-in"] = short_targets(page, ".link-line a")
    page.goto(f"{live_server.url}/accounts/resident/login/")
    short["resident sign-in"] = short_targets(page, ".link-line a")
    page.get_by_label("手机号").fill("13512345678")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_label("验证码")).to_be_visible()
    expect(page.get_by_text("135****5678")).to_be_visible()
    assert page.locator(".link-line a").count() == 2  # 更换手机号 and the staff sign-in
    short["code step"] = short_targets(page, ".link-line a, .link-line button")
    _shot(page, "phone-resident-code")
    code = last_code(sms_outbox)
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")  # the resident's home; their account is one link away
    page.locator("main").get_by_role("link", name="我的账号").click()
    expect(page.get_by_role("heading", name="我的账号")).to_be_visible()

    page.get_by_label("楼栋地址").fill("和平路1号院1号楼")
    page.get_by_label("单元").fill("1")
    page.get_by_label("房号").fill("101")
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_role("button", name="提交认领").click()
    expect(page.get_by_text("认领已提交")).to_be_visible()
    _shot(page, "phone-resident-me-pending")
    tops = page.eval_on_selector_all(
        ".resident-me > .card",
        "cards => cards.map(c => [c.getBoundingClientRect().top, c.getBoundingClientRect().bottom])",
    )
    assert len(tops) == 3  # the account, the claim waiting, the claims
    assert [round(top - bottom) for (_, bottom), (top, _) in pairwise(tops)] == [16, 16]

    desktop = browser_context(browser, viewport={"width": 1366, "height": 900})
    desktop.on("weberror", lambda e: errors.append(str(e.error)))
    staff = desktop.new_page()
    staff.goto(f"{live_server.url}/login/")
    staff.get_by_label("用户名").fill(cast.community_worker.username)
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url(f"{live_server.url}/")
    staff.goto(f"{live_server.url}/accounts/verifications/")
    expect(staff.get_by_text("与本户登记一致")).to_be_visible()
    _shot(staff, "desktop-verifications")
    staff.get_by_role("button", name="通过").click()
    expect(staff.get_by_text("暂无待核验的认领")).to_be_visible()
    _shot(staff, "desktop-verifications-done")

    page.reload()
    expect(page.get_by_role("definition").filter(has_text="和平路1号院1号楼1单元101")).to_contain_text(
        "已核验"
    )
    _shot(page, "phone-resident-me-verified")

    worker_phone = sized_context(browser, "phone")
    sign_in_context(worker_phone, cast.community_worker, live_server.url)
    claims = worker_phone.new_page()
    claims.goto(f"{live_server.url}/accounts/verifications/")
    short["claims"] = short_targets(claims, ".link-line a")
    # A decided claim is two lines on a phone (the name and its decision; the household, who and when), not a card
    # of five labelled lines (about 180 px); the staff accounts likewise, a card of six (about 200 px).
    heights = {"decided": claims.eval_on_selector_all("#decided tbody tr", _HEIGHTS)}
    claims.goto(f"{live_server.url}/accounts/staff/")
    heights["staff"] = claims.eval_on_selector_all("#results tbody tr", _HEIGHTS)
    short["staff"] = short_targets(claims, "main a, main button, main select, main input")
    _shot(claims, "phone-staff")
    assert heights["decided"] and heights["staff"]
    assert max(heights["decided"]) < 90 and max(heights["staff"]) < 90, heights
    assert short == {key: [] for key in short}
    assert errors == []
    phone.close()
    desktop.close()
    worker_phone.close()
