"""In headless Chromium, the rest of care as new users would try it: a community worker books a bathing service on a
plan's page and issues the alert link; the grid worker, visiting on the phone, finds the resident fallen and taps
the alert (an emergency work order opens); the family's phone opens the button at home; a child joins an
after-school class's waiting list; a wage claim goes from a legal-aid application to a lawyer on the rota and an
outcome; an appeal that is not a dispute is refused as a mediation case with a clear message; the dashboard shows
the care panel. Pages are photographed at 390 × 844 and 1366 × 900."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from linli.testing import Cast
from linli.testing.browser import confirm_next, sign_in_context

from .conftest import shot

pytestmark = pytest.mark.browser


def test_services_alerts_children_legal_aid_and_the_dashboard(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import submit
    from linli.care import services
    from linli.care.models import CareAlert, CarePlan

    cast = live_cast
    base = live_server.url
    plan = red_plan()
    services.rota_add(
        actor=cast.community_worker,
        community=cast.community,
        kind="lawyer",
        name="王明理律师",
        organisation="明理律师事务所",
        weekdays="1234567",
    )
    place = services.child_place_create(
        actor=cast.community_worker,
        community=cast.community,
        kind="after_school",
        name="四点半课堂",
        capacity=1,
    )
    services.enrolment_create(
        actor=cast.community_worker,
        place=place,
        child_name="乐乐",
        birth_date=dt.date(2017, 4, 1),
        guardian_name="乐乐妈妈",
        guardian_phone="13700000001",
    )

    d = open_as(cast.community_worker, "desktop", f"/care/plans/{plan.pk}/")
    d.goto(f"{base}/care/plans/{plan.pk}/")
    d.get_by_label("服务", exact=True).select_option("bathing")
    d.get_by_label("提供方").fill("幸福社区助浴队")
    d.get_by_label("预约日期").fill(timezone.localdate().isoformat())
    d.get_by_label("服务人").select_option(str(cast.grid_worker.pk))
    d.get_by_role("button", name="预约", exact=True).click()
    expect(d.get_by_text("服务已预约。")).to_be_visible()
    d.get_by_role("button", name="生成居家呼叫链接").click()
    expect(d.get_by_text("已生成新的呼叫链接")).to_be_visible()
    expect(d.get_by_role("img", name="居家一键呼叫二维码")).to_be_visible()
    shot(d, "plan-services-desktop")
    token = CarePlan.objects.get(pk=plan.pk).alert_token

    p = open_as(cast.grid_worker, "phone")
    p.goto(f"{base}/care/")
    expect(p.get_by_role("heading", name="待提供的服务")).to_be_visible()
    shot(p, "today-services-phone")
    card = p.locator(".care-card", has_text="助浴")
    card.get_by_label("服务内容").fill("协助洗澡，更换床单")
    card.get_by_role("button", name="记为已完成").click()
    expect(p.get_by_text("服务已登记完成。")).to_be_visible()
    visit = plan.contacts.filter(kind="visit").order_by("due_on").first()
    assert visit is not None
    p.goto(f"{base}/care/contacts/{visit.pk}/")
    expect(p.get_by_role("heading", name="一键呼叫")).to_be_visible()
    shot(p, "record-alert-phone")
    asked = confirm_next(p)  # a tap by mistake below 保存 would open an emergency order: it asks first
    p.get_by_role("button", name="摔倒").click()
    expect(p.get_by_text("已派出，已通知社区")).to_be_visible()
    assert asked == ["发起紧急呼叫（摔倒）？将立即生成紧急工单，并通知紧急联系人和社区。"]
    alert = CareAlert.objects.get()
    assert Appeal.objects.get(tracking_number=alert.appeal_number).priority == "emergency"
    expect(p.get_by_text(alert.appeal_number).first).to_be_visible()
    shot(p, "plan-after-alert-phone")

    # The family's phone: the button at home, no sign-in.
    h = open_as(None, "phone")
    h.goto(f"{base}/care/alert/{token}/")
    expect(h.get_by_role("button", name="我摔倒了")).to_be_visible()
    shot(h, "home-button-phone")
    h.get_by_role("button", name="我不舒服").click()
    expect(h.get_by_text("工作人员正在赶来。")).to_be_visible()
    shot(h, "home-button-done-phone")

    # A child joins the waiting list of a full class.
    p.goto(f"{base}/care/children/{place.pk}/")
    p.get_by_label("儿童姓名").fill("欢欢")
    p.get_by_label("出生日期").fill("2016-09-01")
    p.get_by_label("监护人", exact=True).fill("欢欢爸爸")
    p.get_by_label("监护人电话").fill("12")
    p.get_by_role("button", name="报名").click()
    expect(p.get_by_role("alert").first).to_be_visible()
    expect(p.get_by_label("儿童姓名")).to_have_value("欢欢")
    p.get_by_label("监护人电话").fill("13700000002")
    p.get_by_role("button", name="报名").click()
    expect(p.get_by_text("学位已满：欢欢 已进入候补名单。")).to_be_visible()
    shot(p, "child-place-phone")
    d.goto(f"{base}/care/children/")
    shot(d, "children-desktop")

    # A wage claim: application, eligibility, a lawyer from the rota, the outcome.
    d.goto(f"{base}/care/legal/new/")
    d.get_by_label("网格").select_option(str(cast.grid.pk))
    d.get_by_label("申请人", exact=True).fill("秦师傅")
    d.get_by_label("援助事项").select_option("wages")
    d.get_by_label("经济困难（低收入、低保）").check()
    d.get_by_label("具体内容").fill("装修公司拖欠三个月工资一万八千元")
    d.get_by_role("button", name="受理").click()
    expect(d.get_by_text("符合条件：属于第三十一条事项")).to_be_visible()
    d.get_by_text("指派律师").click()
    d.get_by_label("律师", exact=True).select_option(label="律师 王明理律师")
    d.locator("#act-assign").get_by_role("button", name="保存").click()
    expect(d.get_by_text("已指派律师").first).to_be_visible()
    d.get_by_text("登记办理结果").click()
    d.locator("#act-conclude").get_by_label("办理结果", exact=True).select_option("won")
    d.get_by_label("办理结果说明").fill("劳动仲裁裁决支付全部工资")
    d.get_by_label("挽回金额（元）").fill("18000")
    # Concluding cannot be undone: the page asks first, and the worker confirms.
    asked: list[str] = []
    d.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    d.locator("#act-conclude").get_by_role("button", name="保存").click()
    expect(d.get_by_text("¥18,000")).to_be_visible()
    assert asked == ["确定登记结果并办结该申请吗？此操作无法撤销。"]
    shot(d, "legal-detail-desktop")
    d.goto(f"{base}/care/legal/")
    shot(d, "legal-desktop")
    d.goto(f"{base}/care/rota/")
    expect(d.get_by_text("王明理律师").first).to_be_visible()
    shot(d, "rota-desktop")
    p.goto(f"{base}/care/rota/")
    shot(p, "rota-phone")

    # An appeal that is not a dispute cannot become a mediation case.
    light = submit(cast)
    d.goto(f"{base}/care/cases/new/?appeal={light.tracking_number}")
    d.get_by_label("网格").select_option(str(cast.grid.pk))
    d.get_by_label("纠纷情况").fill("楼道灯坏了一周")
    d.get_by_label("申请人", exact=True).fill("张三")
    d.get_by_label("被申请人", exact=True).fill("物业")
    d.get_by_role("button", name="登记").click()
    expect(d.get_by_text("不属于纠纷")).to_be_visible()
    shot(d, "case-not-a-dispute-desktop")

    sign_in_context(d.context, cast.street_officer, base)
    d.goto(f"{base}/dashboard/")
    panel = d.locator("#care-panel")
    expect(panel).to_be_visible()
    panel.scroll_into_view_if_needed()
    shot(d, "dashboard-desktop")
    expect(panel).to_contain_text(re.compile(r"¥18,?000"))
    expect(panel).to_contain_text("一键呼叫")
