"""The fund: two approvals, the budget checked on the project's account, corrections by reversal (the property
test over random movements is in test_fund_property.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.cobuild import selectors, services
from linli.cobuild.choices import PaymentState
from linli.cobuild.models import FundTransfer, Project
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .conftest import World, fund_with, lamps_asked, receipt

pytestmark = pytest.mark.django_db


def project(world: World, budget: str = "2000") -> Project:
    return services.project_create(
        actor=world.cast.community_worker, community=world.cast.community, title="楼道照明改造", budget=budget
    )


def pay(world: World, p: Project, amount: str) -> object:
    payment = lamps_asked(world.cast, p, amount)
    services.payment_approve(actor=world.cast.street_officer, payment=payment)
    return services.payment_approve(actor=world.cast.admin, payment=payment)


def test_two_approvals_by_two_other_people_then_paid(world: World) -> None:
    fund_with(world.cast)
    p = project(world)
    cw, so = world.cast.community_worker, world.cast.street_officer
    payment = lamps_asked(world.cast, p, "800")
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


def test_a_payment_moves_money_from_the_fund_to_the_projects_account_to_the_payee(world: World) -> None:
    fund_with(world.cast, "3000.00")
    p = project(world, budget="2000")
    cw = world.cast.community_worker
    services.project_allocate(actor=world.cast.street_officer, project=p, amount="500", memo="首期")
    account = services.project_account(p)
    assert account.kind == "project" and account.project == p
    assert selectors.balance_of(account) == Decimal("500.00")
    payment = pay(world, p, "800")
    spending = FundTransfer.objects.get(kind="expense")
    assert {(e.account.kind, e.amount) for e in spending.entries.select_related("account")} == {
        ("project", Decimal("-800.00")),
        ("payee", Decimal("800.00")),
    }
    assert payment.transfer == spending
    # The payment allocated only what the project's account lacked (300), then paid from it.
    assert sorted(
        FundTransfer.objects.filter(kind="allocation").values_list("entries__amount", flat=True)
    ) == [Decimal("-500.00"), Decimal("-300.00"), Decimal("300.00"), Decimal("500.00")]
    assert selectors.balance_of(account) == 0
    assert selectors.balance_of(selectors.fund_account(world.cast.community)) == Decimal("2200.00")
    # The budget is checked against the project's account: 800 spent + 1200 more may be allocated, not 1200.01.
    with pytest.raises(services.OverBudget):
        services.project_allocate(actor=world.cast.street_officer, project=p, amount="1200.01", memo="二期")
    services.project_allocate(actor=world.cast.street_officer, project=p, amount="1200", memo="二期")
    with pytest.raises((PermissionDenied, NotFound)):  # allocating takes the right to approve payments
        services.project_allocate(actor=world.cast.grid_worker, project=p, amount="1", memo="x")
    # Reversing the spending puts the money back on the project's account, not the fund.
    services.transfer_reverse(actor=cw, transfer=spending, reason="发票作废")
    assert selectors.balance_of(account) == Decimal("2000.00")
    assert selectors.project_spent(p) == 0
    s = selectors.statement(world.cast.community, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    (row,) = s["projects"]
    assert (row["allocated"], row["spent"], row["closing"]) == (Decimal("2000.00"), 0, Decimal("2000.00"))
    assert s["closing"] == Decimal("1000.00") and s["allocated_total"] == Decimal("2000.00")
