"""In headless Chromium, as a new user would: every htmx error is shown, map pins load with the static files
collected as in production, and residents and guests each have a home at /."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from linli.accounts.tests.codes import last_code
from linli.core import sms
from linli.testing.browser import SCREENSHOTS, browser_context

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"web-{name}.png"), full_page=True)


@pytest.fixture
def sms_outbox(settings: Any) -> Iterator[list[sms.SMSMessage]]:
    settings.LINLI_SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _watch(page: Any, errors: list[str]) -> None:
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)


def test_htmx_errors_are_shown_wrong_code_bad_phone_and_a_network_failure(
    live_server: Any, transactional_db: None, browser: Any, sms_outbox: list[sms.SMSMessage]
) -> None:
    from playwright.sync_api import expect

    context = browser_context(browser, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/resident/login/")

    # A number that is no mobile number: the server says why (422) and the page shows it.
    page.get_by_label("手机号").fill("12345")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#login-step [role=alert]")).to_contain_text("手机号")

    # A wrong code: the server's message with the attempts left.
    page.get_by_label("手机号").fill("13512345678")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_label("验证码")).to_be_visible()
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    page.get_by_label("验证码").fill(wrong)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#login-step [role=alert]")).to_contain_text("验证码不正确")
    expect(page.get_by_label("验证码")).to_have_value(wrong)
    _shot(page, "phone-wrong-code")

    # The network fails: a clear message in Chinese in the site's message area, and the form stays usable.
    page.route("**/accounts/resident/login/verify/", lambda route: route.abort())
    page.get_by_role("button", name="登录").click()
    alert = page.locator("#site-alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("网络")
    page.unroute("**/accounts/resident/login/verify/")

    # A server error: a generic message, never the raw error page inside the form.
    page.route(
        "**/accounts/resident/login/verify/",
        lambda route: route.fulfill(status=500, body="<h1>Server Error (500)</h1>", content_type="text/html"),
    )
    page.get_by_role("button", name="登录").click()
    expect(alert).to_contain_text("服务器")
    expect(page.locator("#login-step")).not_to_contain_text("Server Error")
    _shot(page, "phone-server-error")
    context.close()


@pytest.fixture
def collected_static(settings: Any, tmp_path: Path) -> None:
    """Static files as production serves them: collected by the manifest storage, with hashed names."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    # The live server finds static files through the finders: let them find the collected (hashed) files only.
    settings.STATICFILES_DIRS = [settings.STATIC_ROOT]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]


def test_map_pins_load_with_static_files_collected_as_in_production(
    live_server: Any, transactional_db: None, browser: Any, collected_static: None
) -> None:
    from playwright.sync_api import expect

    from linli.testing import build_cast

    build_cast()
    context = browser_context(browser, **PHONE)
    page = context.new_page()
    errors: list[str] = []
    _watch(page, errors)
    page.goto(f"{live_server.url}/appeals/new/")
    the_map = page.locator(".ap-map").first
    expect(the_map).to_be_visible()
    the_map.click(position={"x": 120, "y": 90})
    pin = page.locator("img.leaflet-marker-icon")
    expect(pin).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.leaflet-marker-icon')].every(i => i.complete)"
    )
    assert pin.evaluate("img => img.naturalWidth") > 0, pin.get_attribute("src")
    assert "/static/vendor/leaflet/images/marker-icon" in (pin.get_attribute("src") or "")
    _shot(page, "phone-map-pin")
    assert [e for e in errors if "favicon" not in e] == []
    context.close()


def test_guest_and_resident_each_have_a_home_and_the_logo_leads_there(
    live_server: Any, transactional_db: None, browser: Any, sms_outbox: list[sms.SMSMessage]
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services as appeals
    from linli.testing import build_cast

    cast = build_cast()
    appeals.appeal_submit(
        actor=cast.resident,
        kind="complaint",
        title="楼道灯坏了",
        description="3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。",
        channel="web",
        category_code="property_management.property_service",
        grid=cast.grid,
    )
    context = browser_context(browser, **PHONE)
    page = context.new_page()
    errors: list[str] = []
    _watch(page, errors)

    # A guest at / gets the public front page.
    page.goto(f"{live_server.url}/")
    front = page.locator("main")
    expect(front.get_by_role("link", name="我要反映")).to_have_attribute("href", "/appeals/new/")
    expect(front.get_by_role("link", name="进度查询")).to_have_attribute("href", "/appeals/track/")
    expect(front.get_by_role("link", name="居民登录")).to_have_attribute("href", "/accounts/resident/login/")
    expect(front.get_by_role("link", name="工作人员登录")).to_have_attribute("href", "/login/")
    expect(front.get_by_role("link", name="公开数据")).to_have_attribute("href", "/public/")
    _shot(page, "phone-guest-front")

    # The resident signs in and lands on their home: report, their appeals with the state, their household.
    front.get_by_role("link", name="居民登录").click()
    page.get_by_label("手机号").fill(cast.resident.phone)
    page.get_by_role("button", name="获取验证码").click()
    # The code's field comes with the answer, after the message left: read the code only then.
    expect(page.get_by_label("验证码")).to_be_visible()
    code = last_code(sms_outbox)
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    home = page.locator("main")
    expect(home.get_by_role("link", name="我要反映")).to_be_visible()
    mine = home.locator("section.my-appeals")
    expect(mine.get_by_role("link", name="楼道灯坏了")).to_be_visible()
    expect(mine).to_contain_text("已派单")
    expect(home.get_by_role("link", name="进度查询")).to_be_visible()
    expect(home.get_by_role("link", name="公开数据")).to_be_visible()
    expect(home.locator("section.my-household")).to_contain_text("尚未绑定住户")
    _shot(page, "phone-resident-home")

    # The logo leads home from the resident's other pages, never to a staff page.
    page.goto(f"{live_server.url}/appeals/mine/")
    page.locator("header .brand").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(home.locator("section.my-appeals")).to_be_visible()
    assert errors == []
    context.close()


def test_an_htmx_request_after_the_session_expired_opens_the_sign_in_page(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.testing import PASSWORD, build_cast

    cast = build_cast()
    context = browser_context(browser, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(cast.community_worker.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/territory/residents/")
    context.clear_cookies(name="sessionid")
    page.get_by_label("查询").fill("张三")
    page.wait_for_url(re.compile(r"/login/\?next="))
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    expect(page.locator("#results")).to_have_count(0)  # the page itself, not nested in the list
    context.close()
