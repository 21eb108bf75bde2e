"""The community fund (社区基金): a double-entry ledger in yuan.

Accounts are the fund itself, each donor or source of income, and each payee; every transfer is two or more
entries that sum to zero. Income (donations in money or kind, shared-parking and venue income) moves money from a
donor's account into the fund. Spending is for a project, asked for with a receipt and paid only after two
approvals by two people other than the one who asked, never beyond the project's approved budget nor the fund's
balance. A transfer is never edited or deleted: a mistake is corrected by a reversing transfer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, PermissionDenied
from linli.territory.models import OrgNode

from .. import permissions, selectors
from ..choices import FundAccountKind, IncomeKind, PaymentState, TransferKind
from ..models import FundAccount, FundEntry, FundTransfer, Payment, Project
from ._common import Actor, audit, invalid, notify, person, text

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
RECEIPT_LIMIT = 5 * 1024 * 1024

type Leg = tuple[FundAccount, Decimal]


class OverBudget(Conflict):
    code = "over_budget"


class Insufficient(Conflict):
    code = "fund_insufficient"


def amount_of(value: object, field: str = "amount") -> Decimal:
    """A positive amount of yuan with at most two decimals."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, _("Enter an amount in yuan.")) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise invalid(field, _("Enter a positive amount in yuan with at most two decimals."))
    if amount > Decimal("10000000"):
        raise invalid(field, _("An amount above ten million yuan is not recorded here."))
    return amount


def _account(community: OrgNode, kind: str, name: str) -> FundAccount:
    account, _created = FundAccount.objects.get_or_create(community=community, kind=kind, name=name)
    return account


def fund_of(community: OrgNode) -> FundAccount:
    return _account(community, FundAccountKind.FUND, str(_("Community fund")))


def _receipt(receipt: UploadedFile | None, *, required: bool) -> UploadedFile | None:
    if receipt is None:
        if required:
            raise invalid("receipt", _("Attach the receipt or invoice."))
        return None
    if receipt.size and receipt.size > RECEIPT_LIMIT:
        raise invalid("receipt", _("The receipt may be at most 5 MB."))
    return receipt


def _post(
    *,
    actor: Actor,
    community: OrgNode,
    kind: str,
    legs: Sequence[Leg],
    memo: str,
    occurred_on: dt.date,
    project: Project | None = None,
    income_kind: str = "",
    receipt: Any = None,
    reverses: FundTransfer | None = None,
) -> FundTransfer:
    """Write one transfer and its entries; the only writer of the ledger. The fund's row is locked by the caller
    when the fund's balance matters."""
    if len(legs) < 2:
        raise invalid("legs", _("A transfer takes money from one account and gives it to another."))
    ids = [a.pk for a, _amount in legs]
    if len(set(ids)) != len(ids):
        raise invalid("legs", _("Each account appears once in a transfer."))
    if any(amount == 0 or amount != amount.quantize(CENT) for _a, amount in legs):
        raise invalid("legs", _("Each account gives or receives a positive amount."))
    if sum((amount for _a, amount in legs), ZERO) != 0:
        raise invalid("legs", _("What is given and what is received must be equal."))
    if any(a.community_id != community.pk for a, _amount in legs):
        raise invalid("legs", _("Every account of a transfer belongs to the same community."))
    transfer = FundTransfer.objects.create(
        community=community,
        kind=kind,
        income_kind=income_kind,
        memo=text(memo, "memo", 200),
        project=project,
        receipt=receipt or "",
        reverses=reverses,
        actor=person(actor),
        occurred_on=occurred_on,
    )
    FundEntry.objects.bulk_create(
        FundEntry(transfer=transfer, account=a, amount=amount) for a, amount in legs
    )
    audit(actor, "cobuild.fund_post", transfer, kind=kind, amounts=[str(amount) for _a, amount in legs])
    return transfer


def _in_area(actor: Actor, community: OrgNode) -> OrgNode:
    if actor is None:
        return community
    found = selectors.communities_for(actor).filter(pk=community.pk).first()
    if found is None:
        raise invalid("community", _("Choose a community of your area."))
    return found


@transaction.atomic
def income_record(
    *,
    actor: Actor,
    community: OrgNode,
    source: str,
    amount: object,
    income_kind: str,
    memo: str,
    occurred_on: dt.date | None = None,
    receipt: UploadedFile | None = None,
) -> FundTransfer:
    """Money comes into the fund: a donation (in money, or in kind at its agreed value) or shared-parking or venue
    income, from `source` (the donor or payer)."""
    permissions.require(actor, "fund_record", community.path)
    community = _in_area(actor, community)
    if income_kind not in IncomeKind.values:
        raise invalid("income_kind", _("Choose the kind of income."))
    value = amount_of(amount)
    day = occurred_on or timezone.localdate()
    if day > timezone.localdate():
        raise invalid("occurred_on", _("The date cannot be in the future."))
    kind = FundAccountKind.DONOR if income_kind.startswith("donation") else FundAccountKind.INCOME
    fund = FundAccount.objects.select_for_update().get(pk=fund_of(community).pk)
    return _post(
        actor=actor,
        community=community,
        kind=TransferKind.INCOME,
        legs=[(_account(community, kind, text(source, "source", 80)), -value), (fund, value)],
        memo=memo,
        occurred_on=day,
        income_kind=income_kind,
        receipt=_receipt(receipt, required=False),
    )


def _committed(project: Project, *, excluding: Payment | None = None) -> Decimal:
    """What the project has spent plus what is asked for and not yet paid or rejected."""
    pending = Payment.objects.filter(
        project=project, state__in=[PaymentState.REQUESTED, PaymentState.APPROVED_ONCE]
    )
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    asked = pending.aggregate(s=Coalesce(Sum("amount"), ZERO))["s"]
    return selectors.project_spent(project) + asked


@transaction.atomic
def payment_request(
    *, actor: Actor, project: Project, payee: str, amount: object, purpose: str, receipt: UploadedFile | None
) -> Payment:
    """Ask to pay for a project from the fund, with the receipt; refused beyond the project's approved budget."""
    if actor is not None:
        project = selectors.project_get_for(actor, project.pk)
    project = Project.objects.select_for_update().select_related("community").get(pk=project.pk)
    permissions.require(actor, "fund_record", project.community.path)
    value = amount_of(amount)
    committed = _committed(project)
    if committed + value > project.budget:
        raise OverBudget(
            _(
                "The project's budget is %(budget)s yuan and %(used)s is spent or asked for: at most %(left)s more."
            )
            % {"budget": project.budget, "used": committed, "left": max(project.budget - committed, ZERO)}
        )
    payment = Payment.objects.create(
        project=project,
        payee=text(payee, "payee", 80),
        amount=value,
        purpose=text(purpose, "purpose", 200),
        receipt=_receipt(receipt, required=True),
        requested_by=person(actor),
    )
    audit(actor, "cobuild.payment_request", payment, amount=str(value))
    return payment


@transaction.atomic
def payment_approve(*, actor: Actor, payment: Payment) -> Payment:
    """One of the two approvals; the second pays. Neither approver is the one who asked, nor the same twice."""
    if actor is not None:
        payment = selectors.payment_get_for(actor, payment.pk)
    payment = Payment.objects.select_for_update().select_related("project__community").get(pk=payment.pk)
    project = payment.project
    permissions.require(actor, "fund_approve", project.community.path)
    me = getattr(actor, "pk", None)
    if actor is not None and me == payment.requested_by_id:
        raise PermissionDenied(_("The person who asked for a payment does not approve it."))
    if payment.state == PaymentState.REQUESTED:
        payment.state = PaymentState.APPROVED_ONCE
        payment.first_approver = person(actor)
        payment.save(update_fields=["state", "first_approver", "updated_at"])
        audit(actor, "cobuild.payment_approve", payment, step=1)
        return payment
    if payment.state != PaymentState.APPROVED_ONCE:
        raise Conflict(_("This payment is not waiting for approval."))
    if actor is not None and me == payment.first_approver_id:
        raise PermissionDenied(_("The second approval is given by someone other than the first."))
    fund = FundAccount.objects.select_for_update().get(pk=fund_of(project.community).pk)
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if selectors.project_spent(project) + payment.amount > project.budget:
        raise OverBudget(_("Paying this would take the project beyond its approved budget."))
    balance = selectors.balance_of(fund)
    if balance < payment.amount:
        raise Insufficient(
            _("The fund holds %(balance)s yuan; this payment needs %(amount)s.")
            % {"balance": balance, "amount": payment.amount}
        )
    transfer = _post(
        actor=actor,
        community=project.community,
        kind=TransferKind.EXPENSE,
        legs=[
            (fund, -payment.amount),
            (_account(project.community, FundAccountKind.PAYEE, payment.payee), payment.amount),
        ],
        memo=payment.purpose,
        occurred_on=timezone.localdate(),
        project=project,
        receipt=payment.receipt,
    )
    payment.state = PaymentState.PAID
    payment.second_approver = person(actor)
    payment.transfer = transfer
    payment.save(update_fields=["state", "second_approver", "transfer", "updated_at"])
    notify(payment.requested_by, _("Payment to %(p)s was made") % {"p": payment.payee}, str(payment.amount))
    audit(actor, "cobuild.payment_approve", payment, step=2)
    return payment


@transaction.atomic
def payment_reject(*, actor: Actor, payment: Payment, reason: str) -> Payment:
    if actor is not None:
        payment = selectors.payment_get_for(actor, payment.pk)
    payment = Payment.objects.select_for_update().select_related("project__community").get(pk=payment.pk)
    permissions.require(actor, "fund_approve", payment.project.community.path)
    if payment.state not in (PaymentState.REQUESTED, PaymentState.APPROVED_ONCE):
        raise Conflict(_("This payment is not waiting for approval."))
    why = text(reason, "reason", 200)
    payment.state = PaymentState.REJECTED
    payment.save(update_fields=["state", "updated_at"])
    notify(payment.requested_by, _("Payment to %(p)s was rejected") % {"p": payment.payee}, why)
    audit(actor, "cobuild.payment_reject", payment, reason=why)
    return payment


@transaction.atomic
def transfer_reverse(*, actor: Actor, transfer: FundTransfer, reason: str) -> FundTransfer:
    """Correct a transfer by a new one with every entry negated; the ledger keeps both."""
    transfer = FundTransfer.objects.select_for_update().select_related("community").get(pk=transfer.pk)
    community = _in_area(actor, transfer.community)
    permissions.require(actor, "fund_record", community.path)
    if transfer.kind == TransferKind.REVERSAL:
        raise Conflict(_("A reversal is not reversed; record a new transfer instead."))
    if FundTransfer.objects.filter(reverses=transfer).exists():
        raise Conflict(_("This transfer has been reversed already."))
    why = text(reason, "reason", 200)
    fund = FundAccount.objects.select_for_update().get(pk=fund_of(community).pk)
    legs = [(e.account, -e.amount) for e in transfer.entries.select_related("account")]
    taken = -sum((amount for a, amount in legs if a.pk == fund.pk), ZERO)
    if taken > 0 and selectors.balance_of(fund) < taken:
        raise Insufficient(_("The fund no longer holds the money this income brought; it has been spent."))
    return _post(
        actor=actor,
        community=community,
        kind=TransferKind.REVERSAL,
        legs=legs,
        memo=_("Reversal: %(why)s") % {"why": why},
        occurred_on=timezone.localdate(),
        project=transfer.project,
        reverses=transfer,
    )


def statement_period(
    *, year: object = None, date_from: object = None, date_to: object = None
) -> tuple[dt.date, dt.date]:
    """The period [start, end) of a fund statement: the days from `date_from` to `date_to` (both included, ISO
    dates, at most ten years), else the whole `year` (this year when none is given)."""
    today = timezone.localdate()

    def day(value: object, field: str) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise invalid(field, _("Enter a date such as 2026-01-31.")) from None

    if date_from or date_to:
        if not (date_from and date_to):
            raise invalid("date_to", _("Give both the first and the last day of the period."))
        start, last = day(date_from, "date_from"), day(date_to, "date_to")
        if last < start:
            raise invalid("date_to", _("The last day comes before the first."))
        if (last - start).days > 3660 or start.year < 2000:
            raise invalid("date_from", _("Choose a period of at most ten years, from 2000 on."))
        return start, last + dt.timedelta(days=1)
    try:
        y = int(str(year)) if year not in (None, "") else today.year
    except ValueError:
        raise invalid("year", _("Choose a year from 2000 to this year.")) from None
    if not 2000 <= y <= today.year:
        raise invalid("year", _("Choose a year from 2000 to this year."))
    return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
