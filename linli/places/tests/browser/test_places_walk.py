"""In headless Chromium, as the issue's "done" walk: a community worker sees a centre's walking circle drawn on
the map and books an activity in its calendar (desktop), the coverage page's figures add up (covered plus
uncovered households make every household, the grids make their community), and a resident on a phone finds
the place near them with what is on this week and follows it. Screenshots under /work/wt/shots/places17/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from linli.testing.browser import browser_context

pytestmark = pytest.mark.browser

SHOTS = Path("/work/wt/shots/places17")
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1400, "height": 900}}
HOURS = {str(d): [["00:00", "24:00"]] for d in range(7)}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _context(browser: Any, options: dict[str, Any], user: Any, base_url: str) -> Any:
    context = browser_context(browser, **options)
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    return context


def test_walking_circle_calendar_coverage_and_following(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.places import coverage, services
    from linli.places.models import Subscription
    from linli.territory import services as territory
    from linli.testing import build_cast

    from ..conftest import line

    cast = build_cast()
    territory.roads_create(
        actor=None,
        roads=[
            {
                "code": "R1",
                "name": "和平路",
                "kind": "branch",
                "org_node": cast.street,
                "geometry": line((116.398, 39.902), (116.401, 39.902)),
            },
            {
                "code": "R2",
                "name": "和平路",
                "kind": "branch",
                "org_node": cast.street,
                "geometry": line((116.401, 39.902), (116.404, 39.902)),
            },
        ],
    )
    place = services.place_create(
        actor=cast.community_worker,
        org_node_id=cast.community.pk,
        kind="party_centre",
        name="幸福社区党群服务中心",
        address="和平路1号",
        lng=116.398,
        lat=39.902,
        opening_hours=HOURS,
        services="党员活动\n政务代办",
    )
    assert place.circles["15"]

    base = live_server.url
    desktop = _context(browser, DESKTOP, cast.community_worker, base)
    page = desktop.new_page()
    page.goto(f"{base}/places/{place.pk}/")
    expect(page.locator("#places-map path.leaflet-interactive").first).to_be_visible()
    start = timezone.localtime() + dt.timedelta(days=1)
    page.get_by_label("活动", exact=True).fill("书法兴趣课")
    page.get_by_label("活动场地").fill("多功能厅")
    page.get_by_label("开始时间").fill(f"{start:%Y-%m-%d}T09:00")
    page.get_by_label("结束时间").fill(f"{start:%Y-%m-%d}T11:00")
    page.get_by_role("button", name="预订").click()
    expect(page.locator("#calendar")).to_contain_text("书法兴趣课")
    _shot(page, "place-circle-calendar-desktop")

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
    _shot(page, "coverage-desktop")
    desktop.close()

    phone = _context(browser, PHONE, cast.resident, base)
    page = phone.new_page()
    page.goto(f"{base}/places/near/")
    expect(page.get_by_text("本周 1 项活动")).to_be_visible()
    _shot(page, "near-phone")
    page.locator(".pl-near-list").get_by_role("link", name="幸福社区党群服务中心").click()
    # The resident sees the centre's walking circle drawn on the map too.
    expect(page.locator("#places-map[data-ready='1'] path.pl-ring-15")).to_have_count(1)
    expect(page.locator("#this-week")).to_contain_text("书法兴趣课")
    page.get_by_role("button", name="关注此场所").click()
    expect(page.get_by_role("button", name="不再关注此场所")).to_be_visible()
    assert Subscription.objects.filter(user=cast.resident, place=place).exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "place-follow-phone")
    phone.close()
