"""In headless Chromium, on a phone and on a desktop: a branch's secretary (a resident) opens 我的支部 from their
home, records a party lesson ticking who attended, enters points for a member, is refused points for themselves
with what they typed kept, computes the branch's stars and submits its self-assessment (refused first without a
statement, the claim kept). Each page is photographed at both sizes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import SIZES, SignedInSession

from ..helpers import party_orgs

pytestmark = pytest.mark.browser


class Secretary(SignedInSession):
    prefix = "party-branch"


@pytest.mark.parametrize("size", list(SIZES))
def test_a_secretary_does_the_branch_work_on_a_phone_and_a_desktop(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.party import services as party
    from linli.party.models import BranchMeeting, BranchStarRating, MemberPointsEntry
    from linli.testing import build_cast

    cast = build_cast()
    branch = party_orgs(cast)["branch"]
    me = party.party_member_create(
        actor=None, name="张三", party_org=branch, resident=cast.resident_record, phone="13812345678"
    )
    party.party_member_set_position(actor=None, member=me, position="secretary")
    for name, phone in (("王五", "13700001111"), ("赵敏", "13700002222"), ("钱学军", "13700003333")):
        party.party_member_create(actor=None, name=name, party_org=branch, phone=phone)
    party.member_registration_register(
        actor=None,
        member=branch.members.get(name="王五"),
        community=cast.community,
        workplace="市第一医院",
        specialty="medical",
        registered_on=timezone.localdate(),
    )
    cast.resident.household = cast.household
    cast.resident.household_verified_at = timezone.now()
    cast.resident.save(update_fields=["household", "household_verified_at"])

    s = Secretary(browser, size, cast.resident, live_server.url)
    page = s.go("/")
    page.locator("a.front-action", has_text="我的支部").click()
    expect(page.get_by_role("heading", name="阳光小区党支部")).to_be_visible()
    expect(page.get_by_text("137****1111")).to_be_visible()
    # A click does not wait for the page it opens to load: styles are read once its stylesheets have come (read
    # before, on a loaded machine, every cell had the browser's own 'normal').
    page.wait_for_load_state("load")
    # Names keep to one line in the tables' first column (a three-character name broke after two on a phone).
    wraps = page.locator("#members td:first-child, #registrations td:first-child").evaluate_all(
        "els => els.filter(e => !e.classList.contains('empty')).map(e => getComputedStyle(e).whiteSpace)"
    )
    assert wraps and set(wraps) == {"nowrap"}, wraps
    # The tables fit their card, which clips what overflows (on a phone 累计积分 was cut off at the card's edge).
    overflow = page.locator(".pt-branch-table").evaluate_all(
        "ts => ts.map(t => t.scrollWidth - t.closest('.card').clientWidth)"
    )
    assert overflow and max(overflow) <= 0, overflow
    s.shot("home")

    page.get_by_role("link", name="登记组织生活").first.click()
    page.get_by_label("类型").select_option("lesson")
    page.get_by_label("召开日期").fill((timezone.localdate() + dt.timedelta(days=2)).isoformat())
    page.get_by_label("主题").fill("学习党章第二章")
    page.get_by_label("王五").check()
    page.get_by_label("赵敏").check()
    page.get_by_role("button", name="登记", exact=True).click()
    # Refused (a date to come) in Chinese, with everything typed kept.
    expect(page.locator(".field.has-error .errorlist")).to_contain_text("日期")
    expect(page.get_by_label("主题")).to_have_value("学习党章第二章")
    expect(page.get_by_label("王五")).to_be_checked()
    s.shot("meeting")
    page.get_by_label("召开日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("2 名参会党员已获得积分")).to_be_visible()
    assert BranchMeeting.objects.get().attendees.count() == 2

    page.locator("#members").get_by_role("link", name="王五").click()
    page.get_by_label("积分").fill("5")
    page.get_by_label("原因").fill("带头清理楼道堆物")
    page.get_by_role("button", name="记入积分").click()
    expect(page.get_by_text("带头清理楼道堆物")).to_be_visible()
    page.wait_for_load_state("load")  # its stylesheets too, before their styles are read
    # Each figure's label keeps to one line (on a phone "2026 年积分" broke, its last character alone below).
    labels = page.locator(".pt-stats .stat-label").evaluate_all(
        "ls => ls.map(l => [getComputedStyle(l).whiteSpace, l.getClientRects().length])"
    )
    assert labels == [["nowrap", 1], ["nowrap", 1]], labels
    s.shot("points")

    # Points for oneself are not offered; another leader or the community enters them.
    s.go(f"/party/branch/{branch.pk}/members/{me.pk}/points/")
    expect(page.get_by_text("不能给自己记分")).to_be_visible()
    expect(page.get_by_role("button", name="记入积分")).to_have_count(0)
    assert not MemberPointsEntry.objects.filter(member=me).exists()

    s.go(f"/party/branch/{branch.pk}/")
    page.get_by_role("button", name="测评星级").click()
    expect(page.locator("#stars .pt-indicators li").first).to_be_visible()
    s.shot("stars")
    if size == "phone":
        # What a finger taps is 44px high at least: 佐证 under each indicator was 24px, 登记组织生活 by the
        # meetings' heading 28px, the page's tabs 39px.
        page.wait_for_load_state("load")
        taps = page.locator("main summary, main .btn-small, main .page-tabs a").evaluate_all(
            "es => es.filter(e => e.offsetParent).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])"
        )
        assert any(text == "佐证" for text, _h in taps), taps
        assert page.locator("main .page-tabs a").count() >= 2
        assert [t for t in taps if t[1] < 44] == [], taps
    # The self-assessment: refused without a statement, with the claim and the note kept; then submitted.
    page.get_by_role("link", name="填写支部自评").click()
    page.get_by_label("自评星级").select_option("3")
    page.locator("textarea[name=note_meetings]").fill("另有 2 次党课与社区党委联合开展")
    # Submitting cannot be undone until the street answers: the page asks first, and sends nothing if declined.
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="提交街道审定").click()
    assert asked == ["确定提交街道审定？街道审定或退回之前不能再修改自评。"]
    expect(page.get_by_label("自评星级")).to_have_value("3")
    page.on("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="提交街道审定").click()
    expect(page.locator(".has-error .errorlist")).to_contain_text("请简要说明支部自评该星级的理由")
    expect(page.get_by_label("自评星级")).to_have_value("3")
    expect(page.locator("textarea[name=note_meetings]")).to_have_value("另有 2 次党课与社区党委联合开展")
    s.shot("self-assessment")
    page.get_by_label("自评理由").fill("全年主题党日 12 次，党员带头参与楼道整治。")
    page.get_by_role("button", name="提交街道审定").click()
    expect(page.get_by_text("支部自评已提交街道审定")).to_be_visible()
    expect(page.locator("#stars .badge")).to_have_text("支部已自评，待街道审定")
    assert BranchStarRating.objects.get().claimed_stars == 3
    s.close()
