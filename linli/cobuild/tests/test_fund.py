"""The fund: always balanced over random movements, two approvals, the budget, corrections by reversal."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from linli.cobuild import selectors, services
from linli.cobuild.choices import PaymentState
from linli.cobuild.models import FundEntry, FundTransfer, Project
from linli.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed

from .conftest import World, fund_with, receipt

pytestmark = pytest.mark.django_db


def project(world: World, budget: str = "2000") -> Project:
    return services.project_create(
        actor=world.cast.community_worker, community=world.cast.community, title="楼道照明改造", budget=budget
    )


def pay(world: World, p: Project, amount: str) -> object:
    payment = services.payment_request(
        actor=world.cast.community_worker,
        project=p,
        payee="明亮电器",
        amount=amount,
        purpose="灯具",
        receipt=receipt(),
    )
    services.payment_approve(actor=world.cast.street_officer, payment=payment)
    return services.payment_approve(actor=world.cast.admin, payment=payment)


def test_two_approvals_by_two_other_people_then_paid(world: World) -> None:
    fund_with(world.cast)
    p = project(world)
    cw, so = world.cast.community_worker, world.cast.street_officer
    payment = services.payment_request(
        actor=cw, project=p, payee="明亮电器", amount="800", purpose="灯具", receipt=receipt()
    )
    with pytest.raises(PermissionDenied):
        services.payment_approve(actor=cw, payment=payment)  # who asked does not approve
    payment = services.payment_approve(actor=so, payment=payment)
    assert payment.state == PaymentState.APPROVED_ONCE and payment.transfer is None
    with pytest.raises(PermissionDenied):
        services.payment_approve(actor=so, payment=payment)  # nor the same person twice
    with pytest.raises(NotFound):  # outside their part of the tree
        services.payment_approve(actor=world.cast.grid_worker, payment=payment)
    payment = services.payment_approve(actor=world.cast.admin, payment=payment)
    assert payment.state == PaymentState.PAID
    assert selectors.balance_of(selectors.fund_account(world.cast.community)) == Decimal("4200.00")
    assert selectors.project_spent(p) == Decimal("800.00")


def test_no_spending_beyond_the_budget_counting_what_is_asked_for(world: World) -> None:
    fund_with(world.cast)
    p = project(world, budget="1000")
    cw = world.cast.community_worker
    services.payment_request(actor=cw, project=p, payee="甲", amount="700", purpose="一", receipt=receipt())
    with pytest.raises(services.OverBudget):
        services.payment_request(
            actor=cw, project=p, payee="乙", amount="300.01", purpose="二", receipt=receipt()
        )
    with pytest.raises(ValidationFailed):
        services.payment_request(actor=cw, project=p, payee="乙", amount="100", purpose="二", receipt=None)


def test_no_payment_beyond_the_fund(world: World) -> None:
    fund_with(world.cast, "100.00")
    p = project(world)
    with pytest.raises(services.Insufficient):
        pay(world, p, "150")
    assert not FundTransfer.objects.filter(kind="expense").exists()


def test_a_correction_is_a_reversal_never_an_edit(world: World) -> None:
    fund_with(world.cast, "300.00")
    t = FundTransfer.objects.get()
    cw = world.cast.community_worker
    r = services.transfer_reverse(actor=cw, transfer=t, reason="金额录错")
    assert r.reverses == t and FundTransfer.objects.count() == 2
    assert selectors.balance_of(selectors.fund_account(world.cast.community)) == 0
    with pytest.raises(Conflict):
        services.transfer_reverse(actor=cw, transfer=t, reason="again")
    with pytest.raises(Conflict):
        services.transfer_reverse(actor=cw, transfer=r, reason="undo")


def test_income_spent_cannot_be_reversed(world: World) -> None:
    fund_with(world.cast, "500.00")
    pay(world, project(world), "400")
    income = FundTransfer.objects.get(kind="income")
    with pytest.raises(services.Insufficient):
        services.transfer_reverse(actor=world.cast.community_worker, transfer=income, reason="退回捐赠")


def test_amounts_are_checked(world: World) -> None:
    for bad in ("-1", "0", "1.001", "abc", "NaN"):
        with pytest.raises(ValidationFailed):
            services.income_record(
                actor=world.cast.community_worker,
                community=world.cast.community,
                source="某人",
                amount=bad,
                income_kind="donation_money",
                memo="x",
            )
    with pytest.raises(PermissionDenied):
        services.income_record(
            actor=world.cast.grid_worker,
            community=world.cast.community,
            source="某人",
            amount="1",
            income_kind="parking",
            memo="x",
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ledger_always_balances_over_random_movements(world: World, seed: int) -> None:
    """A property over random sequences of income, payments, rejections and reversals: every transfer sums to
    zero, the fund never goes below zero, no project spends beyond its budget, and the statement closes at the
    balance."""
    rng = random.Random(seed)
    cast = world.cast
    projects = [project(world, budget=str(rng.randint(100, 3000))) for _ in range(3)]
    for _step in range(40):
        move = rng.choice(["income", "income", "pay", "pay", "reverse"])
        try:
            if move == "income":
                services.income_record(
                    actor=cast.community_worker,
                    community=cast.community,
                    source=rng.choice(["甲单位", "乙商户", "停车场"]),
                    amount=f"{rng.randint(1, 200000) / 100:.2f}",
                    income_kind=rng.choice(["donation_money", "donation_kind", "parking", "venue"]),
                    memo="收入",
                )
            elif move == "pay":
                pay(world, rng.choice(projects), f"{rng.randint(1, 150000) / 100:.2f}")
            else:
                transfers = list(FundTransfer.objects.exclude(kind="reversal"))
                if transfers:
                    services.transfer_reverse(
                        actor=cast.community_worker, transfer=rng.choice(transfers), reason="更正"
                    )
        except DomainError:
            pass  # refused movements leave nothing behind (checked below)
    for t in FundTransfer.objects.prefetch_related("entries"):
        assert sum(e.amount for e in t.entries.all()) == 0
        assert t.entries.count() >= 2
    fund = selectors.fund_account(cast.community)
    balance = selectors.balance_of(fund)
    assert balance >= 0
    assert selectors.ledger_total(cast.community) == 0
    assert sum(FundEntry.objects.values_list("amount", flat=True)) == 0
    for p in projects:
        assert selectors.project_spent(p) <= p.budget
    import datetime as dt

    s = selectors.statement(cast.community, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    assert s["closing"] == balance
    assert (
        FundTransfer.objects.filter(kind="expense").count()
        + FundTransfer.objects.filter(kind="income").count()
        > 0
    )
