"""On a phone the fund page and the public page read summary first: the statement's period chooser (three forms, a
screen high) and a project's milestones are folded behind a 44 px summary, a payment awaiting approval, an order and
a project's account are compact rows, and a record of the fund is its head with the undo beside it. On a desktop
everything stands open as before (cobuild.js)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from linli.testing.browser import short_targets, sized_context

from ..conftest import LAT, LNG, fund_with, lamps_asked, make_resource
from .conftest import cast_with_a_verified_resident, fits, shot, signed_in_context

pytestmark = pytest.mark.browser


def _a_project_with_milestones(cast: Any) -> Any:
    from linli.cobuild import services

    cw = cast.community_worker
    need = services.need_create(
        actor=cw, community=cast.community, title="楼道灯坏了", category="repair", lng=LNG, lat=LAT
    )
    match = services.match_confirm(actor=cw, need=need, resource=make_resource(cast))
    project = services.project_create(
        actor=cw, matches=[match], community=cast.community, title="楼道照明改造", budget="3000"
    )
    for n in range(3):
        services.milestone_add(
            actor=cw, project=project, title=f"第{n + 1}步", due_on=dt.date(2026, 12, 1 + n)
        )
    return project


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_fund_and_public_pages_fold_on_a_phone_and_stand_open_on_a_desktop(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    cast = cast_with_a_verified_resident()
    fund_with(cast, "5000.00")
    project = _a_project_with_milestones(cast)
    lamps_asked(cast, project, "300.00")
    phone = size == "phone"
    page = signed_in_context(browser, size, cast.community_worker, live_server.url).new_page()

    page.goto(f"{live_server.url}{reverse('cobuild:staff_fund')}?community={cast.community.pk}")
    shot(page, f"cobuild-fund-dense-{size}")
    chooser = page.locator("#statement .cb-period form").first
    assert chooser.is_visible() is not phone
    assert "cb-compact" in (page.locator("#pending table").get_attribute("class") or "")
    if phone:
        assert short_targets(page, "main summary") == []
        # A record is its head, where the money went and the undo beside them: at most 90 px (it was 150).
        heights = page.eval_on_selector_all(
            ".cb-entry", "rows => rows.map(r => r.getBoundingClientRect().height)"
        )
        assert heights and max(heights) <= 90, heights
        page.locator(".cb-period-said a[data-opens='period']").click()
        assert chooser.is_visible()

    page.goto(live_server.url + reverse("cobuild:public", args=[cast.community.code]))
    shot(page, f"cobuild-public-dense-{size}")
    assert page.locator("#projects li", has_text="第1步").first.is_visible() is not phone
    assert page.locator("#statement .cb-period form").first.is_visible() is not phone
    assert "cb-compact" in (page.locator("#orders table").get_attribute("class") or "")
    if phone:
        assert short_targets(page, "main summary") == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_each_payment_on_the_public_page_is_a_row_with_its_amount_aligned(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    """每笔支出: on a phone a payment is two lines (what it paid for and the amount, then its date, project and
    payee), not three of a list (97 px each); on a desktop a table with a column of amounts. Either way the amounts'
    right edges line up."""
    from linli.cobuild import services

    cast = cast_with_a_verified_resident()
    fund_with(cast, "50000.00")
    project = _a_project_with_milestones(cast)
    services.project_allocate(actor=cast.street_officer, project=project, amount="3000", memo="首期")
    for amount in ("300.00", "1250.50", "88.00"):
        payment = lamps_asked(cast, project, amount)
        services.payment_approve(actor=cast.street_officer, payment=payment)
        services.payment_approve(actor=cast.admin, payment=payment)
    page = sized_context(browser, size).new_page()  # anyone, signed in or not
    page.goto(live_server.url + reverse("cobuild:public", args=[cast.community.code]))
    shot(page, f"cobuild-public-payments-{size}")
    rows = page.locator("#statement table.cb-payments tbody tr")
    assert rows.count() == 3
    assert page.locator("#statement table.cb-payments thead").is_visible() is (size == "desktop")
    for n in range(3):
        assert "明亮电器" in rows.nth(n).inner_text() and "楼道照明改造" in rows.nth(n).inner_text()
    boxes = page.eval_on_selector_all(
        "#statement table.cb-payments tbody tr",
        """rows => rows.map(r => { const a = r.querySelector('td.cb-money').getBoundingClientRect();
                                   return [r.getBoundingClientRect().height, Math.round(a.right), a.width]; })""",
    )
    assert len({right for _, right, _ in boxes}) == 1, boxes
    if size == "phone":
        assert max(height for height, _, _ in boxes) <= 64, boxes  # two lines (three were 97 px)
        assert fits(page)
