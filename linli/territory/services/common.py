"""What the territory's services share: who acts, the table of who may maintain the register, and looking up what a
write names inside the actor's scope (the error for one field and checking a field come from core)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import PermissionDenied, invalid
from linli.core.roles import Role
from linli.core.scoping import ScopedUser, Viewer, get_or_404, is_admin, is_signed_in
from linli.core.validators import checked

__all__ = ["Actor", "checked", "in_scope", "invalid", "may_maintain", "require_maintainer"]

# Who acts: a signed-in account, an anonymous visitor, or None for the system itself (demo, setup, commands).
Actor = ScopedUser | AnonymousUser | None


# Who may keep the register (people and housing) up to date, within their own scope; the pages and the API read
# this table too. Street officers and district leaders read the register; they do not keep it.
# Part-time grid workers and building captains report and visit; they do not keep the register.
MAINTAINERS = frozenset({Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_WORKER, Role.ADMIN})


# Who may log visits (民情日志) in their grids: those who keep the register, and part-time grid workers and building
# captains, who report and visit.
VISITORS = MAINTAINERS | {Role.PART_TIME_GRID_WORKER, Role.BUILDING_CAPTAIN}


def may_visit(user: Viewer) -> bool:
    return is_admin(user) or (is_signed_in(user) and getattr(user, "role", None) in VISITORS)


def require_visitor(actor: Actor) -> None:
    if actor is not None and not may_visit(actor):
        raise PermissionDenied(_("Your role may not log visits."))


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


def save_changes(
    actor: Actor, obj: Model, changes: dict[str, Any], action: str, *, named: dict[str, str] | None = None
) -> list[str]:
    """Set the fields of `changes` that differ on the locked `obj`, save only those (and `updated_at`) and write
    the audit entry listing them (`named` gives several stored columns one name there); returns the fields
    changed."""
    changed = [f for f, value in changes.items() if getattr(obj, f) != value]
    for field in changed:
        setattr(obj, field, changes[field])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"])
        audit(actor, action, obj, fields=list(dict.fromkeys((named or {}).get(f, f) for f in changed)))
    return changed
