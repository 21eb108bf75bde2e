"""In headless Chromium: a grid worker puts what a visit found on the needs list from the visit's page, and a
community worker a resident's suggestion from the appeal's page; a project's milestones are reported with a photo
and its progress follows; a partner unit claims the project on its commitment list and keeps a written line; last
quarter's service stars are reviewed, one left out with a reason, and published; the dashboard shows the
co-building panel. Every page is photographed at 390 × 844 and 1400 × 900 and checked to fit a phone."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from linli.testing.browser import SCREENSHOTS, confirm_next, short_targets

from .conftest import cast_with_a_verified_resident, fits, shot, signed_in_context

pytestmark = pytest.mark.browser


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (46, 157, 91)).save(buf, "PNG")
    return buf.getvalue()


def test_needs_from_the_field_milestones_commitments_and_stars_in_the_browser(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.accounts.models import User
    from linli.appeals import services as appeals
    from linli.cobuild import services
    from linli.cobuild.models import Commitment, Need, ServiceItem, StarsRelease
    from linli.core.roles import Role
    from linli.party import services as party
    from linli.territory.models import Visit
    from linli.testing import at

    cast = cast_with_a_verified_resident()
    base = live_server.url
    resident = cast.resident
    repair = ServiceItem.objects.create(community=cast.community, name="小修小补", category="repair")
    common: dict[str, Any] = {"community": cast.community, "kind": "skill", "capacity": 5, "radius_m": 2000}
    providers = []
    for i, name in enumerate(["赵师傅", "钱师傅"]):
        account = User.objects.create_user(
            username=f"p{i}", password=None, role=Role.RESIDENT, display_name=name, phone=f"1370000000{i}"
        )
        providers.append(
            services.resource_create(
                actor=None,
                name="上门维修",
                provider_name=name,
                provider_kind="skilled_resident",
                category="repair",
                skills="水电",
                lng=116.402,
                lat=39.902,
                account=account,
                **common,
            )
        )
    # Last quarter: both providers have two rated orders.
    today = timezone.localdate()
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = start - dt.timedelta(days=20)
    with time_machine.travel(at(last.year, last.month, 10, 10), tick=False):
        for provider, stars in ((providers[0], 5), (providers[0], 5), (providers[1], 4), (providers[1], 5)):
            o = services.order_place(actor=resident, item=repair, note="水龙头滴水")
            services.order_assign(actor=cast.community_worker, order=o, provider=provider)
            services.order_fulfil(actor=None, order=o, fulfilment="whole", minutes=40, report="换了阀芯")
            services.order_rate(actor=resident, order=o, rating=stars)
    visit = Visit.objects.create(
        grid=cast.grid,
        household=cast.household,
        visitor=cast.grid_worker,
        visited_at=timezone.now(),
        found="独居老人王奶奶家厨房灯坏了，自己够不着",
        follow_up="请人上门换灯",
    )
    suggestion = appeals.appeal_submit(
        actor=resident,
        kind="suggestion",
        title="希望小区增设休息座椅",
        description="小区里老人多，散步走累了没地方坐，建议在花园边增设几张座椅。",
        channel="web",
        grid=cast.grid,
    )
    pairing = party.partner_pairing_create(
        actor=None,
        community=cast.community,
        partner_name="区供电公司",
        contact_name="王经理",
        contact_phone="13800000009",
        since=dt.date(today.year, 1, 5),
    )
    services.commitment_add(actor=None, pairing=pairing, title="每季度一次安全用电讲座")

    field = signed_in_context(browser, "phone", cast.grid_worker, base)
    desk = signed_in_context(browser, "desktop", cast.community_worker, base)
    try:
        # 1. The grid worker, on the visit's page on a phone, puts what was found on the needs list.
        g = field.new_page()
        g.goto(f"{base}/territory/visits/{visit.pk}/")
        g.get_by_role("link", name="列入需求清单").click()
        g.locator("select[name=category]").select_option("repair")
        shot(g, "phone-need-from-visit")
        assert fits(g)
        g.get_by_role("button", name="列入需求清单").click()
        expect(g.get_by_text("需求已列入清单")).to_be_visible()
        assert Need.objects.get(visit=visit).source == "visit"
        g.goto(f"{base}/territory/visits/{visit.pk}/")
        expect(g.get_by_role("link", name="列入需求清单")).to_have_count(0)

        # 2. The community worker takes the suggestion from the appeal's page.
        d = desk.new_page()
        d.goto(f"{base}{reverse('appeals:detail', args=[suggestion.pk])}")
        shot(d, "desktop-appeal-need-button")
        d.get_by_role("link", name="列入需求清单").click()
        d.locator("select[name=category]").select_option("space")
        d.locator("input[name=households]").fill("40")
        d.get_by_role("button", name="列入需求清单").click()
        expect(d.get_by_text("需求已列入清单")).to_be_visible()
        need = Need.objects.get(appeal_number=suggestion.tracking_number)
        assert need.households == 40

        # 3. A project for it, milestones, one reported with a photo: progress follows.
        project = services.project_create(
            actor=cast.community_worker, community=cast.community, title="花园休息座椅", budget="4000"
        )
        d.goto(f"{base}/cobuild/staff/projects/{project.pk}/")
        for title, due in (("采购座椅", "2026-12-20"), ("安装完成", "2026-12-30")):
            d.locator("input[name=title]").fill(title)
            d.locator("input[name=due_on]").fill(due)
            d.get_by_role("button", name="添加").click()
            expect(d.get_by_text("里程碑已添加")).to_be_visible()
        reach = d.locator("form.cb-reach").first
        reach.locator("input[name=note]").fill("四张座椅已到货")
        reach.locator("input[name=photo]").set_input_files(
            files=[{"name": "chairs.png", "mimeType": "image/png", "buffer": _png()}]
        )
        reach.get_by_role("button", name="已完成").click()
        expect(d.get_by_text("里程碑已完成，项目进度随之更新")).to_be_visible()
        expect(d.locator(".cb-figure strong").first).to_have_text("50%")
        expect(d.get_by_role("img", name="里程碑“采购座椅”的照片")).to_be_visible()
        shot(d, "desktop-project-milestones")

        # 4. The partner unit claims the project and keeps a written line.
        d.goto(f"{base}/cobuild/staff/partners/")
        d.locator("select[name=pairing]").select_option(index=1)
        d.locator("select[name=project]").select_option(label="花园休息座椅")
        d.get_by_role("button", name="添加").click()
        expect(d.get_by_text("已加入该单位的承诺清单")).to_be_visible()
        keep = d.locator("form[action$='/fulfil/']").first
        keep.locator("input[name=note]").fill("3月讲座60人参加")
        keep.get_by_role("button", name="已兑现").click()
        expect(d.get_by_text("承诺已兑现")).to_be_visible()
        expect(d.get_by_text("1 / 2")).to_be_visible()
        shot(d, "desktop-partners")
        assert Commitment.objects.filter(project=project).exists()

        # 5. Last quarter's stars: one left out with a reason, then published.
        d.goto(f"{base}/cobuild/staff/stars/")
        d.locator(f"input[name=leave_{providers[1].pk}]").check()
        d.locator(f"input[name=why_{providers[1].pk}]").fill("有一单投诉在核实")
        shot(d, "desktop-stars-review")
        asked = confirm_next(d)
        d.get_by_role("button", name="发布服务明星").click()
        expect(d.get_by_text("服务明星已在社区公开页发布")).to_be_visible()
        assert asked == ["确定发布服务明星吗？发布后在社区公开页展示，每个季度只能发布一次。"]
        release = StarsRelease.objects.get()
        assert [s["name"] for s in release.stars] == ["赵师傅"]

        # 6. What the public sees, on a phone and a desktop.
        d.goto(f"{base}/cobuild/public/{cast.community.code}/")
        stars = d.locator("#stars")
        expect(stars).to_contain_text("赵师傅")
        expect(stars).not_to_contain_text("钱师傅")
        expect(d.locator("#commitments")).to_contain_text("区供电公司")
        shot(d, "desktop-public-building")
        g.goto(f"{base}/cobuild/public/{cast.community.code}/")
        assert fits(g)
        shot(g, "phone-public-building")

        # 7. The phone-size staff pages fit.
        d.set_viewport_size({"width": 390, "height": 844})
        for name, url in [
            ("phone-project", f"/cobuild/staff/projects/{project.pk}/"),
            ("phone-partners", "/cobuild/staff/partners/"),
            ("phone-stars", "/cobuild/staff/stars/"),
        ]:
            d.goto(f"{base}{url}")
            shot(d, name)
        # The way from the published stars to the public page is 44 px high to tap (it was 21 px).
        assert short_targets(d, "main a[href$='#stars']") == []
    finally:
        field.close()
        desk.close()

    # 8. The dashboard's co-building panel, for the street.
    street = signed_in_context(browser, "desktop", cast.street_officer, base)
    try:
        s = street.new_page()
        s.goto(f"{base}/dashboard/")
        panel = s.locator("#cobuild-panel")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("共建")
        panel.screenshot(path=str(SCREENSHOTS / "cobuild-desktop-dashboard-panel.png"))
    finally:
        street.close()
