"""Finding an account of the time bank by a person's name or mobile number (core.finder), where a drop-down of
every account of a community (hundreds of volunteers) used to be: the staff's transfer form (one or several
payers) and a volunteer's spending form. What is the time bank's own: the words, and what a suggestion shows."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.finder import Finder, FinderWidget, Wording
from linli.core.masking import mask_phone

from .models import BankAccount
from .selectors import ACCOUNT_NAMES

WORDING = Wording(
    many_named=_("Many accounts are named “%(entry)s”: type their mobile number."),
    several_named=_("%(n)s accounts are named “%(entry)s”: choose one below, or type the mobile number."),
    type_more=_("No account is named exactly “%(entry)s”: type more of the name, or the mobile number."),
    choose=_("No account is named exactly “%(entry)s”: choose one below, or type the whole name or number."),
    none=_("No account is found for “%(entry)s”: type the whole name or the mobile number."),
    required=_("Type a name or a mobile number, or choose an account."),
    more=_("More accounts match: type more of the name, or the mobile number."),
    nothing=_("Nothing found for “%(text)s”: type the whole name or the mobile number."),
)


class AccountFinder(Finder):
    """A form field naming one account (or several, `multiple`) by name or mobile number; `configure` it with
    `account_row` (or `account_row_with_balance`)."""

    def __init__(self, *, multiple: bool = False, placeholder: Any = "", **kwargs: Any) -> None:
        super().__init__(
            names=ACCOUNT_NAMES,
            phone="volunteer__phone",
            wording=WORDING,
            multiple=multiple,
            placeholder=placeholder,
            **kwargs,
        )


def account_row(account: BankAccount) -> tuple[str, str]:
    """What a suggestion shows of an account: the name; its kind, community and the phone masked."""
    parts = [str(account.get_kind_display()), account.community.name]
    if account.volunteer and account.volunteer.phone:
        parts.append(mask_phone(account.volunteer.phone))
    return account.name, " · ".join(parts)


def account_row_with_balance(account: BankAccount) -> tuple[str, str]:
    """As `account_row`, and the balance (the staff's payers)."""
    name, details = account_row(account)
    return name, f"{details} · " + gettext("%(h)s hours") % {"h": account.balance}


class PayerWidget(FinderWidget):
    """The staff's payers: each tick box carries the balance shown beside it (`<id>:<balance>`), so the transfer
    is paid against the balances the worker saw; the finder itself reads the ids."""

    def rows(self, objs: list[Any]) -> list[dict[str, Any]]:
        return [
            dict(row, pk=f"{row['pk']}:{obj.balance}")
            for row, obj in zip(super().rows(objs), objs, strict=True)
        ]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, list[str]]:
        text, picks = super().value_from_datadict(data, files, name)
        return text, [pick.partition(":")[0] for pick in picks]


class PayerFinder(AccountFinder):
    """The accounts that give hours, each with the balance the worker saw (`balances_seen`)."""

    widget_class = PayerWidget


def balances_seen(data: Any, name: str) -> dict[int, Decimal]:
    """The balances the ticked payers showed (by account id), read from the form's `<name>_pick` boxes."""
    seen: dict[int, Decimal] = {}
    for pick in data.getlist(f"{name}_pick") if hasattr(data, "getlist") else []:
        pk, _sep, shown = str(pick).partition(":")
        try:
            seen[int(pk)] = Decimal(shown)
        except (InvalidOperation, ValueError):
            continue
    return seen
