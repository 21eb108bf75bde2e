"""In headless Chromium, at the phone and desktop sizes: a mediation case's first card and a care plan's begin with
their first line at the card's padding (the case's summary, a paragraph, stood under a blank line of its own margin)
and the plan's small forms are core's fields (a bare select beside styled buttons)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linli.testing import Cast

from ..conftest import open_case
from .conftest import shot

pytestmark = pytest.mark.browser

# How far the first line of a page's first card lies below the card's padding edge (its first child's top margin).
FIRST_LINE_GAP = """() => {
  const card = document.querySelector('main .card');
  const padding = parseFloat(getComputedStyle(card).paddingTop) + parseFloat(getComputedStyle(card).borderTopWidth);
  return Math.round(card.firstElementChild.getBoundingClientRect().top - card.getBoundingClientRect().top - padding);
}"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_case_and_a_plan_open_their_first_card_without_a_blank_line(
    size: str, live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    from playwright.sync_api import expect

    cast = live_cast
    plan = red_plan()
    case = open_case(cast)
    base = live_server.url
    page = open_as(cast.community_worker, size)
    page.goto(f"{base}/care/cases/{case.pk}/")
    expect(page.get_by_text("楼上漏水到楼下").first).to_be_visible()
    assert page.evaluate(FIRST_LINE_GAP) == 0
    shot(page, f"case-{size}")
    page.goto(f"{base}/care/plans/{plan.pk}/")
    expect(page.get_by_role("heading", name=plan.resident.name)).to_be_visible()
    assert page.evaluate(FIRST_LINE_GAP) == 0
    page.get_by_text("更换探访人").click()
    visitor = page.locator("select[name=caregiver]")
    assert visitor.evaluate("e => getComputedStyle(e).borderTopLeftRadius") == "6px"
    assert visitor.bounding_box()["height"] >= 38


def test_the_care_tabs_and_filters_are_thumb_sized_on_a_phone(
    live_server: Any, live_cast: Cast, open_as: Callable[..., Any]
) -> None:
    """A grid worker on the phone moves between 今日探访, 关爱对象, 矛盾调解… and the cases' state filters by tapping
    buttons 28 px high (the site's small button); on a phone they are 44 px, the least a thumb hits reliably."""
    cast = live_cast
    page = open_as(cast.grid_worker, "phone")
    page.goto(f"{live_server.url}/care/cases/")
    heights = page.eval_on_selector_all(
        ".care-filter a", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) >= 10 and min(heights) >= 44
    shot(page, "tabs-phone")
    desk = open_as(cast.community_worker, "desktop")
    desk.goto(f"{live_server.url}/care/cases/")
    heights = desk.eval_on_selector_all(
        ".care-filter a", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert max(heights) < 44  # the desk keeps its compact buttons


def test_a_calls_page_with_no_number_on_file_is_thumb_sized_on_a_phone(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    """grid001 on a phone, calling someone with no phone in the register: the person's name in the breadcrumb
    (two or three characters) was 43 px wide, and the way to the register to add a number must be a thumb's tap."""
    from django.utils import timezone

    from linli.care.choices import ContactKind
    from linli.territory.models import Resident

    cast = live_cast
    plan = red_plan()
    Resident.objects.filter(pk=plan.resident_id).update(phone="")
    call = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    page = open_as(cast.grid_worker, "phone")
    page.goto(f"{live_server.url}/care/contacts/{call.pk}/")
    crumb = page.locator(".page-crumbs a").last.bounding_box()
    assert crumb["width"] >= 44 and crumb["height"] >= 44
    register = page.get_by_role("link", name="到登记册补上号码").bounding_box()
    assert register["width"] >= 44 and register["height"] >= 44
    shot(page, "no-phone-call-phone")


def test_an_alerts_work_order_on_the_plan_is_a_link_a_thumb_taps_on_a_phone(
    live_server: Any, live_cast: Cast, red_plan: Callable[..., Any], open_as: Callable[..., Any]
) -> None:
    """The plan's list of one-tap alerts links each work order to its page (it named the number only): on a phone
    the link is 44 px high, as the rota's links are."""
    from linli.appeals.models import Appeal
    from linli.care import services

    cast = live_cast
    plan = red_plan()
    alert = services.care_alert_raise(actor=cast.grid_worker, plan=plan, kind="fall", source="visit")
    order = Appeal.objects.get(tracking_number=alert.appeal_number)
    page = open_as(cast.community_worker, "phone")
    page.goto(f"{live_server.url}/care/plans/{plan.pk}/")
    link = page.locator(f"#alerts a[href='/appeals/{order.pk}/']")
    assert link.inner_text() == alert.appeal_number
    assert link.bounding_box()["height"] >= 44
    shot(page, "plan-alert-phone")
