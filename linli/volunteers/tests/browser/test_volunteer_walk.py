"""In headless Chromium, as a new user would: a resident registers as a volunteer on a phone, signs up for a
shift (and reads why a second, overlapping sign-up is refused), checks in and out by the activity's QR link with
the phone's location; the organiser confirms the hours on a desktop; the resident spends hours from the time bank
on care for a parent. A branch's star rating is computed, shown with its evidence, assessed by the branch and approved by
the street.
Every page of the app is photographed at 390 × 844 and 1400 × 900."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from linli.testing.browser import SCREENSHOTS, browser_context, confirm_next, short_targets

pytestmark = pytest.mark.browser

LNG, LAT = 116.402, 39.902
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1400, "height": 900}}


# Every table of the page lies within the page's width (on a phone: read as cards, not cut off or scrolled).
TABLES_FIT = (
    "[...document.querySelectorAll('table')].every(t => t.getBoundingClientRect().right <= window.innerWidth + 1"
    " && t.scrollWidth <= t.clientWidth + 1)"
)


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"volunteers-{name}.png"), full_page=True)


def _sign_in(context: Any, user: Any, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def test_a_volunteer_serves_and_spends_and_a_branch_is_rated(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.party import services as party
    from linli.testing import build_cast
    from linli.volunteers import services

    cast = build_cast()
    committee = party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community
    )
    branch = party.party_org_create(
        actor=None, kind="branch", name="阳光小区党支部", org_node=cast.compound, parent=committee
    )
    members = [
        party.party_member_create(actor=None, name=n, party_org=branch) for n in ("陈红", "刘军", "王芳")
    ]
    party.branch_meeting_record(
        actor=None,
        branch=branch,
        kind="lesson",
        held_on=timezone.localdate(),
        topic="学习党章",
        attendees=members[:2],
    )
    medic = services.volunteer_enrol(
        actor=None, community=cast.community, name="王医生", certificates=["first_aid"]
    )
    team = services.team_create(
        actor=None,
        community=cast.community,
        name="幸福党员先锋队",
        colour="red",
        party_org=committee,
        leader=medic,
    )
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - dt.timedelta(minutes=20)

    def activity(title: str, starts: dt.datetime, roles: list[tuple[str, int, str]]) -> Any:
        made = services.activity_create(
            actor=None,
            community=cast.community,
            team=team,
            title=title,
            description="清理楼道堆物，消除消防隐患。",
            place="阳光小区1号楼前",
            lng=LNG,
            lat=LAT,
            signup_opens_at=now - dt.timedelta(days=2),
            shifts=[services.ShiftIn(starts, starts + dt.timedelta(hours=2), roles)],
        )
        return services.activity_open(actor=None, activity=made)

    cleanup = activity("楼道堆物清理", start, [("清理员", 4, ""), ("急救员", 1, "first_aid")])
    visit = activity("独居老人探访", start + dt.timedelta(hours=1), [("探访员", 3, "")])
    clinic = activity("社区义诊", now - dt.timedelta(days=1), [("医护", 2, "")])  # held yesterday
    errors: list[str] = []

    def watch(page: Any) -> Any:
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "response",
            lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )
        return page

    base = live_server.url
    phone_ctx = browser_context(
        browser,
        **PHONE,
        geolocation={"longitude": LNG + 0.0004, "latitude": LAT},
        permissions=["geolocation"],
    )
    _sign_in(phone_ctx, cast.resident, base)
    me = watch(phone_ctx.new_page())

    # 1. From the resident's home to volunteering: register.
    me.goto(f"{base}/")
    me.get_by_role("link", name="志愿服务").first.click()
    expect(me.get_by_role("heading", name="成为志愿者")).to_be_visible()
    me.get_by_label("社区").select_option(label="幸福社区")
    me.get_by_label("技能特长").fill("维修、理发")
    _shot(me, "phone-01-register")
    me.get_by_role("button", name="注册成为志愿者").click()
    expect(me.get_by_text("欢迎！您已成为志愿者。")).to_be_visible()
    _shot(me, "phone-02-activities")

    # 2. Sign up; the role that needs a certificate says so before anything is tried.
    me.get_by_role("link", name="楼道堆物清理").click()
    expect(me.get_by_text("该岗位需要您尚未登记的证书。")).to_be_visible()
    me.get_by_role("button", name="报名").first.click()
    expect(me.get_by_text("报名成功：清理员。")).to_be_visible()
    _shot(me, "phone-03-signed-up")

    # 3. A second, overlapping shift: the page says why it is refused.
    me.goto(f"{base}/volunteers/activities/{visit.pk}/")
    expect(me.get_by_text("您已报名同一时间的其他班次。")).to_be_visible()
    _shot(me, "phone-04-overlap-refused")

    # 4. The QR code at the place leads here: check in, then out, with the phone's location.
    me.goto(f"{base}/volunteers/c/{cleanup.token}/")
    _shot(me, "phone-05-check-in")
    me.get_by_role("button", name="在此签到").click()
    expect(me.get_by_text("签到成功，欢迎！")).to_be_visible()
    me.get_by_role("button", name="签退").click()
    expect(me.get_by_text("签退成功，谢谢！组织者会确认您的服务时长。")).to_be_visible()
    _shot(me, "phone-06-checked-out")

    # 5. The organiser confirms the hours on a desktop.
    desk_ctx = browser_context(browser, **DESKTOP)
    _sign_in(desk_ctx, cast.community_worker, base)
    staff = watch(desk_ctx.new_page())
    staff.goto(f"{base}/")
    staff.get_by_role("button", name="共建共治").hover()  # the top bar's menu of co-governance apps
    staff.locator(".mainnav").get_by_role("link", name="志愿者").click()
    expect(staff.get_by_role("heading", name="志愿活动")).to_be_visible()
    _shot(staff, "desktop-01-activities")
    # The list says whose hours wait to be confirmed, and leads to the activity's roster.
    staff.locator("#to-confirm").get_by_role("link", name="楼道堆物清理").click()
    staff.get_by_label("时长").fill("1.5")
    qr = staff.locator(".vo-qr img")  # the code to print: loaded and drawn, not a broken image
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    _shot(staff, "desktop-02-roster")
    staff.get_by_role("button", name="确认时长").click()
    expect(staff.get_by_text("已确认张三的服务时长。")).to_be_visible()

    # 5b. A photo of yesterday's activity: private until the organiser marks that everyone pictured agreed.
    from PIL import Image

    staff.goto(f"{base}/volunteers/staff/activities/{clinic.pk}/")
    buf = io.BytesIO()
    Image.new("RGB", (640, 420), (46, 157, 91)).save(buf, "JPEG")
    staff.get_by_label("活动照片").set_input_files(
        files=[{"name": "cleanup.jpg", "mimeType": "image/jpeg", "buffer": buf.getvalue()}]
    )
    staff.get_by_label("照片说明").fill("义诊现场")
    staff.get_by_role("button", name="上传照片").click()
    expect(staff.get_by_text("照片已上传。标记照片中每个人都同意后才会公开。")).to_be_visible()
    expect(staff.locator("#photos").get_by_text("未公开")).to_be_visible()
    staff.locator("#photos").get_by_label("照片中每个人如何同意公开").fill("照片中两位志愿者当场口头同意")
    staff.get_by_role("button", name="均已同意，公开").click()
    expect(staff.get_by_text("照片已公开。")).to_be_visible()
    _shot(staff, "desktop-02b-photo-consent")

    # 6. The resident sees the hours and spends one on care for their mother.
    me.goto(f"{base}/volunteers/ledger/")
    expect(me.get_by_text("+1.50")).to_be_visible()
    me.get_by_role("link", name="使用时长").first.click()
    # Whom to pay is found by typing (htmx suggests), never picked from a list of every account.
    me.get_by_label("付给").fill("幸福")
    # Each account it may mean is a row to tap: 44 px on a phone (core's finder rows were 40).
    expect(me.get_by_role("radio", name="幸福社区时间银行")).to_be_visible()
    assert not short_targets(me, ".finder-option")
    me.get_by_role("radio", name="幸福社区时间银行").check()
    expect(me.locator(".finder-chosen")).to_contain_text("幸福社区时间银行")
    me.get_by_label("支付时长（小时）").fill("1")
    me.get_by_label("用途").select_option("elder_care")
    me.get_by_label("什么服务、为谁").fill("为住在3号楼的母亲预约一下午陪伴")
    _shot(me, "phone-07-spend")
    me.get_by_role("button", name="支付时长").click()
    expect(me.get_by_text("-1.00")).to_be_visible()
    _shot(me, "phone-08-ledger")
    me.goto(f"{base}/volunteers/")
    _shot(me, "phone-09-home")
    # The community's public page: the past activity with the photo everyone in it agreed to show.
    public_ctx = browser_context(browser, **PHONE)
    guest = watch(public_ctx.new_page())
    guest.goto(f"{base}/volunteers/p/{cast.community.code}/")
    photo = guest.locator("#past img").first
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)
    expect(guest.get_by_text("义诊现场")).to_be_visible()
    _shot(guest, "phone-10-public-page")
    public_ctx.close()

    # 7. A branch's stars: computed by the community, read with its evidence; the street approves only once the
    # branch has assessed itself (自查自评, then 街道审定).
    staff.goto(f"{base}/party/stars/")
    staff.get_by_role("button", name="测评").click()
    expect(staff.get_by_role("heading", name="指标与佐证材料")).to_be_visible()
    _shot(staff, "desktop-03-star-evidence")
    street_ctx = browser_context(browser, **DESKTOP)
    _sign_in(street_ctx, cast.street_officer, base)
    street = watch(street_ctx.new_page())
    street.goto(staff.url)
    expect(
        street.get_by_text("支部尚未自评。街道只审定支部提交的自评，请先提醒支部书记完成自评。")
    ).to_be_visible()
    expect(street.get_by_role("button", name="审定通过")).to_have_count(0)
    _shot(street, "desktop-04-star-not-assessed")
    from linli.party import services as party
    from linli.party.models import BranchStarRating

    rating = BranchStarRating.objects.get(pk=int(staff.url.rstrip("/").rsplit("/", 1)[-1]))
    party.branch_stars_submit(
        actor=None, rating=rating, claimed_stars=rating.computed_stars, statement="按期完成自查自评。"
    )
    street.reload()
    street.get_by_label("审定意见").fill("佐证材料齐全，同意")
    asked = confirm_next(street)  # approving cannot be undone: the page asks first
    street.get_by_role("button", name="审定通过").click()
    expect(street.get_by_text(re.compile(r"^已审定：\d 星。$"))).to_be_visible()
    assert asked and "审定" in asked[0]
    _shot(street, "desktop-05-star-approved")

    # 集结号: the community calls its volunteers; the call stands first on their phone.
    services.call_to_action_issue(
        actor=cast.community_worker,
        community=cast.community,
        title="暴雨后排水疏通",
        place="阳光小区北门",
        lng=LNG,
        lat=LAT,
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=4),
        needed=8,
        skills="会用抽水泵优先",
    )
    # Every page of the app at both sizes, for a person to look at.
    staff_pages = {
        "staff-activities": "/volunteers/staff/",
        "staff-activity": f"/volunteers/staff/activities/{cleanup.pk}/",
        "staff-activity-new": "/volunteers/staff/activities/new/",
        "staff-call-new": "/volunteers/staff/calls/new/",
        "staff-volunteers": "/volunteers/staff/volunteers/",
        "staff-volunteer-new": "/volunteers/staff/volunteers/new/",
        "staff-teams": "/volunteers/staff/teams/",
        "staff-bank": "/volunteers/staff/bank/",
        "staff-account": f"/volunteers/staff/bank/{services.community_bank(cast.community).pk}/",
        "staff-rules": "/volunteers/staff/rules/",
        "staff-store": "/volunteers/staff/store/",
        "staff-honours": "/volunteers/staff/honours/",
        "party-star-rules": "/party/stars/rules/",
        "party-stars": "/party/stars/",
        "party-meetings": f"/party/meetings/?branch={branch.pk}",
        "party-member-points": f"/party/members/{members[0].pk}/points/",
    }
    own_pages = {
        "own-home": "/volunteers/",
        "own-activities": "/volunteers/activities/",
        "own-activity": f"/volunteers/activities/{visit.pk}/",
        "own-mine": "/volunteers/mine/",
        "own-check-in": f"/volunteers/c/{cleanup.token}/",
        "own-ledger": "/volunteers/ledger/",
        "own-spend": "/volunteers/spend/",
        "own-profile": "/volunteers/profile/",
    }
    for size, options in (("390", PHONE), ("1400", DESKTOP)):
        for who, pages in ((cast.community_worker, staff_pages), (cast.resident, own_pages)):
            ctx = browser_context(browser, **options)
            _sign_in(ctx, who, base)
            page = watch(ctx.new_page())
            for name, path in pages.items():
                page.goto(f"{base}{path}")
                if size == "390" and not name.startswith("party-"):
                    assert page.evaluate(TABLES_FIT), (
                        name
                    )  # each table a column of cards, none cut or scrolled
                _shot(page, f"{size}-{name}")
            ctx.close()
    assert errors == []
    for ctx in (phone_ctx, desk_ctx, street_ctx):
        ctx.close()
