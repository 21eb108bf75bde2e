"""Double-entry ledgers: the one mechanism behind the time bank (hours) and the community fund (yuan).

An app declares three concrete models on the abstract bases below — an account that keeps its balance on the row,
a transfer, and the entries of a transfer (`transfer`, `account`, `amount`) — and writes only through `post` and
`reverse`. `post` checks that the legs are well formed and sum to zero, locks the accounts in a stable order (by
primary key, so two transfers never wait on each other), lets the app check each leg against the locked account
(limits, budgets), writes the transfer and its entries and moves the cached balances. A transfer is never edited
or deleted: `reverse` writes a new one with every entry negated, once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django.db import models, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .errors import Conflict, invalid

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class LedgerAccount(models.Model):
    """An account. Its `balance` (declared by the app, a DecimalField) is the sum of its entries, moved only by
    `post` under the row lock, so limits are checked without summing."""

    balance: Any

    class Meta:
        abstract = True


class LedgerTransfer(models.Model):
    """One movement: two or more entries that sum to zero. Corrected only by a reversing transfer."""

    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    # The app's entry model (set on the concrete class).
    entry_model: ClassVar[type[LedgerEntry]]

    class Meta:
        abstract = True


class LedgerEntry(models.Model):
    """One leg of a transfer; the app declares `transfer`, `account` (foreign keys) and `amount` (a DecimalField):
    negative is taken out of the account, positive put in."""

    transfer: Any
    account: Any
    amount: Any
    transfer_id: int
    account_id: int

    class Meta:
        abstract = True


type Leg[A: LedgerAccount] = tuple[A, Decimal]
type LegCheck[A: LedgerAccount] = Callable[[A, Decimal], None]


def legs_check[A: LedgerAccount](legs: Sequence[Leg[A]], *, quantum: Decimal = CENT) -> list[Leg[A]]:
    """The legs as (account, Decimal), refused unless there are two or more, each account appears once, each
    amount is non-zero in whole `quantum`s, and they sum to zero."""
    out = [(account, Decimal(str(amount))) for account, amount in legs]
    if len(out) < 2:
        raise invalid("legs", _("A transfer takes from one account and gives to another."))
    ids = [a.pk for a, _amount in out]
    if len(set(ids)) != len(ids):
        raise invalid("legs", _("Each account appears once in a transfer."))
    if any(not amount.is_finite() or amount == 0 or amount != amount.quantize(quantum) for _a, amount in out):
        raise invalid("legs", _("Each account gives or receives a positive amount."))
    if sum((amount for _a, amount in out), ZERO) != 0:
        raise invalid("legs", _("What is given and what is received must be equal."))
    return out


@transaction.atomic
def post[T: LedgerTransfer, A: LedgerAccount](
    transfer: T,
    legs: Sequence[Leg[A]],
    *,
    check: LegCheck[A] | None = None,
    quantum: Decimal = CENT,
) -> T:
    """Write `transfer` (unsaved) with one entry per leg, after locking the legs' accounts in primary-key order and
    calling `check(locked_account, amount)` for each leg (before its balance moves; it raises to refuse). The
    accounts' balances move with their entries."""
    clean = legs_check(legs, quantum=quantum)
    account_model = type(clean[0][0])
    ids = sorted(a.pk for a, _amount in clean)
    locked = {
        a.pk: a for a in account_model._default_manager.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    if len(locked) != len(ids):
        raise invalid("legs", _("An account of this transfer does not exist."))
    if check is not None:
        for account, amount in clean:
            check(locked[account.pk], amount)
    transfer.save()
    entry_model: Any = type(transfer).entry_model  # the app's concrete model, with its foreign keys
    entry_model._default_manager.bulk_create(
        entry_model(transfer=transfer, account=locked[a.pk], amount=amount) for a, amount in clean
    )
    for account, amount in clean:
        row = locked[account.pk]
        row.balance += (
            amount  # exact decimal arithmetic on the locked row (SQLite would add in floating point)
        )
        account_model._default_manager.filter(pk=row.pk).update(balance=row.balance)
        account.balance = row.balance
    return transfer


def entries_of[T: LedgerTransfer](transfer: T) -> list[Any]:
    entry_model: Any = type(transfer).entry_model
    return list(entry_model._default_manager.filter(transfer=transfer).select_related("account"))


@transaction.atomic
def reverse[T: LedgerTransfer, A: LedgerAccount](
    original: T, reversal: T, *, check: LegCheck[A] | None = None
) -> T:
    """Correct `original` by `reversal` (unsaved): every entry negated. A reversal is not reversed, and a transfer
    is reversed at most once (checked under the original's row lock)."""
    model = type(original)
    original = model._default_manager.select_for_update().get(pk=original.pk)
    if original.reverses_id is not None:  # type: ignore[attr-defined]
        raise Conflict(_("A reversal is not reversed; record a new transfer instead."))
    if model._default_manager.filter(reverses=original).exists():
        raise Conflict(_("This transfer has been reversed already."))
    reversal.reverses = original
    return post(reversal, [(e.account, -e.amount) for e in entries_of(original)], check=check)


def sum_of(entries: models.QuerySet[Any], *, quantum: Decimal = CENT) -> Decimal:
    """The exact sum of `entries`' amounts (SQLite sums decimals in floating point; the quantum rounds that back)."""
    total = entries.aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]
    return Decimal(total).quantize(quantum)
