"""In headless Chromium: a worker records a unit's donation to the points store; a volunteer on a phone sees why
an item is out of reach, redeems another once asked what it costs and what is left, and finds it in their points;
the worker hands it over, computes the honours and publishes one; the dashboard shows the volunteering panel. Each
page at 390 × 844 and 1400 × 900."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import browser_context, confirm_next

from .test_volunteer_walk import DESKTOP, PHONE, SCREENSHOTS, _sign_in

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"volunteers-store-{name}.png"), full_page=True)


def test_the_points_store_and_honours(live_server: Any, transactional_db: None, browser: Any) -> None:
    from playwright.sync_api import expect

    from linli.party import services as party
    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.models import PointsEntry, Signup, StoreItem
    from linli.volunteers.services import store
    from linli.volunteers.tests.conftest import resident_volunteer

    cast = build_cast()
    committee = party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community
    )
    me = resident_volunteer(cast)
    team = services.team_create(
        actor=None,
        community=cast.community,
        name="幸福环保志愿队",
        colour="green",
        party_org=committee,
        leader=me,
    )
    starts = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    activity = services.activity_create(
        actor=None,
        community=cast.community,
        team=team,
        title="垃圾分类桶前值守",
        place="阳光小区东门",
        lng=116.402,
        lat=39.902,
        signup_opens_at=starts - dt.timedelta(days=5),
        shifts=[services.ShiftIn(starts, starts + dt.timedelta(hours=3), [("值守员", 4, "")])],
    )
    type(activity).objects.filter(pk=activity.pk).update(state="open")  # it took place (lived in other walks)
    role = activity.shifts.get().roles.get()
    signup = Signup.objects.create(role=role, volunteer=me, state="done", hours=Decimal(120))
    PointsEntry.objects.create(
        volunteer=me, kind="hours", points=60, on=starts.date(), note="垃圾分类桶前值守", signup=signup
    )
    for name, points, quantity in (("洗衣液", 40, 5), ("电饭煲", 500, 1), ("大米 5 公斤", 80, 3)):
        services.store_item_create(
            actor=None, community=cast.community, name=name, points=points, quantity=quantity
        )
    branch = party.party_org_create(
        actor=None, kind="branch", name="阳光小区党支部", org_node=cast.compound, parent=committee
    )
    rating = party.branch_stars_compute(actor=cast.community_worker, branch=branch, year=starts.year)
    rating = party.branch_stars_submit(
        actor=None, rating=rating, claimed_stars=rating.computed_stars, statement="按期完成自查自评。"
    )
    party.branch_stars_approve(actor=cast.street_officer, rating=rating)
    base = live_server.url

    desk = browser_context(browser, **DESKTOP)
    _sign_in(desk, cast.community_worker, base)
    staff = desk.new_page()
    staff.goto(f"{base}/volunteers/staff/store/")
    donation = staff.locator("form.form-grid")
    donation.get_by_label("物品").fill("食用油")
    donation.get_by_label("所需积分").fill("30")
    donation.get_by_label("捐赠数量").fill("10")
    donation.get_by_role("button", name="保存").click()
    expect(staff.get_by_text("物品已上架。")).to_be_visible()
    _shot(staff, "desktop-01-staff-store")

    for ctx_args, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        ctx = browser_context(browser, **ctx_args)
        _sign_in(ctx, cast.resident, base)
        page = ctx.new_page()
        page.goto(f"{base}/volunteers/store/")
        expect(page.locator('[data-reason="points"]').first).to_be_visible()
        _shot(page, f"{label}-02-store")
        if label == "phone":
            # One tap does not spend: the question says what it costs and what is left.
            asked = confirm_next(page)
            page.locator("li[data-item]", has_text="洗衣液").get_by_role("button", name="兑换").click()
            expect(page.get_by_text("已兑换：洗衣液")).to_be_visible()
            assert asked == ["用 40 积分兑换洗衣液吗？兑换后还剩 20 积分。"]
            _shot(page, "phone-03-redeemed")
            page.goto(f"{base}/volunteers/ledger/")
            expect(page.get_by_text("-40")).to_be_visible()
            _shot(page, "phone-04-ledger")
        ctx.close()

    staff.goto(f"{base}/volunteers/staff/store/")
    # Handing over asks nothing (a question unanswered here would stop the form).
    staff.locator("#to-hand-over").get_by_role("button", name="交付领取").click()
    expect(staff.get_by_text("已交付张三。")).to_be_visible()
    # Cancelling a redemption asks first, from its own button in the same form; the points go back.
    PointsEntry.objects.create(volunteer=me, kind="adjustment", points=80, on=starts.date())
    rice = StoreItem.objects.get(name="大米 5 公斤")
    store.redemption_create(actor=None, volunteer=me, item=rice)
    staff.goto(f"{base}/volunteers/staff/store/")
    asked = confirm_next(staff)
    staff.locator("#to-hand-over").get_by_role("button", name="取消并退回积分").click()
    expect(staff.get_by_text("已取消，积分已退回。")).to_be_visible()
    assert asked == ["要取消 张三 兑换的大米 5 公斤并退回 80 积分吗？取消后不能再交付。"]
    staff.goto(f"{base}/volunteers/staff/honours/")
    staff.locator('input[name="year"]').fill(str(starts.year))
    staff.get_by_role("button", name="测评").click()
    expect(staff.locator("#proposed").get_by_text("张三")).to_be_visible()
    _shot(staff, "desktop-05-honours-proposed")
    staff.locator("#proposed").get_by_role("button", name="发布", exact=True).click()
    expect(staff.locator("#reviewed").get_by_text("已发布")).to_be_visible()
    _shot(staff, "desktop-06-honours-published")
    phone = browser_context(browser, **PHONE)
    _sign_in(phone, cast.resident, base)
    mine = phone.new_page()
    mine.goto(f"{base}/volunteers/store/")
    expect(mine.locator("#honours")).to_contain_text("星级志愿者")
    _shot(mine, "phone-07-honour")
    phone_staff = browser_context(browser, **PHONE)
    _sign_in(phone_staff, cast.community_worker, base)
    small = phone_staff.new_page()
    small.goto(f"{base}/volunteers/staff/store/")
    _shot(small, "phone-08-staff-store")
    small.goto(f"{base}/volunteers/staff/honours/")
    _shot(small, "phone-09-staff-honours")

    street = browser_context(browser, **DESKTOP)
    _sign_in(street, cast.street_officer, base)
    dash = street.new_page()
    dash.goto(f"{base}/dashboard/?period=year&date={starts.date():%Y-%m-%d}")
    expect(dash.locator("#volunteers-panel")).to_contain_text("120")
    dash.locator("#volunteers-panel").screenshot(
        path=str(SCREENSHOTS / "volunteers-store-desktop-10-dashboard-panel.png")
    )
    phone_street = browser_context(browser, **PHONE)
    _sign_in(phone_street, cast.street_officer, base)
    pdash = phone_street.new_page()
    pdash.goto(f"{base}/dashboard/?period=year&date={starts.date():%Y-%m-%d}")
    pdash.locator("#volunteers-panel").screenshot(
        path=str(SCREENSHOTS / "volunteers-store-phone-11-dashboard-panel.png")
    )

    for ctx_args, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        anyone = browser_context(browser, **ctx_args)
        public = anyone.new_page()
        public.goto(f"{base}/volunteers/p/{cast.community.code}/")
        expect(public.locator("#past")).to_contain_text("垃圾分类桶前值守")
        expect(public.locator("#honours")).to_contain_text("张三")
        _shot(public, f"{label}-12-public-community")
        anyone.close()
