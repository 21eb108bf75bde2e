"""Property (hypothesis): over random sequences of movements of the fund — donations and other income, allocations to
projects, spending with two approvals, reversals, and spending refused beyond a budget or the money held — the
ledger stays balanced: every transfer's entries sum to zero, every account's balance is the sum of its entries, the
fund and the projects' accounts never go below zero, no project spends beyond its approved budget, a refused
movement leaves nothing behind, and a reversal restores the balances it touched."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.cobuild import selectors, services
from linli.cobuild.models import FundAccount, FundTransfer, Payment, Project
from linli.core.errors import DomainError
from linli.core.ledger import CENT, ZERO

from .conftest import World, receipt

pytestmark = pytest.mark.django_db

CENTS = st.integers(1, 300_000)  # up to 3,000 yuan
MOVE = st.one_of(
    st.tuples(
        st.just("income"), CENTS, st.sampled_from(["donation_money", "donation_kind", "parking", "venue"])
    ),
    st.tuples(st.just("allocate"), CENTS, st.integers(0, 1)),
    st.tuples(st.just("spend"), CENTS, st.integers(0, 1)),
    st.tuples(st.just("reverse"), st.integers(0, 50), st.just(0)),
)


def yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


def balances() -> dict[int, Decimal]:
    return dict(FundAccount.objects.values_list("pk", "balance"))


def ledger_holds(projects: list[Project]) -> None:
    """Checked after every movement of every example, so each check is one query whatever the ledger's size (sums
    rounded to the cent as `ledger.sum_of` does: SQLite sums decimals in floating point)."""
    per_transfer = FundTransfer.objects.annotate(
        n=Count("entries"), total=Coalesce(Sum("entries__amount"), ZERO)
    )
    for pk, n, total in per_transfer.values_list("pk", "n", "total"):
        assert n >= 2 and Decimal(total).quantize(CENT) == 0, pk
    for account in FundAccount.objects.annotate(from_entries=Coalesce(Sum("entries__amount"), ZERO)):
        assert account.balance == Decimal(account.from_entries).quantize(CENT), account.pk
        if account.kind in ("fund", "project"):
            assert account.balance >= 0
    for p in projects:
        assert selectors.project_spent(p) <= p.budget


def spend(world: World, p: Project, amount: Decimal) -> None:
    cast = world.cast
    payment = services.payment_request(
        actor=cast.community_worker,
        project=p,
        payee="施工队",
        amount=amount,
        purpose="材料",
        receipt=receipt(),
    )
    services.payment_approve(actor=cast.street_officer, payment=payment)
    try:
        services.payment_approve(actor=cast.admin, payment=payment)
    except DomainError:
        services.payment_reject(actor=cast.admin, payment=payment, reason="钱不够")
        raise


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(MOVE, min_size=1, max_size=10))
def test_the_fund_stays_balanced_over_random_movements(
    world: World, moves: list[tuple[str, int, object]]
) -> None:
    cast = world.cast
    with transaction.atomic():
        projects = [
            services.project_create(
                actor=cast.community_worker, community=cast.community, title=title, budget=budget
            )
            for title, budget in (("楼道照明", "1500"), ("口袋公园", "4000"))
        ]
        for move, cents, arg in moves:
            before = balances()
            transfers = FundTransfer.objects.count()
            try:
                with transaction.atomic():
                    if move == "income":
                        services.income_record(
                            actor=cast.community_worker,
                            community=cast.community,
                            source="爱心商户",
                            amount=yuan(cents),
                            income_kind=str(arg),
                            memo="收入",
                        )
                    elif move == "allocate":
                        p = projects[int(str(arg))]
                        services.project_allocate(
                            actor=cast.street_officer, project=p, amount=yuan(cents), memo="拨付"
                        )
                    elif move == "spend":
                        p = projects[int(str(arg))]
                        spent = selectors.project_spent(p)
                        over = spent + yuan(cents) > p.budget
                        try:
                            spend(world, p, yuan(cents))
                        except services.OverBudget:
                            assert over
                            raise
                        assert not over, "spending beyond the budget was paid"
                        assert selectors.project_spent(p) == spent + yuan(cents)
                    else:
                        candidates = list(
                            FundTransfer.objects.filter(
                                reverses__isnull=True, reversed_by__isnull=True
                            ).order_by("pk")
                        )
                        if not candidates:
                            continue
                        original = candidates[cents % len(candidates)]
                        effect = {e.account_id: e.amount for e in original.entries.all()}
                        services.transfer_reverse(
                            actor=cast.community_worker, transfer=original, reason="更正"
                        )
                        after = balances()
                        for pk, amount in effect.items():
                            assert after[pk] == before[pk] - amount  # the reversal undid exactly its entries
            except DomainError:
                assert (
                    balances() == before and FundTransfer.objects.count() == transfers
                )  # nothing left behind
            ledger_holds(projects)
        assert not Payment.objects.filter(state__in=["requested", "approved_once"]).exists()
        transaction.set_rollback(True)


def test_the_property_sees_refusals_and_reversals(world: World) -> None:
    """The movements the property draws can be paid, refused beyond the budget or the fund, and reversed (a
    zero-sum check on an empty ledger alone would prove nothing)."""
    cast = world.cast
    p = services.project_create(
        actor=cast.community_worker, community=cast.community, title="口袋公园", budget="100"
    )
    with pytest.raises(services.Insufficient):
        spend(world, p, Decimal("50"))
    services.income_record(
        actor=None,
        community=cast.community,
        source="爱心商户",
        amount="80",
        income_kind="parking",
        memo="停车",
    )
    spend(world, p, Decimal("50"))
    with pytest.raises(services.OverBudget):
        spend(world, p, Decimal("50.01"))
    services.transfer_reverse(
        actor=cast.community_worker, transfer=FundTransfer.objects.get(kind="expense"), reason="更正"
    )
    ledger_holds([p])
    assert selectors.balance_of(services.project_account(p)) == Decimal("50.00")
