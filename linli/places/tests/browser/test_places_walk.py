"""In headless Chromium, as the issue's "done" walk: a community worker sees a centre's walking circle drawn on
the map and books an activity in its calendar (desktop), the coverage page's figures add up (covered plus
uncovered households make every household, the grids make their community), and a resident on a phone finds
the place near them with what is on this week and follows it. Screenshots under screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import Walk, shot

pytestmark = pytest.mark.browser


def test_walking_circle_calendar_coverage_and_following(walk: Walk) -> None:
    from playwright.sync_api import expect

    from linli.places import coverage
    from linli.places.models import Subscription

    cast, base = walk.cast, walk.base
    centre = walk.centre(services="党员活动\n政务代办")
    assert centre.circles["15"]

    desktop, page = walk.open("desktop", cast.community_worker, f"/places/{centre.pk}/")
    expect(page.locator("#places-map path.leaflet-interactive").first).to_be_visible()
    start = timezone.localtime() + dt.timedelta(days=1)
    page.get_by_label("活动", exact=True).fill("书法兴趣课")
    page.get_by_label("活动场地").fill("多功能厅")
    page.get_by_label("开始时间").fill(f"{start:%Y-%m-%d}T09:00")
    page.get_by_label("结束时间").fill(f"{start:%Y-%m-%d}T11:00")
    page.get_by_role("button", name="预订").click()
    expect(page.locator("#calendar")).to_contain_text("书法兴趣课")
    shot(page, "place-circle-calendar-desktop")

    page.goto(f"{base}/places/coverage/?kind=party_centre")
    found = coverage.coverage_for(cast.community_worker)
    total = found.total
    uncovered = sum(b.households for b in found.uncovered("party_centre"))
    covered = total.covered.get("party_centre", [0, 0, 0])[0]
    assert covered + uncovered == total.households
    community_total = sum(t.households for _name, t in found.by_community)
    assert community_total == sum(t.households for _name, t in found.by_grid) == total.households
    expect(page.locator("body")).to_contain_text(f"{covered} / {total.households}")
    expect(page.locator("body")).to_contain_text(str(uncovered))
    shot(page, "coverage-desktop")
    desktop.close()

    phone, page = walk.open("phone", cast.resident, "/places/near/")
    expect(page.get_by_text("本周 1 项活动")).to_be_visible()
    shot(page, "near-phone")
    page.locator(".pl-near-list").get_by_role("link", name="幸福社区党群服务中心").click()
    # The resident sees the centre's walking circle drawn on the map too.
    expect(page.locator("#places-map[data-ready='1'] path.pl-ring-15")).to_have_count(1)
    expect(page.locator("#this-week")).to_contain_text("书法兴趣课")
    page.get_by_role("button", name="关注此阵地").click()
    expect(page.get_by_role("button", name="不再关注此阵地")).to_be_visible()
    assert Subscription.objects.filter(user=cast.resident, place=centre).exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The follow posts and comes back to a new page: its map drawn and the page loaded before the picture (a
    # full-page capture during the map's first drawing was refused by Chromium on PostgreSQL in CI).
    page.wait_for_load_state("load")
    expect(page.locator("#places-map[data-ready='1'] path.pl-ring-15")).to_have_count(1)
    shot(page, "place-follow-phone")
    phone.close()


def test_a_visitor_on_a_phone_taps_every_link_of_a_place_at_44_px(walk: Walk) -> None:
    """A visitor not signed in opens a place on a phone: the way to sign in and follow it is a button (it was a
    19 px link under the week's activities), the way back and the place's phone 44 px high, its phone's name on
    the line of the number."""
    from playwright.sync_api import expect

    from linli.testing.browser import short_targets, sized_context

    centre = walk.centre(phone="010-6500 1234")
    phone = sized_context(walk.browser, "phone")
    page = phone.new_page()
    page.goto(f"{walk.base}/places/near/{centre.pk}/")
    expect(page.locator("#places-map[data-ready='1']")).to_be_attached()
    expect(page.get_by_role("link", name="登录后关注此阵地")).to_have_class("btn")
    assert short_targets(page, "a, button, input, select, summary, label", within="main") == []
    name, number = (
        page.locator(".pl-facts dt").nth(1).bounding_box(),
        page.locator(".pl-facts dd a").bounding_box(),
    )
    assert name is not None and number is not None
    assert abs((name["y"] + name["height"] / 2) - (number["y"] + number["height"] / 2)) < 4, (name, number)
    shot(page, "place-visitor-phone")
    phone.close()
