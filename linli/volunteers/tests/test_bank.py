"""The time bank: double entry (every transfer sums to zero, the ledger always sums to zero), balance limits,
one-to-many and many-to-one transfers with categories and caps, between communities, corrected by reversal;
earned by confirmed hours, spent on services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.workdays import is_workday
from linli.party import services as party
from linli.volunteers import selectors, services
from linli.volunteers.models import BankAccount, Movement, PointsEntry, Transfer

from .conftest import LAT, LNG, World, at, compound_branch, funded, haircut_served

pytestmark = pytest.mark.django_db
D = Decimal


def balances_match_movements() -> list[BankAccount]:
    """Every balance is the sum of its movements, every transfer's movements and the whole ledger sum to zero: a
    query for the accounts and one for the transfers whatever their number (the property test checks this after
    every transfer it tries). The accounts, as read, for the caller's own checks."""
    accounts: list[BankAccount] = list(BankAccount.objects.annotate(total=Sum("movements__amount")))
    for account in accounts:
        assert account.balance == (account.total or D(0)), account
    for pk, total in Transfer.objects.annotate(total=Sum("movements__amount")).values_list("pk", "total"):
        assert total == 0, pk
    assert selectors.ledger_total() == 0
    return accounts


def serve(world: World, hours: object = None) -> None:
    """The resident volunteer serves the steward shift and the organiser confirms the hours."""
    signup = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    args = {
        "actor": world.cast.resident,
        "volunteer": world.me,
        "activity": world.activity,
        "lng": LNG,
        "lat": LAT,
    }
    with time_machine.travel(at(2, 9)):
        services.signup_check_in(**args)
    with time_machine.travel(at(2, 11)):
        services.signup_check_out(**args)
        services.signup_confirm_hours(actor=world.cast.community_worker, signup=signup, amount=hours)


def test_confirmed_hours_are_paid_by_the_bank_and_earn_points(world: World) -> None:
    serve(world)
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == D(2)
    bank = services.community_bank(world.cast.community)
    assert bank.balance == D(-2)
    entry = PointsEntry.objects.get(volunteer=world.me)
    day_off = not is_workday(at(2).date())
    assert entry.points == (40 if day_off else 20)  # 10 points an hour, doubled on a day off
    balances_match_movements()


def test_confirming_twice_is_refused(world: World) -> None:
    serve(world)
    signup = world.me.signups.get()
    with pytest.raises(Conflict):
        services.signup_confirm_hours(actor=world.cast.community_worker, signup=signup, amount="1")
    assert world.me.bank_account.movements.count() == 1


def test_hours_are_never_more_than_the_shift(world: World) -> None:
    signup = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    with time_machine.travel(at(2, 9)):
        services.signup_check_in(
            actor=world.cast.resident, volunteer=world.me, activity=world.activity, lng=LNG, lat=LAT
        )
        with pytest.raises(ValidationFailed, match="班次时长"):
            services.signup_confirm_hours(actor=world.cast.community_worker, signup=signup, amount="3")
        with pytest.raises(PermissionDenied):
            services.signup_confirm_hours(actor=world.cast.outsider, signup=signup, amount="1")


def test_a_member_volunteer_earns_member_points(world: World) -> None:
    branch = compound_branch(world)
    member = party.party_member_create(
        actor=None, name="张三", party_org=branch, resident=world.cast.resident_record
    )
    world.me.party_member = member
    world.me.save(update_fields=["party_member"])
    serve(world, hours="1.5")
    entry = member.points.get()
    assert entry.kind == "service_hours" and entry.points == 3  # 2 points an hour


def test_spending_hours_on_a_service(world: World) -> None:
    serve(world)
    bank = services.community_bank(world.cast.community)

    def spend(actor: Any, amount: str, note: str) -> None:
        services.hours_spend(
            actor=actor,
            payer=world.me.bank_account,
            payee=bank,
            amount=amount,
            category="elder_care",
            note=note,
        )

    spend(world.cast.resident, "1.5", "为母亲预约助老陪护")
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == D("0.5")
    with pytest.raises(Conflict) as caught:
        spend(world.cast.resident, "1", "再来一次")
    assert caught.value.code == "balance_limit"
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == D("0.5")  # nothing moved
    with pytest.raises(PermissionDenied):
        spend(world.cast.community_worker, "0.5", "不是本人")
    balances_match_movements()


def test_balance_ceiling(world: World) -> None:
    account = world.me.bank_account
    account.max_balance = D(3)
    account.save()
    bank = services.community_bank(world.cast.community)
    services.hours_pay(
        actor=world.cast.community_worker, payer=bank, payee=account, amount="3", category="gift"
    )
    with pytest.raises(services.LimitExceeded):
        services.hours_pay(
            actor=world.cast.community_worker, payer=bank, payee=account, amount="0.5", category="gift"
        )


def test_many_to_one_and_one_to_many(world: World) -> None:
    bank = services.community_bank(world.cast.community)
    a, b = world.me.bank_account, world.other.bank_account
    services.hours_transfer(
        actor=world.cast.community_worker, legs=[(bank, D(-8)), (a, D(4)), (b, D(4))], category="gift"
    )
    # Many-to-one: both give two hours to a care home's account.
    home = services.organisation_account(
        actor=world.cast.community_worker, community=world.cast.community, organisation=world.cast.department
    )
    services.hours_transfer(
        actor=world.cast.community_worker,
        legs=[(a, D(-2)), (b, D(-2)), (home, D(4))],
        category="elder_care",
        note="两位志愿者共同为敬老院捐赠时长",
    )
    home.refresh_from_db()
    assert home.balance == 4
    balances_match_movements()


def test_transfers_that_do_not_balance_or_break_a_cap_are_refused(world: World) -> None:
    bank = services.community_bank(world.cast.community)
    a = world.me.bank_account
    actor = world.cast.community_worker
    with pytest.raises(ValidationFailed, match="必须相等"):
        services.hours_transfer(actor=actor, legs=[(bank, D(-2)), (a, D(1))], category="gift")
    with pytest.raises(ValidationFailed, match="只能出现一次"):
        services.hours_transfer(actor=actor, legs=[(a, D(-1)), (a, D(1))], category="gift")
    with pytest.raises(ValidationFailed, match="最多 4 小时"):
        services.hours_pay(actor=actor, payer=bank, payee=a, amount="5", category="errands")
    with pytest.raises(ValidationFailed):
        services.hours_pay(actor=actor, payer=bank, payee=a, amount="0.001", category="gift")
    with pytest.raises(ValidationFailed):
        services.hours_transfer(actor=actor, legs=[(bank, D(-1)), (a, D(1))], category="correction")
    assert Movement.objects.count() == 0


def test_between_communities_only_the_giving_side_needs_the_right(world: World) -> None:
    here = services.community_bank(world.cast.community)
    there = services.community_bank(world.cast.other_community)
    services.hours_pay(
        actor=world.cast.community_worker, payer=here, payee=there, amount="5", category="gift"
    )
    with pytest.raises(PermissionDenied):
        services.hours_pay(
            actor=world.cast.community_worker, payer=there, payee=here, amount="5", category="gift"
        )
    services.hours_pay(actor=world.cast.street_officer, payer=there, payee=here, amount="5", category="gift")
    balances_match_movements()


def test_a_transfer_is_corrected_only_by_reversing_it(world: World) -> None:
    serve(world)
    earned = Transfer.objects.get(signup__isnull=False)
    with pytest.raises(ValidationFailed):
        services.transfer_reverse(actor=world.cast.community_worker, transfer=earned, reason="")
    reversal = services.transfer_reverse(
        actor=world.cast.community_worker, transfer=earned, reason="签到记录有误"
    )
    assert reversal.reverses == earned
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 0
    with pytest.raises(Conflict):
        services.transfer_reverse(actor=world.cast.community_worker, transfer=earned, reason="再冲一次")
    with pytest.raises(Conflict):
        services.transfer_reverse(actor=world.cast.community_worker, transfer=reversal, reason="冲正的冲正")
    balances_match_movements()


def test_a_volunteer_with_no_hours_is_sent_to_serve_not_to_an_empty_form(world: World) -> None:
    from django.test import Client

    me = Client()
    me.force_login(world.cast.resident)
    assert 'href="/volunteers/spend/"' not in me.get("/volunteers/ledger/").content.decode()
    page = me.get("/volunteers/spend/").content.decode()
    assert "您还没有可用的时长" in page and 'name="hours"' not in page
    assert 'href="/volunteers/activities/"' in page and 'href="/volunteers/ledger/"' in page


def test_between_banks_on_the_pages_a_volunteer_and_a_worker_pay_another_communitys_bank(
    world: World,
) -> None:
    """A volunteer spends hours for a parent who lives in another community (paid to that community's bank), and
    a worker transfers hours to another community's bank; neither sees anyone else's balance to do it."""
    from django.test import Client

    funded(world, "3")
    there = services.community_bank(world.cast.other_community)
    me = Client()
    me.force_login(world.cast.resident)
    assert "使用时长" in me.get("/volunteers/ledger/").content.decode()
    found = me.get("/volunteers/spend/find/", {"field": "payee", "payee": "光明"}).content.decode()
    assert (
        there.name in found and "光明社区" in found and "小时" not in found
    )  # name and community, no balance
    response = me.post(
        "/volunteers/spend/",
        {
            "payee": there.name,
            "hours": "1",
            "category": "elder_care",
            "note": "为住在光明社区的父亲买菜",
            "balance": "3",
        },
    )
    assert response.status_code == 302
    there.refresh_from_db()
    assert there.balance == D(1)
    staff = Client()
    staff.force_login(world.cast.community_worker)
    own = services.community_bank(world.cast.community)
    own.refresh_from_db()
    response = staff.post(
        "/volunteers/staff/bank/",
        {
            "payers_pick": [f"{own.pk}:{own.balance}"],  # the tick box carries the balance it showed
            "payee": there.name,
            "hours": "2",
            "category": "gift",
            "note": "支援光明社区助老",
        },
    )
    assert response.status_code == 302
    there.refresh_from_db()
    assert there.balance == D(3)
    # A person of another community is not a payee: only its bank.
    stranger = services.volunteer_enrol(
        actor=world.cast.street_officer, community=world.cast.other_community, name="外社区居民"
    )
    with pytest.raises(ValidationFailed):
        services.hours_spend(
            actor=world.cast.resident,
            payer=world.me.bank_account,
            payee=stranger.bank_account,
            amount="1",
            category="errands",
            note="跨社区转给个人",
        )
    balances_match_movements()


# One transfer tried by the property test: which accounts (by index), quarters of an hour each of all but the
# last gives (negative) or receives (positive), and the category; the last account balances the transfer.
TRANSFER = st.tuples(
    st.lists(st.integers(0, 3), min_size=2, max_size=4, unique=True),
    st.lists(st.integers(-40, 40).filter(bool), min_size=3, max_size=3),
    st.sampled_from(["gift", "elder_care", "errands", "repairs", "tutoring", "activity"]),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(TRANSFER, min_size=1, max_size=15))
def test_the_ledger_always_sums_to_zero(world: World, plans: list[tuple[list[int], list[int], str]]) -> None:
    """Property (hypothesis): whatever mix of transfers is tried (some refused by limits, caps or rights), every
    transfer sums to zero, every balance is the sum of its movements, the whole ledger sums to zero and no
    limited account leaves its limits. Each example runs in a transaction rolled back at its end."""
    actor = world.cast.community_worker
    with transaction.atomic():
        accounts = [
            services.community_bank(world.cast.community),
            world.me.bank_account,
            world.other.bank_account,
            services.organisation_account(
                actor=actor, community=world.cast.community, organisation=world.cast.department
            ),
        ]
        BankAccount.objects.filter(pk=accounts[3].pk).update(max_balance=D(10))
        for picked, quarters, category in plans:
            chosen = [accounts[i] for i in picked]
            legs = [(a, D(q) / 4) for a, q in zip(chosen[:-1], quarters, strict=False)]
            rest = -sum(amount for _a, amount in legs)
            legs.append((chosen[-1], rest))
            try:
                with transaction.atomic():
                    services.hours_transfer(actor=actor, legs=legs, category=category)
            except (ValidationFailed, Conflict, PermissionDenied):
                pass  # refused: nothing may have moved
            for account in balances_match_movements():
                if account.min_balance is not None:
                    assert account.balance >= account.min_balance
                if account.max_balance is not None:
                    assert account.balance <= account.max_balance
        transaction.set_rollback(True)


def test_the_property_test_sees_both_paths(world: World) -> None:
    """The generated mixes include transfers that go through and ones that are refused (a zero-sum check on an
    empty ledger alone would prove nothing)."""
    actor = world.cast.community_worker
    bank = services.community_bank(world.cast.community)
    services.hours_transfer(actor=actor, legs=[(bank, D(-2)), (world.me.bank_account, D(2))], category="gift")
    with pytest.raises(services.LimitExceeded):
        services.hours_transfer(
            actor=actor, legs=[(world.other.bank_account, D(-1)), (bank, D(1))], category="gift"
        )
    balances_match_movements()


def test_the_same_payment_sent_twice_pays_once(world: World) -> None:
    """Paying hours is made against the balance the volunteer saw: compared under the account's lock, a second
    sending of the same form finds the balance moved and is refused with its reason, and nothing is paid."""
    serve(world)
    bank = services.community_bank(world.cast.community)

    def spend(balance: Decimal | None) -> Any:
        return services.hours_spend(
            actor=world.cast.resident,
            payer=world.me.bank_account,
            payee=bank,
            amount="0.5",
            category="elder_care",
            note="为母亲预约助老陪护",
            balance=balance,
        )

    spend(D("2"))
    with pytest.raises(Conflict) as caught:
        spend(D("2"))  # the same form again
    assert (
        caught.value.code == "balance_changed" and caught.value.extra["account"] == world.me.bank_account.pk
    )
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == D("1.5")
    spend(D("1.5"))  # seen again, paid again
    # A transfer with balances confirmed names every giving account's; a giving account without one is refused.
    with pytest.raises(ValidationFailed):
        services.hours_transfer(
            actor=world.cast.community_worker,
            legs=[(bank, D("-1")), (world.me.bank_account, D("1"))],
            category="gift",
            balances={},
        )
    balances_match_movements()


def test_hours_for_service_recorded_elsewhere_read_as_volunteer_service(world: World) -> None:
    """A service order of co-building fulfilled by a volunteer (理发) is paid into their account by the community's
    bank: the volunteer's movements say 志愿服务 · 理发 (the order's code apart), not 志愿活动, since no activity was held."""
    from django.test import Client

    assert haircut_served(world)
    me = Client()
    me.force_login(world.cast.resident)
    page = me.get("/volunteers/ledger/").content.decode()
    assert "志愿服务 · 理发 <span" in page and "FW202612010001" in page and "志愿活动 · 理发" not in page
