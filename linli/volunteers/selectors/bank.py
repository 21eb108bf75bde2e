"""Reads of the time bank: the accounts a reader sees and finds, whom hours may go to, an account's movements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.core.ledger import sum_of
from linli.core.lookup import people_found
from linli.core.scoping import get_or_404
from linli.territory.selectors import Viewer

from ..choices import AccountKind
from ..models import BankAccount, Movement, Transfer, Volunteer
from ._scope import _area_or_own


def accounts_visible_to(user: Viewer) -> QuerySet[BankAccount]:
    qs = BankAccount.objects.select_related("community", "volunteer", "organisation")
    return _area_or_own(qs, user, "community__path")


def accounts_found(qs: QuerySet[BankAccount], find: str, kind: str = "") -> QuerySet[BankAccount]:
    """The accounts of `qs` a staff search means (as the transfer form's finder: a part of the name, a whole
    mobile number or its last digits), of one `kind` when one is chosen; all of them when nothing is asked."""
    if kind in AccountKind.values:
        qs = qs.filter(kind=kind)
    if not find.strip():
        return qs
    return people_found(qs, find, names=ACCOUNT_NAMES, phone="volunteer__phone", by_phone_end=True)


def account_get_for(user: Viewer, pk: int) -> BankAccount:
    return get_or_404(accounts_visible_to(user), pk=pk)


def payees_for(volunteer: Volunteer) -> QuerySet[BankAccount]:
    """Whom a volunteer may pay hours to: their community's bank and the other people and organisations in it,
    and the bank of any other community (for a service it arranges there, such as care for a parent who lives
    there: a transfer between banks). Their own community's accounts come first."""
    return (
        BankAccount.objects.filter(Q(community_id=volunteer.community_id) | Q(kind=AccountKind.BANK))
        .exclude(volunteer=volunteer)
        .select_related("community")
        .annotate(elsewhere=~Q(community_id=volunteer.community_id))
        .order_by("elsewhere", "kind", "community__path", "name")
    )


def transfer_payees_for(user: Viewer) -> QuerySet[BankAccount]:
    """Whom staff may transfer hours to: every account of their area, and the bank of any other community."""
    visible = accounts_visible_to(user).values("pk")
    return BankAccount.objects.filter(Q(pk__in=visible) | Q(kind=AccountKind.BANK)).select_related(
        "community", "volunteer", "organisation"
    )


ACCOUNT_NAMES = (
    "name",
    "volunteer__name",
)  # an account is found by its own name (a unit's, a bank's) or its holder's


def account_movements(account: BankAccount, *, month: dt.date | None = None) -> QuerySet[Movement]:
    """The account's movements, the latest first, each with its transfer's other movements, whether it has a
    counterpart and whether it was reversed since (`reversed`); only those of `month` (its first day) when one is
    given, by the local calendar."""
    others = Movement.objects.filter(transfer=OuterRef("transfer")).exclude(account=account)
    qs = Movement.objects.filter(account=account)
    if month is not None:
        start, end = _month_bounds(month)
        qs = qs.filter(transfer__at__gte=start, transfer__at__lt=end)
    return (
        qs.select_related("transfer", "transfer__actor")
        .prefetch_related(
            Prefetch(
                "transfer__movements",
                queryset=Movement.objects.select_related("account").order_by("id"),
            )
        )
        .annotate(
            has_counterpart=Exists(others),
            reversed=Exists(Transfer.objects.filter(reverses=OuterRef("transfer"))),
        )
        .order_by("-transfer__at", "-id")
    )


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of `month` and of the month after it, on the local calendar."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time())),
        timezone.make_aware(dt.datetime.combine(following, dt.time())),
    )


def account_months(account: BankAccount) -> list[tuple[dt.date, int]]:
    """The months the account has movements in, the latest first, each with how many (one query)."""
    rows = (
        Movement.objects.filter(account=account)
        .annotate(month=TruncMonth("transfer__at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")
    )
    return [(timezone.localtime(r["month"]).date(), r["n"]) for r in rows]


def balance_after(account: BankAccount, movement: Movement) -> Decimal:
    """The account's balance right after `movement`: today's balance less every movement since, in the order the
    list reads (the transfer's time, then the movement's id)."""
    at = movement.transfer.at
    since = Movement.objects.filter(account=account).filter(
        Q(transfer__at__gt=at) | Q(transfer__at=at, id__gt=movement.pk)
    )
    return account.balance - sum_of(since)


def with_balances(account: BankAccount, rows: Sequence[Movement]) -> None:
    """Mark each of `rows` (one page of `account_movements`, the latest first) with `balance_after`: one query
    for the page, whatever its length or period."""
    if not rows:
        return
    balance = balance_after(account, rows[0])
    for m in rows:
        m.balance_after = balance  # type: ignore[attr-defined]
        balance -= m.amount


@dataclass(frozen=True)
class MonthTotals:
    paid_in: Decimal
    paid_out: Decimal  # negative or zero
    closing: Decimal  # the balance at the month's end


def month_totals(account: BankAccount, month: dt.date) -> MonthTotals:
    """What came in and went out of the account in `month`, and its balance at the month's end."""
    start, end = _month_bounds(month)
    mine = Movement.objects.filter(account=account)
    during = mine.filter(transfer__at__gte=start, transfer__at__lt=end)
    return MonthTotals(
        paid_in=sum_of(during.filter(amount__gt=0)),
        paid_out=sum_of(during.filter(amount__lt=0)),
        closing=account.balance - sum_of(mine.filter(transfer__at__gte=end)),
    )


def ledger_total() -> Decimal:
    """The sum of every movement ever (zero, always: each transfer sums to zero)."""
    return Movement.objects.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def movement_get_for(user: Viewer, pk: int) -> Movement:
    """A movement of an account the reader may see (its transfer is what a reversal names)."""
    visible = accounts_visible_to(user).values("pk")
    return get_or_404(Movement.objects.select_related("transfer", "account"), pk=pk, account__in=visible)
