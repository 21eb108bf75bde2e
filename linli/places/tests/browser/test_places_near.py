"""In headless Chromium: the residents' map of places near them. On a phone, with no position given, the page
measures from the resident's home and draws the places and the home on the map with the list below and this
week's activities; a name typed with markup shows as text in the tooltip and the popup; "open now" hides a
closed place. On a desktop whose browser already granted its position, the page measures from there without
asking. Screenshots under screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.testing.browser import SIZES, browser_context

from .conftest import SHOTS, Walk, fits, shot

pytestmark = pytest.mark.browser

NEVER: dict[str, list[list[str]]] = {str(d): [] for d in range(7)}
MARKUP = '<img src=x onerror="document.body.dataset.pwned=1">食堂'


def test_places_near_me_on_a_map(walk: Walk) -> None:
    from playwright.sync_api import expect

    from linli.accounts.models import User
    from linli.places import services

    cast, road, place = walk.cast, walk.road, walk.place
    User.objects.filter(pk=cast.resident.pk).update(
        household=cast.household, household_verified_at=timezone.now()
    )
    road(3)

    centre = place("幸福社区党群服务中心", "party_centre", 116.4015)
    place(MARKUP, "canteen", 116.4040)
    place("夜里关门的卫生站", "clinic", 116.4075, NEVER)
    start = timezone.localtime() + dt.timedelta(days=1)
    services.activity_create(
        actor=cast.community_worker,
        place=centre,
        title="书法兴趣课",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    base = walk.base

    # A resident on a phone, position not given: measured from home, nearest first, walked along the roads.
    phone, page = walk.open("phone", cast.resident, "/places/near/")
    expect(page.locator("#near-map[data-ready='1']")).to_be_visible()
    expect(page.locator("#locate-status")).to_contain_text(cast.building.name)
    names = page.locator(".pl-near-list li strong").all_text_contents()
    assert names == ["幸福社区党群服务中心", MARKUP, "夜里关门的卫生站"]
    expect(page.locator(".pl-near-list li").first).to_contain_text("步行约")
    expect(page.locator("#on-this-week")).to_contain_text("书法兴趣课")
    expect(page.locator("#near-map path.pl-place")).to_have_count(3)
    expect(page.locator("#near-map path.pl-origin")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "near-map-phone")
    # The canteen's name is shown as typed, in its tooltip and its popup; no markup runs.
    page.locator("#near-map path.pl-place").nth(1).dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip")).to_have_text(MARKUP)
    page.locator("#near-map path.pl-place").nth(1).dispatch_event("click")
    expect(page.locator(".leaflet-popup-content a")).to_have_text(MARKUP)
    assert page.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None
    shot(page, "near-map-popup-phone")
    page.get_by_label("正在开放").check()
    expect(page.locator("#near-open")).to_be_checked()
    expect(page.locator(".pl-near-list li")).to_have_count(2)
    expect(page.locator(".pl-near-list")).not_to_contain_text("夜里关门的卫生站")
    phone.close()

    # A desktop browser that already lets the site read its position: measured from there, without a prompt.
    desktop = browser_context(
        walk.browser,
        viewport=SIZES["desktop"],
        geolocation={"longitude": 116.4076, "latitude": 39.9021},
        permissions=["geolocation"],
    )
    page = desktop.new_page()
    page.goto(f"{base}/places/near/")
    expect(page).to_have_url(f"{base}/places/near/?lng=116.407600&lat=39.902100&kind=")
    expect(page.locator("#locate-status")).to_have_text("按离您的距离由近到远排列。")
    expect(page.locator("#near-map[data-ready='1']")).to_be_visible()
    assert page.locator(".pl-near-list li strong").first.text_content() == "夜里关门的卫生站"
    shot(page, "near-map-desktop")
    page.locator(".pl-near-list").get_by_role("link", name="幸福社区党群服务中心").click()
    expect(page.locator("#places-map[data-ready='1'] path.pl-ring-5")).to_have_count(1)
    expect(page.locator("#this-week")).to_contain_text("书法兴趣课")
    shot(page, "place-public-desktop")
    desktop.close()


def test_the_dashboard_panel_of_the_life_circle(walk: Walk) -> None:
    from playwright.sync_api import expect

    cast = walk.cast
    walk.road(2)
    walk.place(
        "幸福社区服务站",
        "station",
        116.398,  # the other community's building, 1.2 km east, is beyond 15 minutes
        address="和平路1号",
        lat=39.902,
    )
    for name in SIZES:
        context, page = walk.open(name, cast.street_officer, "/dashboard/")
        panel = page.locator("#places-panel")
        expect(panel.locator("tr[data-kind='station']")).to_contain_text("50%")
        expect(panel.locator("tr[data-kind='station']")).to_contain_text("1/2")
        expect(panel.locator("tr[data-kind='canteen']")).to_contain_text("0/2")
        panel.scroll_into_view_if_needed()
        # Its table reads within the panel at both widths: on a phone each kind is a card of labelled figures.
        assert fits(page, "#places-panel, #places-panel *")
        assert panel.locator("thead").is_visible() == (name == "desktop")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        panel.screenshot(path=str(SHOTS / f"dashboard-panel-{name}.png"))
        # Its kind opens the coverage page of the same unit, with the same figures.
        panel.locator("tr[data-kind='station'] a").click()
        expect(page.locator("h1")).to_contain_text(cast.street.name)
        expect(page.locator("body")).to_contain_text("1 / 2")
        expect(page.locator("#places-map[data-ready='1']")).to_be_attached()
        assert fits(page, "main .table, main .table *")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, f"coverage-unit-{name}")
        context.close()
