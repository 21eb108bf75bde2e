"""In headless Chromium, as new users would: a community worker gives an old man's visits to a volunteer of the
community on the plan's page and sees the reassessments due at the desk; the volunteer signs in on their phone,
finds today's visit, records it at the home (the phone's position checked) and their time is paid into the time
bank once. Photographed at 390 × 844 and 1366 × 900."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from linli.testing import Cast

from .conftest import shot

pytestmark = pytest.mark.browser

HOME = {"longitude": 116.4021, "latitude": 39.9021}  # beside the cast's building


def test_a_volunteer_is_given_the_visits_and_records_one_on_the_phone(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    from playwright.sync_api import expect

    from linli.accounts.models import User
    from linli.care import services
    from linli.care.models import CarePlan
    from linli.volunteers.models import BankAccount
    from linli.volunteers.services.people import volunteer_enrol

    cast = live_cast
    base = live_server.url
    plan = red_plan()
    # The level was confirmed long ago: its reassessment is overdue.
    CarePlan.objects.filter(pk=plan.pk).update(reassess_on=timezone.localdate() - dt.timedelta(days=5))
    account = User.objects.create_user(
        username="vol", password="x", role="resident", phone="13700000001", display_name="周志愿"
    )
    volunteer_enrol(
        actor=None, community=cast.community, name="周志愿", phone="13700000001", account_id=account.pk
    )

    dpage = open_as(cast.community_worker, "desktop", "/care/plans/", f"/care/plans/{plan.pk}/")
    dpage.goto(f"{base}/care/plans/")
    reassess = dpage.locator("#reassess")
    expect(reassess.get_by_role("heading", name="待复评")).to_be_visible()
    expect(reassess.get_by_text("已超期")).to_be_visible()
    shot(dpage, "reassess-desktop")
    dpage.goto(f"{base}/care/plans/{plan.pk}/")
    dpage.get_by_text("更换探访人").click()
    dpage.locator("select[name=caregiver]").select_option(label="周志愿")
    shot(dpage, "plan-visitor-desktop")
    dpage.get_by_role("button", name="自今日起分配探访").click()
    expect(dpage.get_by_text("自今日起的探访已分配。")).to_be_visible()
    expect(dpage.locator(".care-facts")).to_contain_text("周志愿 志愿者")
    shot(dpage, "plan-assigned-desktop")

    page = open_as(account, "phone", "/care/", geolocation=HOME, permissions=["geolocation"])
    page.goto(f"{base}/care/")
    expect(page.get_by_role("heading", name="今日探访")).to_be_visible()
    expect(page.get_by_role("link", name="关爱对象")).to_have_count(0)  # no staff tabs for a volunteer
    shot(page, "visitor-today-phone")
    page.locator(".care-card", has_text="张三").get_by_role("link", name="记录探访").click()
    expect(page.get_by_text("请允许手机共享位置")).to_be_visible()
    expect(page.locator("[name=lng]")).to_have_value("116.402100")  # the phone's position, filled in
    page.get_by_label("走访情况").fill("精神不错，帮忙打扫了厨房")
    page.get_by_label("用时（分钟）").fill("40")
    shot(page, "visitor-record-phone")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已记录，谢谢。")).to_be_visible()
    expect(page.get_by_role("heading", name="今日已完成")).to_be_visible()
    shot(page, "visitor-done-phone")
    assert page.request.get(f"{base}/care/plans/{plan.pk}/").status == 403

    assert services.care_contact_hours_hand_over() == 1
    assert services.care_contact_hours_hand_over() == 0
    assert BankAccount.objects.get(volunteer__account=account).balance == Decimal("0.67")

    dpage.goto(f"{base}/care/plans/{plan.pk}/")
    expect(dpage.get_by_text("精神不错，帮忙打扫了厨房")).to_be_visible()
    shot(dpage, "plan-done-by-volunteer-desktop")
