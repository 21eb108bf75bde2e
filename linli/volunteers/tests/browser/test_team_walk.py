"""In headless Chromium: a worker opens a team from the teams list, makes a member its leader from the member's row,
finds and adds a member and removes another (answering the question first); the volunteers list shows each
volunteer's teams whole on a phone; the new leader reads the team's page from their volunteering home. Each page at
390 × 844 and 1400 × 900."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SIZES, SignedInSession, confirm_next

pytestmark = pytest.mark.browser

# Every team badge lies within the page's width (on a phone, a volunteer's second team was cut off at the edge).
BADGES_FIT = (
    "[...document.querySelectorAll('.vo-team')].every(b => b.getBoundingClientRect().right <= innerWidth + 1)"
)


class Walk(SignedInSession):
    prefix = "volunteers-team"


def test_a_worker_keeps_a_team_and_its_leader_reads_it(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.tests.conftest import resident_volunteer

    cast = build_cast()
    me = resident_volunteer(cast)
    old = services.volunteer_enrol(actor=None, community=cast.community, name="王医生")
    services.volunteer_enrol(actor=None, community=cast.community, name="赵六", skills="理发")
    red = services.team_create(
        actor=None, community=cast.community, name="幸福红色先锋队", colour="red", leader=old, members=[me]
    )
    services.team_create(
        actor=None, community=cast.community, name="幸福环保志愿队", colour="green", members=[me]
    )
    for size in SIZES:
        worker = Walk(browser, size, cast.community_worker, live_server.url)
        page = worker.go("/volunteers/staff/teams/")
        page.click("a.vo-team-link:has-text('幸福红色先锋队')")
        expect(page.locator("h1")).to_have_text("幸福红色先锋队")
        if size == "phone":
            page.click(f"form:has(input[name=leader][value='{me.pk}']) button:has-text('设为队长')")
            expect(page.locator("body")).to_contain_text("队长已更换")
            expect(page.locator("tr:has-text('张三') .vo-leader")).to_be_visible()
            page.fill("#team-find", "理发")
            page.click("#add button:has-text('查询')")
            page.check("#add input[type=checkbox]")
            page.click("#add button:has-text('将勾选的志愿者加入本队')")
            expect(page.locator("body")).to_contain_text("队员已加入")
            asked = confirm_next(page)
            page.click(f"form[action$='/members/{old.pk}/remove/'] button")
            expect(page.locator("body")).to_contain_text("王医生 已离开本队")
            assert asked and "王医生" in asked[0]
        worker.shot("page")
        page = worker.go("/volunteers/staff/volunteers/?q=张三")
        assert page.evaluate(BADGES_FIT)
        worker.shot("volunteers")
        worker.close()
    for size in SIZES:
        leader = Walk(browser, size, cast.resident, live_server.url)
        page = leader.go("/volunteers/")
        page.click("a.front-action:has-text('我带的队伍')")
        expect(page.locator("h1")).to_have_text("幸福红色先锋队")
        expect(page.locator("body")).to_contain_text("赵六")
        assert red.pk and "移出本队" not in page.content()
        leader.shot("leader")
        leader.close()
