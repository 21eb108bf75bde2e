"""In headless Chromium: a branch secretary (a community worker) creates a branch on a desktop, a member employed
elsewhere registers by the community's QR code on a phone, the secretary approves and gives a post, and the member
sees the post and its duties."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linli.testing import PASSWORD
from linli.testing.browser import SCREENSHOTS, browser_context

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"party-{name}.png"), full_page=True)


def test_a_secretary_creates_a_branch_approves_a_registration_and_gives_a_post(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.party import services as party
    from linli.testing import build_cast

    cast = build_cast()
    street = party.party_org_create(actor=None, kind="committee", name="和平街道党工委", org_node=cast.street)
    party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community, parent=street
    )
    errors: list[str] = []

    def watch(page: Any) -> Any:
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
            ),
        )
        return page

    desktop = browser_context(browser, viewport={"width": 1400, "height": 900})
    staff = watch(desktop.new_page())
    staff.goto(f"{live_server.url}/login/")
    staff.get_by_label("用户名").fill(cast.community_worker.username)
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url(f"{live_server.url}/")
    staff.get_by_role("link", name="党建引领").first.click()
    staff.get_by_role("link", name="新建党组织").click()
    staff.get_by_label("类型").select_option("branch")
    staff.get_by_label("组织名称").fill("阳光小区党支部")
    staff.get_by_label("上级党组织").select_option(label="幸福社区党委（党委）")
    staff.get_by_label("所在区域").select_option(label="　　阳光小区（小区）")
    _shot(staff, "desktop-org-new")
    staff.get_by_role("button", name="保存").click()
    expect(staff.get_by_role("heading", name="阳光小区党支部")).to_be_visible()
    _shot(staff, "desktop-org-detail")

    phone = browser_context(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    member = watch(phone.new_page())
    member.goto(f"{live_server.url}/party/join/{cast.community.code}/?src=qr")
    member.get_by_label("您的姓名").fill("陈红")
    member.get_by_label("手机号").fill("13700001111")
    member.get_by_label("工作单位").fill("区人民医院")
    member.get_by_label("单位所在党组织").fill("区人民医院党委第二支部")
    member.get_by_label("专长").select_option("medical")
    member.get_by_label("可服务时间").select_option("weekends")
    _shot(member, "phone-join")
    member.get_by_role("button", name="提交报到").click()
    expect(member.get_by_text("报到已提交")).to_be_visible()
    my_page = member.url
    _shot(member, "phone-registration-pending")

    staff.goto(f"{live_server.url}/party/registrations/")
    staff.get_by_role("link", name="陈红").click()
    staff.get_by_role("button", name="通过报到").click()
    expect(staff.get_by_text("已通过，待安排岗位").first).to_be_visible()
    staff.get_by_label("网格").select_option(label="阳光一网格")
    expect(staff.get_by_label(re.compile(r"^岗位\*?$"))).to_have_value("健康服务岗")
    _shot(staff, "desktop-registration-decide")
    staff.get_by_role("button", name="安排岗位").click()
    expect(staff.get_by_text("阳光一网格 · 健康服务岗")).to_be_visible()

    member.goto(my_page.split("?")[0])
    expect(member.get_by_role("heading", name="健康服务岗")).to_be_visible()
    expect(member.get_by_text("为网格内老人测量血压")).to_be_visible()
    _shot(member, "phone-registration-post")
    assert errors == []
    desktop.close()
    phone.close()
