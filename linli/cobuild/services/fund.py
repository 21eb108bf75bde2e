"""The community fund (社区基金): a double-entry ledger in yuan, written through `linli.core.ledger`.

Accounts are the fund itself, each project, each donor or source of income, and each payee; every transfer is two
or more entries that sum to zero. Income (donations in money or kind, shared-parking and venue income) moves money
from a donor's account into the fund. Money for a project is allocated from the fund to the project's account, never
beyond the project's approved budget, and spent from the project's account to a payee: asked for with a receipt and
paid only after two approvals by two people other than the one who asked (the payment allocates what the project's
account lacks). Neither the fund nor a project's account goes below zero. A transfer is never edited or deleted: a
mistake is corrected by a reversing transfer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import ledger
from linli.core.audit import audit
from linli.core.errors import Conflict, PermissionDenied
from linli.core.scoping import person
from linli.core.templatetags.money import money
from linli.territory.models import OrgNode

from .. import permissions, selectors
from ..choices import FundAccountKind, IncomeKind, PaymentState, TransferKind
from ..models import FundAccount, FundTransfer, Payment, Project
from ._common import Actor, community_in_area, invalid, locked_for, notify, text

CENT = ledger.CENT
ZERO = ledger.ZERO
RECEIPT_LIMIT = 5 * 1024 * 1024

type Leg = ledger.Leg[FundAccount]


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
    account, _created = FundAccount.objects.get_or_create(
        community=community, kind=kind, name=name, project=None
    )
    return account


def fund_of(community: OrgNode) -> FundAccount:
    return _account(community, FundAccountKind.FUND, str(_("Community fund")))


def project_account(project: Project) -> FundAccount:
    """The project's own account (opened with its first allocation)."""
    account, _created = FundAccount.objects.get_or_create(
        project=project,
        defaults={
            "community_id": project.community_id,
            "kind": FundAccountKind.PROJECT,
            "name": project.title,
        },
    )
    return account


def _receipt(receipt: UploadedFile | None, *, required: bool) -> UploadedFile | None:
    if receipt is None:
        if required:
            raise invalid("receipt", _("Attach the receipt or invoice."))
        return None
    if receipt.size and receipt.size > RECEIPT_LIMIT:
        raise invalid("receipt", _("The receipt may be at most 5 MB."))
    return receipt


def _never_below_zero(account: FundAccount, amount: Decimal) -> None:
    """The fund and a project's account hold real money: neither goes below zero (checked under their lock)."""
    held = account.kind in (FundAccountKind.FUND, FundAccountKind.PROJECT)
    if held and amount < 0 and account.balance + amount < 0:
        raise Insufficient(
            _("%(name)s holds %(balance)s yuan; this needs %(amount)s.")
            % {"name": account.name, "balance": money(account.balance), "amount": money(-amount)}
        )


def _post(
    *,
    actor: Actor,
    community: OrgNode,
    kind: str,
    legs: list[Leg],
    memo: str,
    occurred_on: dt.date,
    project: Project | None = None,
    income_kind: str = "",
    receipt: Any = None,
    reverses: FundTransfer | None = None,
) -> FundTransfer:
    """Write one transfer of the community's ledger (through `linli.core.ledger`) and audit it."""
    if any(a.community_id != community.pk for a, _amount in legs):
        raise invalid("legs", _("Every account of a transfer belongs to the same community."))
    transfer = FundTransfer(
        community=community,
        kind=kind,
        income_kind=income_kind,
        memo=text(memo, "memo", 200),
        project=project,
        receipt=receipt or "",
        actor=person(actor),
        occurred_on=occurred_on,
    )
    if reverses is not None:
        ledger.reverse(reverses, transfer, check=_never_below_zero)
    else:
        ledger.post(transfer, legs, check=_never_below_zero)
    amounts = [str(e.amount) for e in ledger.entries_of(transfer)]
    audit(actor, "cobuild.fund_post", transfer, kind=kind, amounts=amounts)
    return transfer


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
    community = community_in_area(actor, community, "fund_record")
    if income_kind not in IncomeKind.values:
        raise invalid("income_kind", _("Choose the kind of income."))
    value = amount_of(amount)
    day = occurred_on or timezone.localdate()
    if day > timezone.localdate():
        raise invalid("occurred_on", _("The date cannot be in the future."))
    kind = FundAccountKind.DONOR if income_kind.startswith("donation") else FundAccountKind.INCOME
    return _post(
        actor=actor,
        community=community,
        kind=TransferKind.INCOME,
        legs=[(_account(community, kind, text(source, "source", 80)), -value), (fund_of(community), value)],
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
    project = locked_for(actor, project, selectors.project_get_for, "community")
    permissions.require(actor, "fund_record", project.community.path)
    value = amount_of(amount)
    committed = _committed(project)
    if committed + value > project.budget:
        raise OverBudget(
            _(
                "The project's budget is %(budget)s yuan and %(used)s is spent or asked for: at most %(left)s more."
            )
            % {
                "budget": money(project.budget),
                "used": money(committed),
                "left": money(max(project.budget - committed, ZERO)),
            }
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


def payment_approval_refused(actor: Actor, payment: Payment) -> str:
    """Why `actor` may not give this payment its next approval although their role approves ("" when they may):
    the person who asked approves nothing of it, and the second approval is another person's than the first. The
    fund page reads it too, so it offers 审批 only to one who may give it."""
    me = getattr(actor, "pk", None)
    if actor is None or me is None:
        return ""
    if me == payment.requested_by_id:
        return str(_("The person who asked for a payment does not approve it."))
    if payment.state == PaymentState.APPROVED_ONCE and me == payment.first_approver_id:
        return str(_("The second approval is given by someone other than the first."))
    return ""


@transaction.atomic
def payment_approve(*, actor: Actor, payment: Payment) -> Payment:
    """One of the two approvals; the second pays. Neither approver is the one who asked, nor the same twice."""
    payment = locked_for(actor, payment, selectors.payment_get_for, "project__community")
    project = payment.project
    permissions.require(actor, "fund_approve", project.community.path)
    if refusal := payment_approval_refused(actor, payment):
        raise PermissionDenied(refusal)
    if payment.state == PaymentState.REQUESTED:
        payment.state = PaymentState.APPROVED_ONCE
        payment.first_approver = person(actor)
        payment.save(update_fields=["state", "first_approver", "updated_at"])
        audit(actor, "cobuild.payment_approve", payment, step=1)
        return payment
    if payment.state != PaymentState.APPROVED_ONCE:
        raise Conflict(_("This payment is not waiting for approval."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if selectors.project_spent(project) + payment.amount > project.budget:
        raise OverBudget(_("Paying this would take the project beyond its approved budget."))
    account = project_account(project)
    lacking = payment.amount - FundAccount.objects.get(pk=account.pk).balance
    if lacking > 0:
        _allocate(actor=actor, project=project, amount=lacking, memo=payment.purpose)
    transfer = _post(
        actor=actor,
        community=project.community,
        kind=TransferKind.EXPENSE,
        legs=[
            (account, -payment.amount),
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
    notify(payment.requested_by, _("Payment to %(p)s was made") % {"p": payment.payee}, money(payment.amount))
    audit(actor, "cobuild.payment_approve", payment, step=2)
    return payment


@transaction.atomic
def payment_reject(*, actor: Actor, payment: Payment, reason: str) -> Payment:
    payment = locked_for(actor, payment, selectors.payment_get_for, "project__community")
    permissions.require(actor, "fund_approve", payment.project.community.path)
    if payment.state not in (PaymentState.REQUESTED, PaymentState.APPROVED_ONCE):
        raise Conflict(_("This payment is not waiting for approval."))
    why = text(reason, "reason", 200)
    payment.state = PaymentState.REJECTED
    payment.save(update_fields=["state", "updated_at"])
    notify(payment.requested_by, _("Payment to %(p)s was rejected") % {"p": payment.payee}, why)
    audit(actor, "cobuild.payment_reject", payment, reason=why)
    return payment


def _allocate(*, actor: Actor, project: Project, amount: Decimal, memo: str) -> FundTransfer:
    """Move `amount` from the fund to the project's account; the caller holds the project's row lock. What the
    project's account holds plus what it has spent never exceeds the approved budget."""
    account = project_account(project)
    held = FundAccount.objects.get(pk=account.pk).balance
    spent = selectors.project_spent(project)
    if held + spent + amount > project.budget:
        raise OverBudget(
            _(
                "The project's budget is %(budget)s yuan and %(used)s is allocated to it: at most %(left)s more."
            )
            % {
                "budget": money(project.budget),
                "used": money(held + spent),
                "left": money(max(project.budget - held - spent, ZERO)),
            }
        )
    return _post(
        actor=actor,
        community=project.community,
        kind=TransferKind.ALLOCATION,
        legs=[(fund_of(project.community), -amount), (account, amount)],
        memo=_("Allocation to %(project)s: %(memo)s") % {"project": project.title, "memo": memo},
        occurred_on=timezone.localdate(),
        project=project,
    )


@transaction.atomic
def project_allocate(*, actor: Actor, project: Project, amount: object, memo: str) -> FundTransfer:
    """Set money of the fund aside for a project (fund → the project's account), within its approved budget."""
    project = locked_for(actor, project, selectors.project_get_for, "community")
    permissions.require(actor, "fund_approve", project.community.path)
    return _allocate(actor=actor, project=project, amount=amount_of(amount), memo=text(memo, "memo", 120))


@transaction.atomic
def transfer_reverse(*, actor: Actor, transfer: FundTransfer, reason: str) -> FundTransfer:
    """Correct a transfer by a new one with every entry negated; the ledger keeps both. Refused when the fund or
    the project's account no longer holds what the reversal takes back."""
    transfer = FundTransfer.objects.select_related("community").get(pk=transfer.pk)
    community = community_in_area(actor, transfer.community, "fund_record")
    if transfer.project_id is not None:
        Project.objects.select_for_update().filter(pk=transfer.project_id).first()
    why = text(reason, "reason", 200)
    return _post(
        actor=actor,
        community=community,
        kind=TransferKind.REVERSAL,
        legs=[],
        memo=_("Reversal: %(why)s") % {"why": why},
        occurred_on=timezone.localdate(),
        project=transfer.project,
        reverses=transfer,
    )


def statement_period(
    *,
    year: object = None,
    quarter: object = None,
    month: object = None,
    date_from: object = None,
    date_to: object = None,
) -> tuple[dt.date, dt.date]:
    """The period [start, end) of a fund statement, the one definition used by the pages and the API: the days from
    `date_from` to `date_to` (both included, ISO dates, at most ten years); else a `month` ("2026-03"); else a
    `quarter` (1–4) of `year`; else the whole `year` (this year when none is given)."""
    today = timezone.localdate()

    def day(value: object, field: str) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise invalid(field, _("Enter a date such as 2026-01-31.")) from None

    def bounded(start: dt.date, end: dt.date, field: str) -> tuple[dt.date, dt.date]:
        if start.year < 2000 or start > today:
            raise invalid(field, _("Choose a period from 2000 to today."))
        return start, end

    if date_from or date_to:
        if not (date_from and date_to):
            raise invalid("date_to", _("Give both the first and the last day of the period."))
        start, last = day(date_from, "date_from"), day(date_to, "date_to")
        if last < start:
            raise invalid("date_to", _("The last day comes before the first."))
        if (last - start).days > 3660 or start.year < 2000:
            raise invalid("date_from", _("Choose a period of at most ten years, from 2000 on."))
        return start, last + dt.timedelta(days=1)
    if month not in (None, ""):
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise invalid("month", _("Enter a month such as 2026-03.")) from None
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return bounded(first, following, "month")
    try:
        y = int(str(year)) if year not in (None, "") else today.year
    except ValueError:
        raise invalid("year", _("Choose a year from 2000 to this year.")) from None
    if not 2000 <= y <= today.year:
        raise invalid("year", _("Choose a year from 2000 to this year."))
    if quarter not in (None, ""):
        q = str(quarter)
        if q not in ("1", "2", "3", "4"):
            raise invalid("quarter", _("Choose a quarter from 1 to 4."))
        first = dt.date(y, 3 * int(q) - 2, 1)
        return bounded(first, dt.date(y + (q == "4"), 1 if q == "4" else 3 * int(q) + 1, 1), "quarter")
    return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
