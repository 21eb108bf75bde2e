"""In headless Chromium, as new users would: a grid worker's phone shows today's visits (a missed one escalated
overnight at the top), records one; a community worker reads the care plans at the desk; a neighbour dispute
goes from an appeal to a mediation case, a session, an agreement PDF and a follow-up that answers the appeal.
Every page of the app is photographed at 390 × 844 and 1366 × 900."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from linli.testing import Cast

from .conftest import shot

pytestmark = pytest.mark.browser


def test_visits_on_the_phone_and_a_dispute_from_appeal_to_follow_up(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services as appeals
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import submit
    from linli.care import services
    from linli.care.models import MediationCase
    from linli.territory import services as territory

    cast = live_cast
    base = live_server.url
    red_plan(days_ago=3)
    neighbour = territory.resident_create(
        actor=None,
        household=cast.household,
        name="李秀兰",
        gender="female",
        birth_date=dt.date(1938, 2, 1),
        tags=["elderly_alone", "disabled"],
        care_level="red",
    )
    services.care_plan_confirm(
        actor=cast.grid_worker, resident=neighbour, level="red", reason="独居、残疾，八十八岁"
    )
    services.care_contacts_chase()  # three days on: the first day's visit and call were never done

    page = open_as(cast.grid_worker, "phone")
    page.goto(f"{base}/care/")
    expect(page.get_by_role("heading", name="今日探访")).to_be_visible()
    expect(page.get_by_text("已上报社区").first).to_be_visible()
    shot(page, "today-phone")
    page.locator(".care-card", has_text="李秀兰").get_by_role("link", name="记录探访").click()
    expect(page.get_by_role("heading", name="上门探访 · 李秀兰 红码")).to_be_visible()
    page.get_by_label("走访情况").fill("好")
    page.get_by_label("提出的需求").fill("想订老年餐")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("至少 4 个字")).to_be_visible()
    expect(page.get_by_label("提出的需求")).to_have_value("想订老年餐")
    shot(page, "record-refused-phone")
    page.get_by_label("走访情况").fill("精神尚好，午饭凑合，冰箱空了")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已记录，谢谢。")).to_be_visible()
    expect(page.get_by_role("heading", name="今日已完成")).to_be_visible()
    shot(page, "today-after-phone")

    dpage = open_as(cast.community_worker, "desktop")
    dpage.goto(f"{base}/care/plans/")
    expect(dpage.get_by_role("heading", name="错过与上报")).to_be_visible()
    shot(dpage, "plans-desktop")
    dpage.get_by_role("link", name="张三").first.click()
    expect(dpage.get_by_text("本次查看已留痕")).to_be_visible()
    shot(dpage, "plan-desktop")
    dpage.goto(f"{base}/care/residents/{cast.resident_record.pk}/assess/")
    expect(dpage.get_by_text("规则建议")).to_be_visible()
    shot(dpage, "assess-desktop")
    page.goto(f"{base}/care/plans/")
    shot(page, "plans-phone")

    # A neighbour dispute reported as an appeal becomes a mediation case in one step.
    appeal = submit(
        cast,
        title="楼上噪音扰民",
        description="楼上每天深夜拖动家具，多次沟通无果，希望社区出面调解。",
        category_code="public_safety.neighbour_disputes",
    )
    appeals.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    page.goto(f"{base}/care/cases/new/?appeal={appeal.tracking_number}")
    page.get_by_label("网格").select_option(str(cast.grid.pk))
    page.get_by_label("纠纷情况").fill("楼上深夜拖动家具，楼下老人无法入睡")
    page.get_by_label("申请人", exact=True).fill("张三")
    page.get_by_label("被申请人", exact=True).fill("钱先生")
    shot(page, "case-new-phone")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记")).to_be_visible()
    page.get_by_text("记录一次调解").click()
    page.get_by_label("调解时间").fill(
        (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("参加人员").fill("张三、钱先生、王网格")
    page.get_by_label("备注").fill("双方陈述，约定晚十点后不拖动家具")
    page.locator("#act-session").get_by_role("button", name="保存").click()
    expect(page.get_by_text("调解中").first).to_be_visible()
    page.get_by_text("登记调解协议").click()
    page.get_by_label("协议内容").fill("钱先生晚十点后不拖动家具，椅脚加装软垫；张三不再追究")
    page.get_by_label("签订日期").fill(timezone.localdate().isoformat())
    page.locator("#act-sign").get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="调解协议书（PDF）")).to_be_visible()
    shot(page, "case-agreed-phone")
    case = MediationCase.objects.get()
    pdf = page.request.get(f"{base}/care/cases/{case.pk}/agreement.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.get_by_text("记录回访").click()
    page.get_by_label("回访情况").fill("回访两周，夜间不再有噪音")
    page.locator("#act-follow_up").get_by_role("button", name="保存").click()
    expect(page.get_by_text("调解成功")).to_be_visible()
    assert Appeal.objects.get(pk=appeal.pk).state == "resolved"

    dpage.goto(f"{base}/care/cases/")
    expect(dpage.get_by_role("link", name=case.number)).to_be_visible()
    shot(dpage, "cases-desktop")
    dpage.goto(f"{base}/care/cases/{case.pk}/")
    expect(dpage.get_by_text("诉求 " + appeal.tracking_number + " 已答复。")).to_be_visible()
    shot(dpage, "case-desktop")
    dpage.goto(f"{base}/care/")
    shot(dpage, "today-desktop")
    page.goto(f"{base}/care/cases/")
    shot(page, "cases-phone")
