"""The shared double-entry mechanism (linli.core.ledger): which legs are refused, that balances move with entries,
that a reversal restores them once, and that a refusal by the app's check leaves nothing behind. Exercised on the
time bank's concrete models (the core declares only abstract ones)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from linli.core import ledger
from linli.core.errors import Conflict, ValidationFailed
from linli.testing import Cast, balance_from_entries
from linli.volunteers.models import BankAccount, Movement, Transfer

pytestmark = pytest.mark.django_db


def accounts(cast: Cast) -> list[BankAccount]:
    return [
        BankAccount.objects.create(kind="bank", name="银行", community=cast.community, min_balance=None),
        BankAccount.objects.create(kind="organisation", name="甲", community=cast.community),
        BankAccount.objects.create(kind="organisation", name="乙", community=cast.community),
    ]


def test_malformed_legs_are_refused(cast: Cast) -> None:
    bank, a, _b = accounts(cast)
    for legs in (
        [(bank, Decimal(1))],  # one leg
        [(bank, Decimal(-1)), (bank, Decimal(1))],  # the same account twice
        [(bank, Decimal(-1)), (a, Decimal("0.999")), (_b, Decimal("0.001"))],  # finer than a cent
        [(bank, Decimal(0)), (a, Decimal(0))],  # nothing moves
        [(bank, Decimal(-2)), (a, Decimal(1))],  # does not sum to zero
    ):
        with pytest.raises(ValidationFailed):
            ledger.legs_check(legs)


def test_post_moves_balances_and_reverse_restores_them_once(cast: Cast) -> None:
    bank, a, b = accounts(cast)
    t = ledger.post(Transfer(category="gift"), [(bank, Decimal(-3)), (a, Decimal(2)), (b, Decimal(1))])
    assert [x.balance for x in BankAccount.objects.order_by("pk")] == [Decimal(-3), Decimal(2), Decimal(1)]
    assert sorted(Movement.objects.filter(transfer=t).values_list("amount", flat=True)) == [-3, 1, 2]
    r = ledger.reverse(t, Transfer(category="correction"))
    assert r.reverses == t
    for account in BankAccount.objects.all():
        assert account.balance == 0 == balance_from_entries(account, Movement)
    with pytest.raises(Conflict):
        ledger.reverse(t, Transfer(category="correction"))
    with pytest.raises(Conflict):
        ledger.reverse(r, Transfer(category="correction"))


def test_a_refusing_check_leaves_nothing_behind(cast: Cast) -> None:
    bank, a, _b = accounts(cast)

    def refuse_debits_of_a(account: BankAccount, amount: Decimal) -> None:
        if account.pk == a.pk and amount < 0:
            raise Conflict("no")

    with pytest.raises(Conflict):
        ledger.post(
            Transfer(category="gift"), [(a, Decimal(-1)), (bank, Decimal(1))], check=refuse_debits_of_a
        )
    assert not Transfer.objects.exists() and not Movement.objects.exists()
    assert set(BankAccount.objects.values_list("balance", flat=True)) == {0}
