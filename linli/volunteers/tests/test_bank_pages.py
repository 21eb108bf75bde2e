"""The staff's time bank page as a worker reads it, on a phone as at a desk: the accounts found by name, by the
last digits of a mobile number or by kind, a page at a time, each a short row (no limit that says nothing); the
words of the page are a community worker's, not an accountant's; a ledger line of service recorded elsewhere says
what the service was, its order code apart."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.volunteers import services
from linli.volunteers.models import BankAccount

from .conftest import World, haircut_served

pytestmark = pytest.mark.django_db
URL = reverse("volunteers:staff_bank")


def accounts_listed(page: str) -> list[str]:
    """The names of the accounts the list shows, in order."""
    return re.findall(r'<span class="vo-account-name">([^<]+)</span>', page)


def test_a_worker_finds_an_account_by_name_or_the_last_digits_of_the_number(
    world: World, client_for: Any
) -> None:
    client = client_for("community_worker")
    everyone = accounts_listed(client.get(URL).content.decode())
    assert {"张三", "王医生"} <= set(everyone) and len(everyone) == 3  # and the community's bank
    assert accounts_listed(client.get(URL, {"q": "张"}).content.decode()) == ["张三"]
    assert accounts_listed(client.get(URL, {"q": "5678"}).content.decode()) == ["张三"]
    assert accounts_listed(client.get(URL, {"q": "138 1234 5678"}).content.decode()) == ["张三"]
    found = client.get(URL, {"q": "5678"}).content.decode()
    assert "找到 1 个账户" in found and 'value="5678"' in found and "138****5678" in found


def test_too_few_digits_are_asked_for_again_with_what_was_typed_kept(world: World, client_for: Any) -> None:
    page = client_for("community_worker").get(URL, {"q": "678"}).content.decode()
    assert accounts_listed(page) == []
    assert "请至少输入手机号后 4 位" in page and 'value="678"' in page


def test_nothing_found_says_what_to_type(world: World, client_for: Any) -> None:
    page = client_for("community_worker").get(URL, {"q": "李四"}).content.decode()
    assert accounts_listed(page) == [] and "没有找到与“李四”相符的账户" in page


def test_the_kind_filter_shows_one_kind(world: World, client_for: Any) -> None:
    client = client_for("community_worker")
    banks = client.get(URL, {"kind": "bank"}).content.decode()
    assert accounts_listed(banks) == [services.community_bank(world.cast.community).name]
    assert '<option value="bank" selected>' in banks
    people = accounts_listed(client.get(URL, {"kind": "person"}).content.decode())
    assert sorted(people) == sorted(["张三", "王医生"])
    assert len(accounts_listed(client.get(URL, {"kind": "nonsense"}).content.decode())) == 3  # ignored


def test_a_row_shows_a_limit_only_when_it_says_something(world: World, client_for: Any) -> None:
    """Every person's account stops at zero (≥ 0.00 on every row said nothing); a ceiling set on one is shown."""
    BankAccount.objects.filter(pk=world.other.bank_account.pk).update(max_balance=Decimal(40))
    page = client_for("community_worker").get(URL).content.decode()
    assert "≥" not in page and "下限" not in page and page.count("上限 40.00") == 1


def test_the_search_is_kept_from_page_to_page(world: World, client_for: Any) -> None:
    BankAccount.objects.bulk_create(
        BankAccount(kind="person", name=f"邻居{n:02d}", community=world.cast.community) for n in range(60)
    )
    client = client_for("community_worker")
    first = client.get(URL, {"q": "邻居", "kind": "person"}).content.decode()
    assert len(accounts_listed(first)) == 50 and "找到 60 个账户" in first
    assert "?q=%E9%82%BB%E5%B1%85&amp;kind=person&amp;page=2" in first
    second = client.get(URL, {"q": "邻居", "kind": "person", "page": 2}).content.decode()
    assert len(accounts_listed(second)) == 10 and "张三" not in accounts_listed(second)


def test_the_list_reads_in_a_fixed_number_of_queries(
    world: World, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("community_worker")
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, {"kind": "person"})
    few = len(ctx.captured_queries)
    BankAccount.objects.bulk_create(
        BankAccount(kind="person", name=f"邻居{n:02d}", community=world.cast.community) for n in range(20)
    )
    with django_assert_num_queries(few):
        client.get(URL, {"kind": "person"})


def test_a_worker_of_another_community_finds_none_of_these(world: World, client_for: Any) -> None:
    page = client_for("outsider").get(URL, {"q": "5678"}).content.decode()
    assert accounts_listed(page) == []


def test_the_page_explains_transfers_in_a_workers_words(world: World, client_for: Any) -> None:
    page = client_for("community_worker").get(URL).content.decode()
    assert "分录" not in page and "全部账户加起来始终是 0 小时" in page


def test_hours_for_an_order_say_the_service_with_its_code_apart(world: World, client_for: Any) -> None:
    """Co-building hands over 理发 · FW202612010001 (core.served): the volunteer's ledger and the staff's view of
    the account show 理发 as what was done, and the order code in small, as a reference."""
    assert haircut_served(world)
    reference = '<span class="muted small vo-reference">单号 FW202612010001</span>'
    mine = client_for("resident").get(reverse("volunteers:my_ledger")).content.decode()
    assert "志愿服务 · 理发 " + reference in mine
    staff = client_for("community_worker").get(
        reverse("volunteers:staff_account", args=[world.me.bank_account.pk])
    )
    assert "理发 " + reference in staff.content.decode()


def test_a_note_without_a_code_is_shown_as_written(world: World, client_for: Any) -> None:
    services.hours_pay(
        actor=world.cast.community_worker,
        payer=services.community_bank(world.cast.community),
        payee=world.me.bank_account,
        amount="1",
        category="gift",
        note="春节慰问 · 第2批",
    )
    mine = client_for("resident").get(reverse("volunteers:my_ledger")).content.decode()
    assert "春节慰问 · 第2批" in mine and "单号" not in mine
