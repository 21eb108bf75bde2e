"""The time bank (时间银行): a double-entry ledger of hours, as TimeOverflow keeps it, written through
`linli.core.ledger`.

Every transfer is two or more movements that sum to zero: one-to-one, one-to-many or many-to-one, each with a
category, within a community or between communities (their banks are accounts like any other). An account's
balance moves only with its movements, under a row lock, inside its limits. A transfer is never edited or
deleted: a mistake is corrected by a reversing transfer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import ledger
from linli.core.audit import audit
from linli.core.errors import Conflict, PermissionDenied
from linli.core.scoping import person

from .. import permissions
from ..choices import CATEGORY_HOUR_CAPS, SPENDING_CATEGORIES, AccountKind, TransferCategory
from ..models import BankAccount, Signup, Transfer
from ._common import Actor, confirmed_unchanged, invalid, notify

CENT = ledger.CENT

type Leg = ledger.Leg[BankAccount]


def hours(value: object, field: str = "hours") -> Decimal:
    """A positive number of hours with at most two decimals."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, _("Enter a number of hours.")) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise invalid(field, _("Enter a positive number of hours with at most two decimals."))
    return amount


class LimitExceeded(Conflict):
    code = "balance_limit"


class BalanceChanged(Conflict):
    """A giving account's balance is no longer the one the payer confirmed against (`extra.account`): the same
    payment sent twice, or hours that moved in between. Nothing was paid."""

    code = "balance_changed"


def _may_debit(actor: Actor, account: BankAccount) -> None:
    """Who may take hours out of an account: its own volunteer, or a worker who keeps the community's bank."""
    if actor is None:
        return
    if account.volunteer is not None and account.volunteer.account_id == getattr(actor, "pk", None):
        return
    if not permissions.may(actor, "bank_manage", account.community.path):
        raise PermissionDenied(_("You may not take hours out of %(name)s.") % {"name": account.name})


@transaction.atomic
def hours_transfer(
    *,
    actor: Actor,
    legs: Sequence[Leg],
    category: str,
    note: str = "",
    signup: Signup | None = None,
    reverses: Transfer | None = None,
    balances: Mapping[int, Decimal] | None = None,
) -> Transfer:
    """Move hours: `legs` are (account, amount) with negative amounts taken out and positive put in; they must sum
    to zero (written by `linli.core.ledger`, which locks the accounts in a fixed order). With `reverses`, the legs
    are those of the reversed transfer negated.

    `balances` are the balances the payer saw of the giving accounts (by account id; the form or request carries
    them): every giving account must have one, and each is compared under the lock with the balance now, so the
    same payment sent twice pays once (`BalanceChanged`, said before any limit). None compares nothing (hours
    credited for service, the demo)."""
    if category not in TransferCategory.values:
        raise invalid("category", _("Choose a category."))
    if category == TransferCategory.CORRECTION and reverses is None:
        raise invalid("category", _("A correction is made by reversing a transfer."))
    clean = ledger.legs_check(legs) if reverses is None else []
    moved = sum((amount for _a, amount in clean if amount > 0), Decimal(0))
    cap = CATEGORY_HOUR_CAPS[category]
    if moved > cap:
        raise invalid(
            "hours",
            _("At most %(cap)s hours may move in one transfer of this category.") % {"cap": cap},
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise invalid("note", _("The note has at most 200 characters."))
    if balances is not None and any(a.pk not in balances for a, amount in clean if amount < 0):
        raise invalid("balance", _("Give the balance you saw of each account that gives hours."))

    def within_limits(account: BankAccount, amount: Decimal) -> None:
        if amount < 0 and reverses is None:
            _may_debit(actor, account)
            if balances is not None and not confirmed_unchanged(balances[account.pk], account.balance):
                raise BalanceChanged(
                    _(
                        "The hours of %(name)s changed since you confirmed (sent twice?), so nothing was paid "
                        "this time. Look at its movements, then pay again if you still want to."
                    )
                    % {"name": account.name},
                    extra={"account": account.pk},
                )
        new_balance = account.balance + amount
        if amount < 0 and account.min_balance is not None and new_balance < account.min_balance:
            raise LimitExceeded(
                _("%(name)s has %(balance)s hours; this would take it below its limit of %(limit)s.")
                % {"name": account.name, "balance": account.balance, "limit": account.min_balance},
                extra={"account": account.pk},
            )
        if amount > 0 and account.max_balance is not None and new_balance > account.max_balance:
            raise LimitExceeded(
                _("%(name)s may hold at most %(limit)s hours; it has %(balance)s.")
                % {"name": account.name, "balance": account.balance, "limit": account.max_balance},
                extra={"account": account.pk},
            )

    transfer = Transfer(category=category, note=note, signup=signup, actor=person(actor))
    if reverses is not None:
        ledger.reverse(reverses, transfer, check=within_limits)
    else:
        ledger.post(transfer, clean, check=within_limits)
    entries = ledger.entries_of(transfer)
    moved = sum((e.amount for e in entries if e.amount > 0), Decimal(0))
    ids = [e.account_id for e in entries]
    audit(actor, "volunteers.hours_transfer", transfer, category=category, hours=str(moved), accounts=ids)
    return transfer


def hours_pay(
    *,
    actor: Actor,
    payer: BankAccount,
    payee: BankAccount,
    amount: object,
    category: str,
    note: str = "",
    balance: Decimal | None = None,
) -> Transfer:
    """One-to-one: `payer` gives `amount` hours to `payee` (against the payer's `balance` confirmed, if given)."""
    value = hours(amount)
    return hours_transfer(
        actor=actor,
        legs=[(payer, -value), (payee, value)],
        category=category,
        note=note,
        balances=None if balance is None else {payer.pk: balance},
    )


def hours_spend(
    *,
    actor: Actor,
    payer: BankAccount,
    payee: BankAccount,
    amount: object,
    category: str,
    note: str,
    balance: Decimal | None = None,
) -> Transfer:
    """A volunteer spends hours from their own account on a service (for example care for an elderly parent),
    against the `balance` they saw (the same form sent twice pays once)."""
    if category not in SPENDING_CATEGORIES:
        raise invalid("category", _("Choose what the hours are for."))
    if payer.volunteer is None or payer.volunteer.account_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You may spend only the hours of your own account."))
    if not (note or "").strip():
        raise invalid("note", _("Say what the service is and for whom."))
    if payee.community_id != payer.community_id and payee.kind != AccountKind.BANK:
        raise invalid("payee", _("Choose an account of your community, or another community's bank."))
    transfer = hours_pay(
        actor=actor, payer=payer, payee=payee, amount=amount, category=category, note=note, balance=balance
    )
    if payee.volunteer is not None:
        notify(
            payee.volunteer,
            _("You received %(h)s hours from %(name)s") % {"h": hours(amount), "name": payer.name},
            note,
        )
    return transfer


@transaction.atomic
def transfer_reverse(*, actor: Actor, transfer: Transfer, reason: str) -> Transfer:
    """Correct a transfer by a new one with every movement negated (the ledger keeps both)."""
    for m in transfer.movements.select_related("account__community"):
        permissions.require(actor, "bank_manage", m.account.community.path)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise invalid("reason", _("Give the reason (at most 200 characters)."))
    return hours_transfer(
        actor=actor, legs=[], category=TransferCategory.CORRECTION, note=reason, reverses=transfer
    )
