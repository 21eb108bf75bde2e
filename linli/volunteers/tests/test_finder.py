"""The time bank's forms find whom to pay by name or mobile number, not from a drop-down of every account of the
community: suggestions as one types (htmx, inside the reader's scope), and without JavaScript a whole name or
number resolved when the form is sent, a clear refusal in Chinese when it names nobody or several, nothing typed
lost."""

from __future__ import annotations

from decimal import Decimal as D

from django.urls import reverse

from linli.volunteers import services
from linli.volunteers.models import BankAccount

from .conftest import World, funded, ticked

SPEND = reverse("volunteers:spend")
SPEND_FIND = reverse("volunteers:spend_find")
BANK = reverse("volunteers:staff_bank")
BANK_FIND = reverse("volunteers:staff_bank_find")


def _neighbour(world: World, name: str = "李四", phone: str = "13900001111") -> BankAccount:
    volunteer = services.volunteer_enrol(
        actor=world.cast.community_worker, community=world.cast.community, name=name, phone=phone
    )
    return volunteer.bank_account


def _balance(account: BankAccount) -> D:
    account.refresh_from_db()
    return account.balance


def test_the_spend_form_lists_nobody_and_offers_the_own_bank_before_anything_is_typed(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    funded(world)
    page = client_for("resident").get(SPEND).content.decode()
    assert 'type="search"' in page and 'name="payee"' in page
    assert "王医生" not in page and "<select" not in page.split('name="payee"')[0][-300:]
    bank = services.community_bank(world.cast.community)
    assert f'name="payee_pick" value="{bank.pk}"' in page and bank.name in page


def test_a_volunteer_finds_a_neighbour_by_name_but_not_by_trying_digits(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _neighbour(world)
    stranger = services.volunteer_enrol(
        actor=world.cast.street_officer,
        community=world.cast.other_community,
        name="李外",
        phone="13900002222",
    )
    me = client_for("resident")
    found = me.get(SPEND_FIND, {"field": "payee", "payee": "李"}).content.decode()
    assert "李四" in found and "139****1111" in found and "13900001111" not in found
    assert stranger.name not in found  # a person of another community is no payee
    assert "李四" not in me.get(SPEND_FIND, {"field": "payee", "payee": "1111"}).content.decode()
    assert "李四" in me.get(SPEND_FIND, {"field": "payee", "payee": "139 0000 1111"}).content.decode()
    assert "李四" in me.get(SPEND_FIND, {"field": "payee", "payee": "+86 139-0000-1111"}).content.decode()
    # another community's bank is found by the community's name (a service arranged there)
    assert "光明社区时间银行" in me.get(SPEND_FIND, {"field": "payee", "payee": "光明"}).content.decode()


def test_a_whole_mobile_number_or_name_pays_without_javascript(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    funded(world)
    neighbour = _neighbour(world)
    me = client_for("resident")
    data = {
        "payee": "139-0000-1111",
        "hours": "1",
        "category": "errands",
        "note": "帮我取快递",
        "balance": "5",
    }
    assert me.post(SPEND, data).status_code == 302
    assert me.post(SPEND, {**data, "payee": "李四", "balance": "4"}).status_code == 302
    assert _balance(neighbour) == D(2)


def test_a_name_nobody_carries_is_refused_in_chinese_and_nothing_typed_is_lost(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    funded(world)
    me = client_for("resident")
    page = me.post(
        SPEND, {"payee": "赵六", "hours": "1.5", "category": "errands", "note": "帮我取快递"}
    ).content.decode()
    assert "找不到“赵六”" in page
    assert 'value="赵六"' in page and 'value="1.5"' in page and "帮我取快递" in page
    assert _balance(world.me.bank_account) == D(5)


def test_two_neighbours_of_one_name_are_offered_and_the_one_chosen_is_paid(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    funded(world)
    first = _neighbour(world, "王芳", "13900003333")
    second = _neighbour(world, "王芳", "13900004444")
    me = client_for("resident")
    data = {"payee": "王芳", "hours": "2", "category": "errands", "note": "陪我去医院", "balance": "5"}
    page = me.post(SPEND, data).content.decode()
    assert "有 2 个账户名为“王芳”" in page
    assert "139****3333" in page and "139****4444" in page
    assert f'name="payee_pick" value="{second.pk}"' in page and 'value="陪我去医院"' in page
    assert me.post(SPEND, {**data, "payee_pick": second.pk}).status_code == 302
    assert _balance(second) == D(2) and _balance(first) == D(0)


def test_a_tick_left_from_an_earlier_search_does_not_overrule_a_new_name(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    funded(world)
    neighbour = _neighbour(world)
    doctor = world.other.bank_account
    me = client_for("resident")
    data = {
        "payee": "李四",
        "payee_pick": doctor.pk,
        "hours": "1",
        "category": "errands",
        "note": "修水管",
        "balance": "5",
    }
    assert me.post(SPEND, data).status_code == 302
    assert _balance(neighbour) == D(1) and _balance(doctor) == D(0)


def test_choosing_a_suggestion_redraws_the_finder_with_the_choice_ticked(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    neighbour = _neighbour(world)
    me = client_for("resident")
    part = me.get(SPEND_FIND, {"field": "payee", "payee": "李", "payee_pick": neighbour.pk, "picked": 1})
    html = part.content.decode()
    assert 'class="finder"' in html and f'value="{neighbour.pk}" checked' in html
    assert 'name="payee" id="id_payee" value=""' in html
    assert me.get(SPEND_FIND, {"field": "hours", "payee": "李"}).status_code == 404


def test_staff_transfer_many_to_one_by_names_and_the_end_of_a_number(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    funded(world, "4")
    neighbour = _neighbour(world)
    services.hours_pay(
        actor=world.cast.community_worker,
        payer=services.community_bank(world.cast.community),
        payee=neighbour,
        amount="4",
        category="gift",
    )
    staff = client_for("community_worker")
    assert "李四" in staff.get(BANK_FIND, {"field": "payers", "payers": "1111"}).content.decode()
    form = {
        "payers": "张三，13900001111",
        "payee": "王医生",
        "hours": "1",
        "category": "gift",
        "note": "结对互助",
    }
    shown = staff.post(BANK, form)  # found, and ticked with their hours now to be checked
    assert shown.status_code == 422 and ticked(shown.content.decode()) == [
        f"{world.me.bank_account.pk}:4.00",
        f"{neighbour.pk}:4.00",
    ]
    assert _balance(world.me.bank_account) == D(4)
    response = staff.post(BANK, {**form, "payers": "", "payers_pick": ticked(shown.content.decode())})
    assert response.status_code == 302
    assert _balance(world.other.bank_account) == D(2)
    assert _balance(world.me.bank_account) == D(3) and _balance(neighbour) == D(3)


def test_staff_refusal_names_each_entry_and_keeps_the_form(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    page = staff.post(
        BANK,
        {
            "payers": "幸福社区时间银行，查无此人",
            "payee": "",
            "hours": "2",
            "category": "gift",
            "note": "表彰",
        },
    ).content.decode()
    assert "找不到“查无此人”" in page and "请输入姓名或手机号" in page and "“查无此人”可能是" not in page
    assert 'value="幸福社区时间银行，查无此人"' in page and 'value="2"' in page and 'value="表彰"' in page


def test_staff_find_only_their_area_and_other_communities_banks(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    stranger = services.volunteer_enrol(
        actor=world.cast.street_officer,
        community=world.cast.other_community,
        name="张外",
        phone="13900005555",
    )
    staff = client_for("community_worker")
    assert "张外" not in staff.get(BANK_FIND, {"field": "payee", "payee": "张"}).content.decode()
    assert "光明社区时间银行" in staff.get(BANK_FIND, {"field": "payee", "payee": "光明"}).content.decode()
    # the other community's bank is no payer of theirs, nor is a pick of its person honoured
    assert (
        "光明社区时间银行" not in staff.get(BANK_FIND, {"field": "payers", "payers": "光明"}).content.decode()
    )
    page = staff.post(
        BANK,
        {"payers_pick": stranger.bank_account.pk, "payee": "王医生", "hours": "1", "category": "gift"},
    ).content.decode()
    assert "请输入姓名或手机号" in page
    outsider = client_for("outsider")
    answer = outsider.get(BANK_FIND, {"field": "payee", "payee": "张三"}).content.decode()
    assert "没有找到“张三”" in answer and "vo-finder-option" not in answer
    assert client_for("resident").get(BANK_FIND, {"field": "payee", "payee": "张"}).status_code == 403
