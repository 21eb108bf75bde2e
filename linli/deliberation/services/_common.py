"""What the co-governance services share: tidy text, the acting person, notifications after the commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.errors import ValidationFailed
from linli.core.orgpath import path_ids
from linli.core.outbox import notification_create
from linli.core.photos import validate_photo
from linli.core.roles import Role
from linli.core.scoping import person
from linli.core.validators import clean_text
from linli.territory.services import invalid

# Who acts: an account, an anonymous visitor (refused by the checks), or None for the system (jobs, the demo).
type Actor = User | AnonymousUser | None

__all__ = ["Actor", "invalid", "notify", "person", "photo_check", "street_officers_over", "text"]


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


def photo_check(field: str, photo: Any) -> None:
    """A photo a person uploads (of finished work, of a signed paper ballot), checked by its real content with
    the appeals' photo check (decoded with Pillow, at most 5 MB); the error names `field`."""
    try:
        validate_photo(photo)
    except ValidationFailed as error:
        raise invalid(field, error.message) from None
