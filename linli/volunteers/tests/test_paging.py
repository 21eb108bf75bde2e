"""Long lists go a page at a time with the shared pager, never stopping silently at a cap: a volunteer's hours,
the staff's view of an account, a volunteer's past sign-ups, the open activities, a community's public record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.volunteers import services

from .conftest import World, at, make_activity

pytestmark = pytest.mark.django_db


def paid_31_times(world: World) -> None:
    bank = services.community_bank(world.cast.community)
    for n in range(31):
        services.hours_pay(
            actor=None,
            payer=bank,
            payee=world.me.bank_account,
            amount="1",
            category="gift",
            note=f"第{n + 1}笔",
        )


def test_a_volunteers_hours_go_a_page_at_a_time(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    paid_31_times(world)
    client = client_for("resident")
    first = client.get(reverse("volunteers:my_ledger")).content.decode()
    assert "第31笔" in first and "第1笔<" not in first and "第 1 / 2 页，共 31 条" in first
    second = client.get(reverse("volunteers:my_ledger"), {"hours": 2}).content.decode()
    assert "第1笔" in second and "第31笔" not in second


def test_the_staffs_account_page_goes_a_page_at_a_time(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    paid_31_times(world)
    url = reverse("volunteers:staff_account", args=[world.me.bank_account.pk])
    client = client_for("community_worker")
    first = client.get(url).content.decode()
    assert "第 1 / 2 页，共 31 条" in first and "第1笔<" not in first
    assert "第1笔<" in client.get(url, {"page": 2}).content.decode()


def test_the_open_activities_go_a_page_at_a_time(world: World, client_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The list stopped at the 50th open activity without a word."""
    from linli.volunteers.views import mine

    monkeypatch.setattr(mine, "ACTIVITIES_PER_PAGE", 1)
    make_activity(world.cast, title="楼道清扫", starts=at(5))
    client = client_for("resident")
    first = client.get(reverse("volunteers:activities")).content.decode()
    assert "社区环境整治" in first and "楼道清扫" not in first and "第 1 / 2 页，共 2 条" in first
    assert "楼道清扫" in client.get(reverse("volunteers:activities"), {"page": 2}).content.decode()


def test_a_communitys_public_record_goes_a_page_at_a_time_and_its_calendar_keeps_two_months(
    world: World, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The public page stopped at the 30th past activity (and its calendar at the 200th coming one) without a
    word; now the past goes a page at a time and the calendar holds every activity of the coming two months."""
    import time_machine
    from django.test import Client

    from linli.volunteers.views import public

    monkeypatch.setattr(public, "PAST_PER_PAGE", 1)
    make_activity(world.cast, title="楼道清扫", starts=at(1))
    make_activity(world.cast, title="六十天内的义诊", starts=at(50))
    make_activity(world.cast, title="三个月后的义诊", starts=at(90))
    url = reverse("volunteers:public_community", args=[world.cast.community.code])
    with time_machine.travel(at(3)):
        first = Client().get(url).content.decode()
        second = Client().get(url, {"past": 2}).content.decode()
    past = first.split('id="past"')[1]
    assert "社区环境整治" in past and "楼道清扫" not in past and "第 1 / 2 页，共 2 条" in past
    assert 'href="?past=2#past"' in past and "楼道清扫" in second.split('id="past"')[1]
    calendar = first.split('id="calendar"')[1].split("</section>")[0]
    assert "六十天内的义诊" in calendar and "三个月后的义诊" not in calendar
