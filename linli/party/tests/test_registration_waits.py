"""双报到 that wait too long are seen: a registration pending more than `waits.REGISTRATION_DECIDE_WORKING_DAYS`
working days (by the holiday calendar) is overdue. The deciders' list puts the oldest pending first and marks the
overdue, the staff home's to-do counts them as late, and the API says how long each has waited."""

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
    assert "超过 5 个工作日未审核" in page  # the rule, stated on the list


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
    assert (by_name["已通过"]["waited_working_days"], by_name["已通过"]["overdue"]) == (None, False)
