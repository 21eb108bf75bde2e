"""In headless Chromium: the staff's list of activities and an activity's roster read on a phone as the time bank's
statement does, two dense lines a row, where each row was a card of labelled lines (about 240 px an activity, a
7,292 px page for the demo's first community; about 185 px a sign-up). On a phone the organiser still confirms hours
(what was typed kept when refused) and records who did not come, each control a finger's size, nothing wider than the
screen. At a desk each row is one line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.testing.browser import SignedInSession, confirm_next, short_targets

pytestmark = pytest.mark.browser

ROWS = "rows => rows.map(r => Math.round(r.getBoundingClientRect().height))"


class Walk(SignedInSession):
    prefix = "volunteers-lists"


def test_activities_and_the_roster_are_two_short_lines_a_row_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.models import Signup
    from linli.volunteers.tests.conftest import LAT, LNG, make_activity

    cast = build_cast()
    worker = cast.community_worker
    starts = timezone.now() - dt.timedelta(hours=1)  # on the day, an hour in: the shift lasts three
    with time_machine.travel(starts - dt.timedelta(hours=1)):
        activity = make_activity(cast, starts=starts, hours=3, roles=[("垃圾分类督导员", 8, "")])
        role = activity.shifts.get().roles.get()
        people = [
            services.volunteer_enrol(
                actor=worker, community=cast.community, name=name, phone=f"1381234560{n}"
            )
            for n, name in enumerate(["邵梦瑶", "黄博强", "徐嘉懿", "顾建然", "王玉珍"])
        ]
        for person in people:
            services.signup_create(actor=None, volunteer=person, role=role)
    for person in people[:3]:
        services.signup_check_in(actor=None, volunteer=person, activity=activity, lng=LNG, lat=LAT)
    for n in range(8):
        make_activity(
            cast, title=f"楼道堆物清理 第{n + 1}次", starts=timezone.now() + dt.timedelta(days=n + 1)
        )
    roster = f"/volunteers/staff/activities/{activity.pk}/"

    phone = Walk(browser, "phone", worker, live_server.url)
    page = phone.go("/volunteers/staff/")
    heights = page.eval_on_selector_all("table.vo-acts tbody tr.vo-act-row", ROWS)
    assert len(heights) == 9 and max(heights) <= 84, heights  # the title's 44 px line and a small one
    assert short_targets(page, "table.vo-acts a, table.vo-acts button") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("activities")

    page = phone.go(roster)
    heights = page.eval_on_selector_all("table.vo-roster tbody tr", ROWS)
    assert len(heights) == 5 and max(heights) <= 64, heights  # two lines beside the 44 px controls
    assert short_targets(page, "table.vo-roster button, table.vo-roster input:not([type=hidden])") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("roster")

    first = page.locator("table.vo-roster tbody tr", has_text="邵梦瑶")
    first.locator("input[name=hours]").fill("9")  # more than the shift's three hours
    first.get_by_role("button", name="确认时长").click()
    page.wait_for_load_state()
    assert "最多 3 小时" in page.locator("body").inner_text()
    first = page.locator("table.vo-roster tbody tr", has_text="邵梦瑶")
    assert first.locator("input[name=hours]").input_value() == "9"  # what was typed, kept
    first.locator("input[name=hours]").fill("2")
    first.get_by_role("button", name="确认时长").click()
    page.wait_for_load_state()
    assert "时长已确认" in page.locator("table.vo-roster tbody tr", has_text="邵梦瑶").inner_text()

    asked = confirm_next(page)
    page.locator("table.vo-roster tbody tr", has_text="王玉珍").get_by_role("button", name="缺席").click()
    page.wait_for_load_state()
    assert asked and "王玉珍" in asked[0]
    absent = page.locator("table.vo-roster tbody tr", has_text="王玉珍")
    assert absent.locator(".vo-r-state").inner_text() == "缺席" and absent.locator("button").count() == 0
    assert Signup.objects.get(volunteer=people[0]).state == "done"
    assert Signup.objects.get(volunteer=people[4]).state == "no_show"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    desk = Walk(browser, "desktop", worker, live_server.url)
    page = desk.go("/volunteers/staff/")
    assert max(page.eval_on_selector_all("table.vo-acts tbody tr.vo-act-row", ROWS)) <= 52  # one line each
    desk.shot("activities")
    page = desk.go(roster)
    assert max(page.eval_on_selector_all("table.vo-roster tbody tr", ROWS)) <= 52
    desk.shot("roster")
    desk.close()


def test_the_volunteers_list_is_short_rows_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The staff's list of volunteers was a card of seven labelled lines a volunteer on a phone (about 310 px; the
    demo's first community, 47 volunteers, 14,781 px high): now the name with 停用 at its right, under it the kind,
    the masked number, skills and certificates, then the teams. Making one inactive still asks first."""
    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.models import Volunteer

    cast = build_cast()
    worker = cast.community_worker
    people = [
        services.volunteer_enrol(
            actor=worker,
            community=cast.community,
            name=name,
            phone=f"1381234560{n}",
            skills="维修、理发" if n % 2 else "",
            certificates=["first_aid"] if n % 3 == 0 else [],
        )
        for n, name in enumerate(["邵梦瑶", "黄博强", "徐嘉懿", "顾建然", "王玉珍", "李秀英"])
    ]
    services.team_create(
        actor=None, community=cast.community, name="幸福环保志愿队", colour="green", members=people[:3]
    )

    phone = Walk(browser, "phone", worker, live_server.url)
    page = phone.go("/volunteers/staff/volunteers/")
    rows = page.locator("table.vo-people tbody tr")
    heights = page.eval_on_selector_all("table.vo-people tbody tr", ROWS)
    assert len(heights) == 6 and max(heights) <= 130, heights  # the name beside 停用, a small line, the teams
    alone = rows.filter(has_text="王玉珍")  # no team
    assert alone.evaluate("r => r.getBoundingClientRect().height") <= 84
    assert "138****5604" in alone.inner_text() and "维修" not in alone.inner_text()
    assert short_targets(page, "table.vo-people a, table.vo-people button") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("volunteers")
    asked = confirm_next(page)
    rows.filter(has_text="黄博强").get_by_role("button", name="停用").click()
    page.wait_for_load_state()
    assert asked and "黄博强" in asked[0]
    assert Volunteer.objects.get(pk=people[1].pk).active is False
    phone.close()

    desk = Walk(browser, "desktop", worker, live_server.url)
    page = desk.go("/volunteers/staff/volunteers/")
    assert max(page.eval_on_selector_all("table.vo-people tbody tr", ROWS)) <= 52  # one line each
    desk.shot("volunteers")
    desk.close()
