"""Permission scoping: which part of the org tree a user sees.

Every org node carries a materialised `path` ("/1/4/17/"); a staff member sees the subtree below their own node,
an administrator everything, a department handler only what is assigned to their organisation, and a resident
nothing of the staff side. Apps build their `<thing>s_visible_to(user)` selectors on these helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from .errors import NotFound, PermissionDenied
from .orgpath import path_ids
from .roles import PERSONAL_DATA_ROLES, TREE_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class ScopedUser(Protocol):
    """Whom scoping reads: a signed-in account, or a stand-in that sees the whole tree (a scheduled job)."""

    is_superuser: bool
    role: str

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def org_path(self) -> str | None: ...

    @property
    def organisation_id(self) -> int | None: ...


class Account(ScopedUser, Protocol):
    """An account (settings.AUTH_USER_MODEL, accounts.User). Accounts sit above core, so core names an account by
    what it reads, and writes its foreign keys to one by id (`actor_id=actor.pk`)."""

    @property
    def pk(self) -> int: ...


class WholeTree:
    """A stand-in reader that sees the whole tree, for reads no person makes: a scheduled job's reports, or what
    is public anyway (every grid's boundary hangs at its grid station)."""

    is_authenticated = True
    is_superuser = True
    role: str = Role.ADMIN
    org_path = ""
    organisation_id = None


# Who reads: an account or a stand-in, an anonymous visitor, or nobody.
type Viewer = ScopedUser | AnonymousUser | None
# Who acts: an account, an anonymous visitor, or None for the system (worker jobs, commands).
type Actor = Account | AnonymousUser | None


def is_signed_in(user: Viewer) -> TypeGuard[ScopedUser]:
    """A signed-in account (anonymous visitors and the system are not)."""
    return user is not None and user.is_authenticated


def person(actor: Viewer) -> Any:
    """The account behind an act, for the foreign key that records who did it: the signed-in account; None for an
    anonymous visitor or the system."""
    return actor if is_signed_in(actor) else None


def signed_in_account(actor: Viewer) -> Any:
    """The signed-in account acting; an anonymous visitor or the system is refused (a resident's own act: a wish
    posted, an order placed, a volunteer signing up). Typed loosely, as the app's own account model reads it."""
    if not is_signed_in(actor):
        raise PermissionDenied(_("Sign in first."))
    return actor


def is_admin(user: Viewer) -> bool:
    return is_signed_in(user) and (user.is_superuser or user.role == Role.ADMIN)


def is_staff_member(user: Viewer) -> bool:
    return is_signed_in(user) and (is_admin(user) or user.role != Role.RESIDENT)


def tree_scope_path(user: Viewer) -> str | None:
    """The org path prefix the user may see; "" means everything, None means nothing of the tree."""
    if not is_signed_in(user):
        return None
    if is_admin(user):
        return ""
    if user.role in TREE_ROLES:
        return user.org_path or None
    return None


def scope_by_org[M: Model](qs: QuerySet[M], user: Viewer, path_field: str) -> QuerySet[M]:
    """Filter `qs` to rows whose org path (reached by `path_field`) lies in the user's subtree."""
    prefix = tree_scope_path(user)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    return qs.filter(**{f"{path_field}__startswith": prefix})


def scope_in_or_above[M: Model](
    qs: QuerySet[M], user: Viewer, path_field: str, node_field: str
) -> QuerySet[M]:
    """Rows in the user's subtree (their node's path reached by `path_field`) or on the nodes above it (the node
    reached by `node_field`): a community's street committee, the street's roads, a community's service centre
    seen from a grid."""
    prefix = tree_scope_path(user)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    return qs.filter(
        Q(**{f"{path_field}__startswith": prefix}) | Q(**{f"{node_field}__in": path_ids(prefix)})
    )


def get_or_404[M: Model](qs: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from an already scoped queryset; anything outside the scope is simply not found."""
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def may_see_personal_data(user: Viewer) -> bool:
    return is_admin(user) or (is_signed_in(user) and user.role in PERSONAL_DATA_ROLES)
