"""Reads of the time bank: the accounts a reader sees and finds, whom hours may go to, an account's movements."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from linli.core.lookup import people_found
from linli.core.scoping import get_or_404
from linli.territory.selectors import Viewer

from ..choices import AccountKind
from ..models import BankAccount, Movement, Volunteer
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


def account_movements(account: BankAccount) -> QuerySet[Movement]:
    others = Movement.objects.filter(transfer=OuterRef("transfer")).exclude(account=account)
    return (
        Movement.objects.filter(account=account)
        .select_related("transfer", "transfer__actor")
        .prefetch_related(
            Prefetch(
                "transfer__movements",
                queryset=Movement.objects.select_related("account").order_by("id"),
            )
        )
        .annotate(has_counterpart=Exists(others))
        .order_by("-transfer__at", "-id")
    )


def ledger_total() -> Decimal:
    """The sum of every movement ever (zero, always: each transfer sums to zero)."""
    return Movement.objects.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def movement_get_for(user: Viewer, pk: int) -> Movement:
    """A movement of an account the reader may see (its transfer is what a reversal names)."""
    visible = accounts_visible_to(user).values("pk")
    return get_or_404(Movement.objects.select_related("transfer", "account"), pk=pk, account__in=visible)
