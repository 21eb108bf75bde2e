"""What the co-governance services share: tidy text, the acting person, notifications after the commit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.orgpath import path_ids
from linli.core.outbox import notification_create
from linli.core.roles import Role
from linli.territory.services import invalid

# Who acts: an account, an anonymous visitor (refused by the checks), or None for the system (jobs, the demo).
type Actor = User | AnonymousUser | None

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 8 * 1024 * 1024

__all__ = ["Actor", "invalid", "notify", "person", "photo_check", "street_officers_over", "text"]


def text(field: str, value: str | None, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("Fill this in."))
    if len(value) > limit:
        raise invalid(field, _("At most %(limit)d characters, please.") % {"limit": limit})
    return value


def person(actor: Actor) -> Any:
    """The signed-in account behind `actor` (None for the system)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def notify(users: list[Any] | QuerySet[User], *, title: str, body: str = "", url: str = "") -> None:
    """In-app notifications: plain rows written in the transaction of the change that caused them."""
    for account in users:
        if account is not None:
            notification_create(user=account, title=title, body=body, url=url)


def street_officers_over(path: str) -> QuerySet[User]:
    """The street officers whose street holds the area `path`."""
    return User.objects.filter(role=Role.STREET_OFFICER, is_active=True, org_node_id__in=path_ids(path))


def photo_check(field: str, photo: Any) -> None:
    """A photo a person uploads (of finished work, of a signed paper ballot): an image of at most 8 MB."""
    if photo.content_type not in PHOTO_TYPES:
        raise invalid(field, _("The photo must be a JPEG, PNG or WebP image."))
    if photo.size and photo.size > PHOTO_MAX_BYTES:
        raise invalid(field, _("The photo is larger than 8 MB."))
