"""The community fund: its account and balance, what projects spent and hold, payments, transfers and statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from linli.core import ledger
from linli.core.scoping import Viewer, get_or_404, scope_by_org
from linli.territory.models import OrgNode

from ..choices import FundAccountKind, PaymentState, TransferKind
from ..models import (
    FundAccount,
    FundEntry,
    FundTransfer,
    Payment,
    Project,
)

ZERO = Decimal("0.00")


def fund_account(community: OrgNode) -> FundAccount | None:
    return FundAccount.objects.filter(community=community, kind=FundAccountKind.FUND).first()


def balance_of(account: FundAccount | None) -> Decimal:
    """An account's balance (kept on its row by the ledger)."""
    if account is None:
        return ZERO
    balance: Decimal = FundAccount.objects.filter(pk=account.pk).values_list("balance", flat=True).get()
    return balance


def project_spent(project: Project) -> Decimal:
    """What a project has paid its payees from its account, less reversals of it."""
    return ledger.sum_of(
        FundEntry.objects.filter(transfer__project=project, account__kind=FundAccountKind.PAYEE)
    )


def project_held(project: Project) -> Decimal:
    """What the project's account holds (allocated and not yet paid out); nothing before its first allocation."""
    return balance_of(FundAccount.objects.filter(project=project).first())


def projects_unallocated(projects: QuerySet[Project]) -> dict[int, Decimal]:
    """What each project may still be allocated from the fund: its approved budget less what its account holds and
    what it has spent (the bound `services.project_allocate` keeps), never below zero."""
    held = dict(
        FundAccount.objects.filter(project__in=projects).values_list("project_id", "balance").order_by()
    )
    spent = dict(
        FundEntry.objects.filter(transfer__project__in=projects, account__kind=FundAccountKind.PAYEE)
        .values("transfer__project")
        .annotate(s=Sum("amount"))
        .values_list("transfer__project", "s")
        .order_by()
    )
    return {
        p.pk: max(
            p.budget - held.get(p.pk, ZERO) - Decimal(spent.get(p.pk) or ZERO).quantize(ledger.CENT), ZERO
        )
        for p in projects
    }


def transfers_of(community: OrgNode) -> QuerySet[FundTransfer]:
    return (
        FundTransfer.objects.filter(community=community)
        .select_related("project", "reverses", "reversed_by")
        .prefetch_related("entries__account")
    )


def payments_for(user: Viewer) -> QuerySet[Payment]:
    return scope_by_org(
        Payment.objects.select_related("project", "requested_by", "first_approver", "second_approver"),
        user,
        "project__community__path",
    )


def payment_get_for(user: Viewer, pk: int) -> Payment:
    return get_or_404(payments_for(user), pk=pk)


def pending_payments(community: OrgNode) -> QuerySet[Payment]:
    return Payment.objects.filter(
        project__community=community, state__in=[PaymentState.REQUESTED, PaymentState.APPROVED_ONCE]
    )


def _total(qs: QuerySet[FundEntry]) -> Decimal:
    return ledger.sum_of(qs)


def project_statements(community: OrgNode, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Each project account's statement for [start, end): opening balance, allocated from the fund (less allocations
    reversed), spent on payees (less spending reversed), closing balance; with the project's budget and all it has
    spent."""
    accounts = FundAccount.objects.filter(community=community, kind=FundAccountKind.PROJECT).select_related(
        "project"
    )
    allocation = Q(transfer__kind=TransferKind.ALLOCATION) | Q(
        transfer__reverses__kind=TransferKind.ALLOCATION
    )
    rows = []
    for account in accounts.order_by("project__title", "pk"):
        entries = FundEntry.objects.filter(account=account)
        period = entries.filter(transfer__occurred_on__gte=start, transfer__occurred_on__lt=end)
        opening = _total(entries.filter(transfer__occurred_on__lt=start))
        allocated = _total(period.filter(allocation))
        moved = _total(period)
        rows.append(
            {
                "project": account.project,
                "account": account,
                "opening": opening,
                "allocated": allocated,
                "spent": allocated - moved,
                "closing": opening + moved,
                "spent_ever": project_spent(account.project) if account.project else ZERO,
            }
        )
    return rows


def statement(community: OrgNode, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The fund's statement for [start, end): the fund account's opening and closing balance, income by kind,
    allocations to each project's account, and each project account's statement (what it spent on payees)."""
    fund = fund_account(community)
    entries = FundEntry.objects.filter(account=fund) if fund else FundEntry.objects.none()
    opening = _total(entries.filter(transfer__occurred_on__lt=start))
    period = entries.filter(transfer__occurred_on__gte=start, transfer__occurred_on__lt=end)
    income = list(
        period.filter(amount__gt=0, transfer__kind=TransferKind.INCOME)
        .values("transfer__income_kind")
        .annotate(total=Sum("amount"))
        .order_by("transfer__income_kind")
    )
    allocations = list(
        period.filter(transfer__project__isnull=False)
        .values("transfer__project_id", "transfer__project__title", "transfer__project__budget")
        .annotate(total=Sum("amount"))
        .order_by("transfer__project__title")
    )
    moved = _total(period)
    projects = project_statements(community, start, end)
    income_total = sum((r["total"] for r in income), ZERO)
    allocated_total = -sum((r["total"] for r in allocations), ZERO)
    return {
        "opening": opening,
        "closing": opening + moved,
        "income": income,
        "income_total": income_total,
        "allocations": [{**r, "total": -r["total"]} for r in allocations],
        "allocated_total": allocated_total,
        "projects": projects,
        "spending_total": sum((r["spent"] for r in projects), ZERO),
        "other": moved - income_total + allocated_total,
    }


def ledger_total(community: OrgNode) -> Decimal:
    """The sum of every entry of the community's ledger: always zero."""
    return ledger.sum_of(FundEntry.objects.filter(transfer__community=community))
