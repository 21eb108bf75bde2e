"""双报到 that wait too long are seen: a registration pending more than `waits.REGISTRATION_STEP_WORKING_DAYS`
working days (by the holiday calendar) is overdue, and so is one approved that has waited as long since for a
post. The deciders' list puts the oldest pending first (then the approved waiting for a post, the oldest first) and
marks the overdue, the staff home's to-dos count them as late, and the API says how long each has waited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from linli.core.todo import waiting_for
from linli.party import services, waits
from linli.party.models import MemberRegistration
from linli.testing import Cast, at, signed_in

pytestmark = pytest.mark.django_db


def _registered(cast: Cast, name: str, phone: str, on: dt.date) -> MemberRegistration:
    reg = services.member_registration_apply(
        actor=None,
        community=cast.community,
        name=name,
        phone=phone,
        workplace="区法院",
        workplace_branch="区法院机关党支部",
        specialty="legal",
        availability="weekends",
    )
    MemberRegistration.objects.filter(pk=reg.pk).update(registered_on=on)
    reg.refresh_from_db()
    return reg


def test_working_days_waited_follow_the_holiday_calendar() -> None:
    today = dt.date(2026, 12, 7)  # a Monday
    assert waits.working_days_waited(dt.date(2026, 11, 30), today) == 5
    assert waits.working_days_waited(dt.date(2026, 11, 27), today) == 6
    assert waits.working_days_waited(today, today) == 0
    # National Day week: 1–7 October 2026 are off, so a registration of 30 September has waited one day by the 8th
    assert waits.working_days_waited(dt.date(2026, 9, 30), dt.date(2026, 10, 8)) == 1
    assert waits.overdue_before(today) == dt.date(2026, 11, 30)


@time_machine.travel(at(2026, 12, 7, 10), tick=False)
def test_the_deciders_list_puts_the_oldest_pending_first_and_marks_the_overdue(cast: Cast) -> None:
    _registered(cast, "新报到", "13900000001", dt.date(2026, 12, 4))
    _registered(cast, "去年报到", "13900000002", dt.date(2025, 3, 10))
    _registered(cast, "前年报到", "13900000003", dt.date(2024, 5, 6))
    page = signed_in(cast.community_worker).get("/party/registrations/").content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page.split("<tbody>")[1], re.S)
    names = [re.search(r"<strong>(.*?)</strong>", row).group(1) for row in rows]  # type: ignore[union-attr]
    assert names == ["前年报到", "去年报到", "新报到"]
    assert "超时" in rows[0] and "超时" in rows[1] and "超时" not in rows[2]
    assert "已等 1 个工作日" in rows[2]
    assert "超过 5 个工作日未审核或未安排岗位" in page  # the rule, stated on the list


@time_machine.travel(at(2026, 12, 7, 10), tick=False)
def test_the_home_counts_overdue_registrations_as_late(cast: Cast) -> None:
    _registered(cast, "新报到", "13900000001", dt.date(2026, 12, 4))
    _registered(cast, "前年报到", "13900000003", dt.date(2024, 5, 6))
    todo = next(t for t in waiting_for(cast.community_worker) if t.name == "party.registrations")
    assert (todo.count, todo.late) == (2, 1)


@time_machine.travel(at(2026, 12, 7, 10), tick=False)
def test_the_api_says_how_long_each_registration_has_waited(cast: Cast) -> None:
    _registered(cast, "新报到", "13900000001", dt.date(2026, 12, 4))
    _registered(cast, "三周前报到", "13900000003", dt.date(2026, 11, 20))
    decided = _registered(cast, "已通过", "13900000004", dt.date(2026, 11, 2))
    services.member_registration_approve(actor=cast.community_worker, registration=decided)
    items = signed_in(cast.community_worker).get("/api/party/registrations").json()["items"]
    by_name = {i["name"]: i for i in items}
    assert (by_name["新报到"]["waited_working_days"], by_name["新报到"]["overdue"]) == (1, False)
    assert (by_name["三周前报到"]["waited_working_days"], by_name["三周前报到"]["overdue"]) == (11, True)
    # approved today: it now waits for its post, from today
    assert (by_name["已通过"]["waited_working_days"], by_name["已通过"]["overdue"]) == (0, False)
    services.member_registration_assign_post(
        actor=cast.community_worker, registration=decided, grid=cast.grid, post="法律顾问"
    )
    items = signed_in(cast.community_worker).get("/api/party/registrations").json()["items"]
    posted = next(i for i in items if i["name"] == "已通过")
    assert (posted["waiting_since"], posted["waited_working_days"], posted["overdue"]) == (None, None, False)


def _approved(cast: Cast, name: str, phone: str, on: dt.datetime) -> MemberRegistration:
    """A registration the community approved at `on` (Beijing time) and has given no post since."""
    reg = services.member_registration_approve(
        actor=cast.community_worker, registration=_registered(cast, name, phone, dt.date(2026, 11, 2))
    )
    MemberRegistration.objects.filter(pk=reg.pk).update(decided_at=on)
    reg.refresh_from_db()
    return reg


@time_machine.travel(at(2026, 12, 7, 10), tick=False)
def test_an_approved_registration_waits_for_its_post_from_the_day_it_was_approved(cast: Cast) -> None:
    """Approved and given no post, a member waited unseen for ever: the wait for the post is counted from the day
    of the approval (Beijing's day: 00:30 on 30 November is the 30th), by the same rule as the decision."""
    _registered(cast, "待审核", "13900000001", dt.date(2026, 12, 4))
    _approved(cast, "本周通过", "13900000002", at(2026, 11, 30, 0, 30))
    _approved(cast, "三周前通过", "13900000003", at(2026, 11, 16, 9))
    items = signed_in(cast.community_worker).get("/api/party/registrations").json()["items"]
    by_name = {i["name"]: i for i in items}
    assert (by_name["本周通过"]["waited_working_days"], by_name["本周通过"]["overdue"]) == (5, False)
    assert (by_name["三周前通过"]["waited_working_days"], by_name["三周前通过"]["overdue"]) == (15, True)
    assert by_name["本周通过"]["waiting_since"] == "2026-11-30"
    assert by_name["待审核"]["waiting_since"] == "2026-12-04"

    page = signed_in(cast.community_worker).get("/party/registrations/").content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page.split("<tbody>")[1], re.S)
    names = [re.search(r"<strong>(.*?)</strong>", row).group(1) for row in rows]  # type: ignore[union-attr]
    assert names == ["待审核", "三周前通过", "本周通过"]  # pending first, then the longest waiting for a post
    assert "超时" in rows[1] and "已等 15 个工作日" in rows[1]
    assert "超时" not in rows[2] and "已等 5 个工作日" in rows[2]

    todos = {t.name: t for t in waiting_for(cast.community_worker)}
    assert (todos["party.posts"].count, todos["party.posts"].late) == (2, 1)
    assert todos["party.posts"].href == "/party/registrations/?status=approved"
    assert (todos["party.registrations"].count, todos["party.registrations"].late) == (1, 0)


@time_machine.travel(at(2026, 12, 7, 10), tick=False)
def test_the_home_counts_late_exactly_those_the_list_marks_overdue(cast: Cast) -> None:
    """One rule: the to-dos' late counts (a query) and the list's marks (each row's days) never disagree, on the
    days at the rule's edge either side, pending or approved."""
    for i, day in enumerate((dt.date(2026, 11, 27), dt.date(2026, 11, 29), dt.date(2026, 11, 30))):
        _registered(cast, f"报到{i}", f"1390000001{i}", day)
    for i, moment in enumerate((at(2026, 11, 27, 23, 59), at(2026, 11, 29, 12), at(2026, 11, 30, 0, 1))):
        _approved(cast, f"通过{i}", f"1390000002{i}", moment)
    page = signed_in(cast.community_worker).get("/party/registrations/").content.decode()
    marked = page.split("<tbody>")[1].count("超时")
    todos = {t.name: t for t in waiting_for(cast.community_worker)}
    assert (todos["party.registrations"].late, todos["party.posts"].late) == (2, 2)
    assert marked == 4


@time_machine.travel(at(2026, 12, 7, 10), tick=False)
def test_a_registrations_page_says_what_it_waits_for_and_how_long(cast: Cast) -> None:
    late = _approved(cast, "三周前通过", "13900000003", at(2026, 11, 16, 9))
    page = signed_in(cast.community_worker).get(f"/party/registrations/{late.pk}/").content.decode()
    shown = page.split("<dl", 1)[1].split("</dl>", 1)[0]
    assert "待幸福社区安排岗位" in shown and "已等 15 个工作日" in shown and "超时" in shown
    assert "2026-11-16" in shown  # the day approved, from which the wait for the post counts
