"""The staff's page of a time bank account reads as a statement: one short row a movement with the balance right
after it (page after page, and within a month chosen), the month's hours in and out and its closing balance, and a
transfer reversed already says so rather than offering a reversal the bank would refuse."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.volunteers import services
from linli.volunteers.models import Transfer

from .conftest import World

pytestmark = pytest.mark.django_db


def on(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


def paid(world: World, amount: str, note: str, when: dt.datetime) -> Transfer:
    """The community's bank pays `amount` hours into the resident volunteer's account at `when`."""
    with time_machine.travel(when, tick=False):
        return services.hours_pay(
            actor=world.cast.community_worker,
            payer=services.community_bank(world.cast.community),
            payee=world.me.bank_account,
            amount=amount,
            category="gift",
            note=note,
        )


def spent(world: World, amount: str, note: str, when: dt.datetime) -> Transfer:
    """The resident volunteer spends `amount` hours with the community's bank at `when`."""
    with time_machine.travel(when, tick=False):
        return services.hours_pay(
            actor=world.cast.resident,
            payer=world.me.bank_account,
            payee=services.community_bank(world.cast.community),
            amount=amount,
            category="errands",
            note=note,
        )


def rows(page: str) -> list[tuple[str, str, str, str]]:
    """Each movement's row as (what for, hours in, hours out, balance after), in the order shown."""
    found = re.findall(
        r'<td class="vo-m-what">(.*?)</td>.*?vo-in">([^<]*)</td>.*?vo-out">([^<]*)</td>'
        r'.*?vo-m-after"><span class="vo-m-after-label">[^<]*</span>([^<]*)</td>',
        page,
        re.S,
    )
    return [(re.sub(r"<[^>]+>", "", what), i, o, after) for what, i, o, after in found]


def statement(client: Any, world: World, **query: Any) -> str:
    url = reverse("volunteers:staff_account", args=[world.me.bank_account.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def year_of_hours(world: World) -> World:
    """Three months of the resident's hours: 4 in October, 2.5 in and 1 out in November, 3 in December."""
    paid(world, "4", "十月慰问", on(2026, 10, 8))
    paid(world, "2.5", "十一月慰问", on(2026, 11, 3))
    spent(world, "1", "代买药品", on(2026, 11, 20))
    paid(world, "3", "十二月慰问", on(2026, 12, 1))
    return world


def test_each_movement_is_one_row_with_the_balance_after_it(year_of_hours: World, client_for: Any) -> None:
    page = statement(client_for("community_worker"), year_of_hours)
    assert rows(page) == [
        ("时长捐赠 · 十二月慰问", "+3.00", "", "8.50"),
        ("代办代购 · 代买药品", "", "-1.00", "5.50"),
        ("时长捐赠 · 十一月慰问", "+2.50", "", "6.50"),
        ("时长捐赠 · 十月慰问", "+4.00", "", "4.00"),
    ]
    assert page.count('class="vo-month"') == 3  # a line for each month: 2026年12月, 11月, 10月
    assert "2026年11月" in page


def test_the_balance_after_runs_on_from_one_page_to_the_next(world: World, client_for: Any) -> None:
    for n in range(31):
        paid(world, "1", f"第{n + 1}笔", on(2026, 11, 1) + dt.timedelta(hours=n))
    client = client_for("community_worker")
    first, second = rows(statement(client, world)), rows(statement(client, world, page=2))
    assert [r[3] for r in first[:2]] == ["31.00", "30.00"] and first[-1][3] == "2.00"
    assert second == [("时长捐赠 · 第1笔", "+1.00", "", "1.00")]


def test_a_month_chosen_shows_its_movements_what_came_in_and_out_and_its_closing_balance(
    year_of_hours: World, client_for: Any
) -> None:
    page = statement(client_for("community_worker"), year_of_hours, month="2026-11")
    assert rows(page) == [
        ("代办代购 · 代买药品", "", "-1.00", "5.50"),
        ("时长捐赠 · 十一月慰问", "+2.50", "", "6.50"),
    ]
    assert '<option value="2026-11" selected>2026年11月 · 2 笔</option>' in page
    text = re.sub(r"<[^>]+>", "", page)
    assert "2026年11月：存入 +2.50，支出 -1.00，月末余额 5.50" in text


def test_a_month_not_in_the_account_shows_every_month(year_of_hours: World, client_for: Any) -> None:
    client = client_for("community_worker")
    for asked in ("2025-01", "november", ""):
        page = statement(client, year_of_hours, month=asked)
        assert len(rows(page)) == 4 and "月末余额" not in page


def test_a_reversed_transfer_says_so_instead_of_offering_its_reversal_again(
    world: World, client_for: Any
) -> None:
    gift = paid(world, "2", "误发", on(2026, 11, 3))
    services.transfer_reverse(actor=world.cast.community_worker, transfer=gift, reason="发错了人")
    page = statement(client_for("community_worker"), world)
    assert rows(page) == [
        ("更正（撤销这笔） · 发错了人", "", "-2.00", "0.00"),
        ("时长捐赠 · 误发", "+2.00", "", "2.00"),
    ]
    assert "已撤销" in page
    assert (
        page.count("<summary") == 0
    )  # neither the reversed transfer nor its reversal is offered for reversing


def test_the_statement_reads_in_a_fixed_number_of_queries(
    year_of_hours: World, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("community_worker")
    counts = []
    for query in ({}, {"month": "2026-11"}):
        with CaptureQueriesContext(connection) as ctx:
            statement(client, year_of_hours, **query)
        counts.append(len(ctx.captured_queries))
    for month in range(1, 10):  # nine more months, and six more movements in November
        paid(year_of_hours, "1", f"{month}月", on(2026, month, 5))
        paid(year_of_hours, "1", f"{month}日", on(2026, 11, month + 10))
    for query, count in zip(({}, {"month": "2026-11"}), counts, strict=True):
        with django_assert_num_queries(count):
            statement(client, year_of_hours, **query)


def test_the_balance_after_the_latest_movement_is_the_accounts_balance(
    year_of_hours: World, client_for: Any
) -> None:
    account = year_of_hours.me.bank_account
    account.refresh_from_db()
    assert account.balance == Decimal("8.50")
    assert rows(statement(client_for("community_worker"), year_of_hours))[0][3] == str(account.balance)


def test_a_movement_names_whom_it_paid_or_who_paid_it_not_those_giving_beside_it(
    world: World, client_for: Any
) -> None:
    """Two volunteers give a care home two hours each in one transfer: each paid the home, not each other (the
    volunteer's ledger read 付给 王医生 · 付给 敬老院), and the home was paid by both."""
    me, other = world.me.bank_account, world.other.bank_account
    paid(world, "3", "慰问", on(2026, 11, 1))
    with time_machine.travel(on(2026, 11, 2), tick=False):
        services.hours_pay(
            actor=world.cast.community_worker,
            payer=services.community_bank(world.cast.community),
            payee=other,
            amount="3",
            category="gift",
        )
    home = services.organisation_account(
        actor=world.cast.community_worker, community=world.cast.community, organisation=world.cast.department
    )
    with time_machine.travel(on(2026, 11, 5), tick=False):
        services.hours_transfer(
            actor=world.cast.community_worker,
            legs=[(me, Decimal(-2)), (other, Decimal(-2)), (home, Decimal(4))],
            category="elder_care",
            note="共同捐赠",
        )
    home_name = home.name
    staff = client_for("community_worker")
    mine = statement(staff, world)
    assert re.findall(r'<td class="vo-m-with">(.*?)</td>', mine)[0] == f"<span>{home_name}</span>"
    ledger = client_for("resident").get(reverse("volunteers:my_ledger")).content.decode()
    assert f"付给 {home_name}</span>" in ledger and "王医生" not in ledger
    url = reverse("volunteers:staff_account", args=[home.pk])
    homes = staff.get(url).content.decode()
    assert re.findall(r'<td class="vo-m-with">(.*?)</td>', homes) == ["<span>张三</span><span>王医生</span>"]
