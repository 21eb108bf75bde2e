"""Long lists go a page at a time with the shared pager, never stopping silently at a cap: a volunteer's hours,
the staff's view of an account, a volunteer's past sign-ups."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.volunteers import services

from .conftest import World

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
