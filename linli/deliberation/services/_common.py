"""What the co-governance services share: tidy text, the acting person, notifications after the commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.orgpath import path_ids
from linli.core.outbox import notification_create
from linli.core.roles import Role
from linli.core.scoping import person
from linli.core.validators import clean_text
from linli.territory.services import invalid

# Who acts: an account, an anonymous visitor (refused by the checks), or None for the system (jobs, the demo).
type Actor = User | AnonymousUser | None

__all__ = ["Actor", "invalid", "notify", "person", "street_officers_over", "text"]


def text(field: str, value: str | None, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("Fill this in."))
    return clean_text(field, value, most=limit)  # a text too long is refused whole, its field and limit named


def notify(users: Iterable[User | None], *, title: str, body: str = "", url: str = "") -> None:
    """In-app notifications: plain rows written in the transaction of the change that caused them."""
    for account in users:
        if account is not None:
            notification_create(user=account, title=title, body=body, url=url)


def street_officers_over(path: str) -> QuerySet[User]:
    """The street officers whose street holds the area `path`."""
    return User.objects.filter(role=Role.STREET_OFFICER, is_active=True, org_node_id__in=path_ids(path))
