"""What the territory's services share: who acts, the table of who may maintain the register, and looking up what a
write names inside the actor's scope (the error for one field and checking a field come from core)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, invalid
from linli.core.roles import Role
from linli.core.scoping import ScopedUser, Viewer, get_or_404, is_admin, is_signed_in
from linli.core.validators import checked

__all__ = ["Actor", "audit", "checked", "in_scope", "invalid", "may_maintain", "require_maintainer"]

# Who acts: a signed-in account, an anonymous visitor, or None for the system itself (demo, setup, commands).
Actor = ScopedUser | AnonymousUser | None


# Who may keep the register (people and housing) up to date, within their own scope; the pages and the API read
# this table too. Street officers and district leaders read the register; they do not keep it.
MAINTAINERS = frozenset({Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.ADMIN})


def may_maintain(user: Viewer) -> bool:
    return is_admin(user) or (is_signed_in(user) and user.role in MAINTAINERS)


def require_maintainer(actor: Actor) -> None:
    """The system (None) may; otherwise the actor's role must be in MAINTAINERS."""
    if actor is not None and not may_maintain(actor):
        raise PermissionDenied(_("Your role may not change the register of residents and housing."))


def in_scope[M: Model](actor: Actor, visible: Callable[[Any], QuerySet[M]], obj: M) -> M:
    """`obj` looked up again through the actor's scope (`visible` is a `<thing>s_visible_to` selector): what a
    write names is never trusted from the caller. The system (None) acts everywhere."""
    if actor is None:
        return obj
    return get_or_404(visible(actor), pk=obj.pk)


def audit(actor: Actor, action: str, obj: Model, **detail: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, detail=detail)
