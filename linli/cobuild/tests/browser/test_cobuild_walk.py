"""In headless Chromium, as a new user would: a resident orders a repair on a phone, the community assigns it on a
desktop, the provider reveals the address and fulfils it on a phone, the resident rates it; a need is matched to
a resource from the ranked suggestions; a project is paid from the fund with two approvals and appears on the
public statement. Every page is photographed at 390 × 844 and 1400 × 900."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import confirm_next

from .conftest import cast_with_a_verified_resident, fits, shot, signed_in_context

pytestmark = pytest.mark.browser


# Every table of the page lies within the page's width (on a phone: read as cards, not cut off or scrolled).
TABLES_FIT = (
    "[...document.querySelectorAll('table')].every(t => t.getBoundingClientRect().right <= window.innerWidth + 1"
    " && t.scrollWidth <= t.clientWidth + 1)"
)


def test_order_loop_matching_and_fund_in_the_browser(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.accounts.models import User
    from linli.cobuild import services
    from linli.cobuild.models import Need, Order, Payment, ServiceItem
    from linli.core.roles import Role

    cast = cast_with_a_verified_resident()
    base = live_server.url
    resident = cast.resident
    provider = User.objects.create_user(
        username="plumber", password=None, role=Role.RESIDENT, display_name="赵师傅", phone="13700000001"
    )
    for name, category, desc in [
        ("小修小补", "repair", "水电、门锁、家具小修"),
        ("理发", "haircut", "上门理发"),
        ("义诊", "health", "量血压、测血糖"),
    ]:
        ServiceItem.objects.create(community=cast.community, name=name, category=category, description=desc)
    common = {"community": cast.community, "kind": "skill", "capacity": 3, "radius_m": 2000}
    services.resource_create(
        actor=None,
        name="上门维修",
        provider_name="赵师傅",
        provider_kind="skilled_resident",
        category="repair",
        skills="水电、管道",
        lng=116.402,
        lat=39.902,
        account=provider,
        **common,
    )
    services.resource_create(
        actor=None,
        name="维修班",
        provider_name="远方物业",
        provider_kind="property_company",
        category="repair",
        skills="门窗",
        lng=116.418,
        lat=39.902,
        **common,
    )
    services.resource_create(
        actor=None,
        name="党员志愿服务",
        provider_name="区供电公司",
        provider_kind="partner_unit",
        category="elderly",
        skills="探访、陪伴",
        lng=116.403,
        lat=39.903,
        **common,
    )
    phone = signed_in_context(browser, "phone", resident, base)
    desk = signed_in_context(browser, "desktop", cast.community_worker, base)
    prov = signed_in_context(browser, "phone", provider, base)
    try:
        # 1. The resident orders a repair on the phone (a first try without words is refused, nothing lost).
        p = phone.new_page()
        p.goto(f"{base}/")
        p.get_by_role("link", name="点单服务").first.click()
        expect(p.get_by_role("heading", name="幸福社区服务菜单")).to_be_visible()
        p.get_by_text("小修小补").click()
        shot(p, "phone-home-menu")
        p.get_by_label("需要做什么").fill("厨房水龙头一直滴水")
        p.get_by_role("button", name="点单").click()
        expect(p.get_by_text("点单成功")).to_be_visible()
        assert fits(p)
        shot(p, "phone-order-placed")
        order = Order.objects.get()

        # 2. The community takes it on the desktop and assigns the provider.
        d = desk.new_page()
        d.goto(f"{base}/cobuild/staff/orders/")
        shot(d, "desktop-orders-board")
        d.get_by_role("link", name=order.number).click()
        d.locator("select[name=provider]").select_option(label="赵师傅 · 上门维修")
        d.get_by_role("button", name="派单").click()
        expect(d.get_by_text("已派给赵师傅")).to_be_visible()
        shot(d, "desktop-order-assigned")

        # 3. The provider sees the address only now, then reports the work done with a photo.
        q = prov.new_page()
        q.goto(f"{base}/cobuild/orders/{order.pk}/")
        q.get_by_role("button", name="查看地址和电话（留痕）").click()
        expect(q.get_by_text(cast.household.address)).to_be_visible()
        q.locator("input[name=minutes]").fill("40")
        q.locator("textarea[name=report]").fill("更换了阀芯")
        shot(q, "phone-provider-fulfil")
        q.locator("form[action$='/fulfil/'] button[type=submit]").click()
        expect(q.get_by_text("已报告办结")).to_be_visible()

        # 4. The resident rates it.
        p.goto(f"{base}/cobuild/orders/{order.pk}/")
        p.get_by_text("★★★★★", exact=True).click()
        p.locator("input[name=comment]").fill("很及时")
        p.locator("form[action$='/rate/'] button[type=submit]").click()
        expect(p.get_by_text("感谢您的评价")).to_be_visible()
        assert fits(p)
        shot(p, "phone-order-rated")
        order.refresh_from_db()
        assert order.state == "rated" and order.rating == 5

        # 5. A need is matched to a resource from the ranked suggestions.
        d.goto(f"{base}/cobuild/staff/")
        d.locator("select[name=community]").select_option(label="幸福社区")
        d.locator("input[name=title]").fill("楼道水管漏水")
        d.locator("select[name=category]").select_option("repair")
        # The place is picked on the map (a click moves the pin; apPlace is the same step, at a known point).
        d.wait_for_selector('.cb-map[data-ready="1"]')
        d.locator(".cb-map").evaluate("el => el.apPlace(39.902, 116.402)")
        expect(d.locator("input[name=lng]")).to_have_value("116.402000")
        expect(d.locator(".cb-map .leaflet-marker-icon")).to_have_count(1)
        d.get_by_role("button", name="添加").click()
        expect(d.get_by_role("heading", name="推荐资源")).to_be_visible()
        rows = d.locator("tbody tr")
        expect(rows.first).to_contain_text("赵师傅")  # near, skilled, idle
        shot(d, "desktop-need-suggestions")
        rows.first.get_by_role("button", name="匹配").click()
        expect(d.get_by_text("已通知双方")).to_be_visible()

        # 6. A project with a budget, income, a payment with two approvals, the public statement.
        d.goto(f"{base}/cobuild/staff/projects/")
        d.locator("select[name=community]").select_option(label="幸福社区")
        d.locator("input[name=title]").fill("楼道水管更换")
        d.locator("input[name=budget]").fill("3000")
        d.locator("input[name=match_ids]").first.check()
        d.get_by_role("button", name="立项").click()
        expect(d.get_by_text("项目已列入清单")).to_be_visible()
        shot(d, "desktop-projects")
        d.goto(f"{base}/cobuild/staff/fund/")
        # The forms are folded under their titles: one click opens each.
        income = d.locator("form", has=d.locator("input[value=income]"))
        expect(income).to_be_hidden()
        d.locator("#income > summary").click()
        income.locator("input[name=source]").fill("阳光物业")
        income.locator("input[name=amount]").fill("5000")
        income.locator("input[name=memo]").fill("公益捐赠")
        income.locator("button[type=submit]").click()
        expect(d.get_by_text("收入已记录")).to_be_visible()
        pay = d.locator("form", has=d.locator("input[value=payment]"))
        d.locator("#payment > summary").click()
        pay.locator("select[name=project]").select_option(label="楼道水管更换")
        pay.locator("input[name=payee]").fill("明亮水暖")
        pay.locator("input[name=amount]").fill("1200")
        pay.locator("input[name=purpose]").fill("水管及人工")
        pay.locator("input[name=receipt]").set_input_files(
            files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 receipt"}]
        )
        pay.locator("button[type=submit]").click()
        expect(d.get_by_text("付款申请已提交")).to_be_visible()
        payment = Payment.objects.get()
        # The one who asked may not approve: the page offers them no 通过 and says why.
        expect(d.locator("form[action$='/approve/']")).to_have_count(0)
        expect(d.get_by_text("付款申请人不能审批自己的申请")).to_be_visible()
        shot(d, "desktop-fund")
        # Two other people approve it in their own browsers; the second approval pays.
        for approver, said in ((cast.street_officer, "已审批，待第二人审批"), (cast.admin, "已支付")):
            other = signed_in_context(browser, "desktop", approver, base)
            try:
                a = other.new_page()
                a.goto(f"{base}/cobuild/staff/fund/?community={cast.community.pk}")
                confirm_next(a)
                a.locator("form[action$='/approve/'] button").first.click()
                expect(a.get_by_text(said)).to_be_visible()
                if approver == cast.admin:
                    shot(a, "desktop-fund-paid")
            finally:
                other.close()
        payment.refresh_from_db()
        assert payment.state == "paid"
        d.goto(f"{base}/cobuild/public/{cast.community.code}/")
        expect(d.get_by_text("楼道水管更换").first).to_be_visible()
        expect(d.get_by_text("1,200.00").first).to_be_visible()
        # The project's own account: 1200 allocated from the fund and 1200 paid from it to the payee.
        accounts = d.locator("#project-accounts")
        expect(accounts.locator("tr", has_text="楼道水管更换")).to_contain_text(
            re.compile(r"1,?200\.00.*1,?200\.00")
        )
        shot(d, "desktop-public")
        # The staff's fund page shows any period: this quarter, from the same parser as the public page.
        d.goto(f"{base}/cobuild/staff/fund/?community={cast.community.pk}")
        today = timezone.localdate()
        quarter = (today.month - 1) // 3 + 1
        form = d.locator(".cb-period form", has=d.locator("select[name=quarter]"))
        form.locator("select[name=quarter]").select_option(str(quarter))
        form.get_by_role("button").click()
        first = today.replace(month=3 * quarter - 2, day=1)
        expect(d.locator("#statement h2")).to_contain_text(first.isoformat())
        expect(d.locator("#project-accounts")).to_contain_text("楼道水管更换")
        shot(d, "desktop-fund-quarter")
        p.goto(f"{base}/cobuild/public/{cast.community.code}/")
        assert fits(p)
        assert cast.household.address not in p.content()
        shot(p, "phone-public")
        for name, url in [
            ("phone-wishes", "/cobuild/wishes/"),
            ("phone-need-new", "/cobuild/needs/new/"),
            ("phone-my-orders", "/cobuild/orders/"),
        ]:
            p.goto(f"{base}{url}")
            assert fits(p), name
            shot(p, name)
        for name, url in [
            ("desktop-needs", "/cobuild/staff/"),
            ("desktop-resources", "/cobuild/staff/resources/"),
            ("desktop-wishes", "/cobuild/staff/wishes/"),
        ]:
            d.goto(f"{base}{url}")
            shot(d, name)
        d.set_viewport_size({"width": 390, "height": 844})
        for name, url in [
            ("phone-staff-orders", "/cobuild/staff/orders/"),
            ("phone-staff-fund", "/cobuild/staff/fund/"),
            ("phone-staff-needs", "/cobuild/staff/"),
            ("phone-staff-need", f"/cobuild/staff/needs/{Need.objects.get(title='楼道水管漏水').pk}/"),
            ("phone-staff-resources", "/cobuild/staff/resources/"),
            ("phone-staff-projects", "/cobuild/staff/projects/"),
            ("phone-staff-wishes", "/cobuild/staff/wishes/"),
        ]:
            d.goto(f"{base}{url}")
            assert d.evaluate(TABLES_FIT), (
                name
            )  # each table a column of cards, none cut off or scrolled sideways
            shot(d, name)
    finally:
        phone.close()
        desk.close()
        prov.close()
