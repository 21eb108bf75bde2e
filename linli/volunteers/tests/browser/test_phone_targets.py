"""In headless Chromium: what a person taps on volunteering's pages is a finger's size on a phone (44 px high), where
it was not: the link of the home's empty 我接下来的班次 (21 px), the badge of the team a resident leads under their name
on the home (19 px), the public page's way back to the communities (19 px),
how everyone in a photo agreed, typed by the organiser (32 px), and the number typed beside 补充库存 in the staff's
points store. On a desktop that number, 补充库存 and 下架 stand on one line (下架 fell under them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine

from linli.testing.browser import SignedInSession, short_targets

pytestmark = pytest.mark.browser


class Walk(SignedInSession):
    prefix = "volunteers-targets"


def test_volunteering_taps_are_a_fingers_size_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any, settings: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.tests.conftest import at, make_activity, resident_volunteer
    from linli.volunteers.tests.test_photos import jpeg

    settings.MEDIA_ROOT = tmp_path
    cast = build_cast()
    me = resident_volunteer(cast)
    services.team_create(
        actor=None, community=cast.community, name="幸福环保志愿队", colour="green", leader=me
    )
    activity = make_activity(cast, starts=at(1))
    with time_machine.travel(at(2)):
        services.activity_photo_add(actor=cast.community_worker, activity=activity, photo=jpeg())
    services.store_item_create(
        actor=cast.community_worker, community=cast.community, name="洗衣液", points=30, quantity=5
    )
    base = live_server.url

    mine = Walk(browser, "phone", cast.resident, base)
    page = mine.go("/volunteers/")
    expect(page.locator(".empty a")).to_have_text("找活动")
    assert short_targets(page, ".empty a") == []
    expect(page.locator(".vo-hero a.vo-team-link")).to_have_text("环保绿 · 幸福环保志愿队")
    assert short_targets(page, ".vo-hero a") == []
    mine.shot("home")
    page = mine.go(f"/volunteers/p/{cast.community.code}/")
    assert page.locator(".vo-back a").count() == 1
    assert short_targets(page, ".vo-back a") == []
    mine.close()

    staff = Walk(browser, "phone", cast.community_worker, base)
    page = staff.go(f"/volunteers/staff/activities/{activity.pk}/")
    assert page.locator(".vo-photo-form input[name=note]").count() == 1
    assert short_targets(page, ".vo-photo-form input[name=note], .vo-photo-form button") == []
    page = staff.go("/volunteers/staff/store/")
    assert short_targets(page, "#items input[name=quantity], #items button") == []
    staff.shot("store")
    staff.close()

    desk = Walk(browser, "desktop", cast.community_worker, base)
    page = desk.go("/volunteers/staff/store/")
    row = page.locator("#items tbody tr", has_text="洗衣液")
    tops = [
        round(row.locator(what).bounding_box()["y"] + row.locator(what).bounding_box()["height"] / 2)
        for what in ("input[name=quantity]", "button:text('补充库存')", "button:text('下架')")
    ]
    assert max(tops) - min(tops) <= 2, tops  # one line, their middles level
    desk.shot("store")
    desk.close()
