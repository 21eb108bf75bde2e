"""In headless Chromium: a team's staff page reads on a phone as the staff's activities list and the roster do, two
dense lines a row, where its members and its schedule (coming and recent activities) were cards of labelled lines
(about 215 px a member with its buttons, about 187 px an activity: the demo's first community's 环保志愿队 measured
5,613 px high). The schedule comes before the forms that change the team (it was under the volunteers to add and the
team's details). The buttons stay 44 px high, nothing is wider than the screen; at a desk each row is one line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.testing.browser import SignedInSession, short_targets

pytestmark = pytest.mark.browser

ROWS = "rows => rows.map(r => Math.round(r.getBoundingClientRect().height))"
TOP = "n => Math.round(n.getBoundingClientRect().top + scrollY)"


class Walk(SignedInSession):
    prefix = "volunteers-team-rows"


def test_a_teams_members_and_schedule_are_two_short_lines_a_row_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.tests.conftest import LAT, LNG

    cast = build_cast()
    worker = cast.community_worker
    people = [
        services.volunteer_enrol(actor=worker, community=cast.community, name=name, phone=f"1381234560{n}")
        for n, name in enumerate(["邵梦瑶", "黄博强", "徐嘉懿", "顾建然", "王玉珍"])
    ]
    team = services.team_create(
        actor=None,
        community=cast.community,
        name="幸福环保志愿队",
        colour="green",
        leader=people[0],
        members=people,
    )

    def activity(title: str, starts: dt.datetime) -> None:
        with time_machine.travel(min(starts, timezone.now()) - dt.timedelta(days=2)):
            made = services.activity_create(
                actor=worker,
                community=cast.community,
                team=team,
                title=title,
                place="幸福小区北门垃圾分类驿站东侧空地",  # a long place: cut short on a phone, not wrapped
                lng=LNG,
                lat=LAT,
                signup_opens_at=timezone.now(),
                shifts=[
                    services.ShiftIn(
                        starts, starts + dt.timedelta(hours=2), [("值守员", 6, ""), ("宣传员", 2, "")]
                    )
                ],
            )
            services.activity_open(actor=worker, activity=made)

    for n in range(3):
        activity(f"垃圾分类桶前值守 第{n + 1}次", timezone.now() + dt.timedelta(days=n + 1))
    for n in range(4):
        activity(f"绿地认养补种 第{n + 1}次", timezone.now() - dt.timedelta(days=7 * (n + 1)))
    path = f"/volunteers/staff/teams/{team.pk}/"

    phone = Walk(browser, "phone", worker, live_server.url)
    page = phone.go(path)
    schedule = page.eval_on_selector_all("table.vo-team-schedule tbody tr.vo-act-row", ROWS)
    assert len(schedule) == 7 and max(schedule) <= 84, schedule  # the title's 44 px line and a small one
    members = page.eval_on_selector_all("table.vo-members tbody tr", ROWS)
    assert len(members) == 5 and max(members) <= 90, members  # the name beside 44 px buttons, a small line
    assert short_targets(page, "table.vo-members button, table.vo-team-schedule a") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.eval_on_selector("#coming", TOP) < page.eval_on_selector("#add", TOP)
    assert "本队 0 小时" in page.locator("table.vo-members tbody tr", has_text="黄博强").inner_text()
    phone.shot("page")
    phone.close()

    desk = Walk(browser, "desktop", worker, live_server.url)
    page = desk.go(path)
    assert max(page.eval_on_selector_all("table.vo-team-schedule tbody tr", ROWS)) <= 52  # one line each
    assert max(page.eval_on_selector_all("table.vo-members tbody tr", ROWS)) <= 52
    assert "本队 0" not in page.locator("table.vo-members").inner_text()  # the column heads say it
    desk.shot("page")
    desk.close()
