"""Permission scoping: which part of the org tree a user sees.

Every org node carries a materialised `path` ("/1/4/17/"); a staff member sees the subtree below their own node,
an administrator everything, a department handler only what is assigned to their organisation, and a resident
nothing of the staff side. Apps build their `<thing>s_visible_to(user)` selectors on these helpers.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from .errors import NotFound
from .roles import PERSONAL_DATA_ROLES, TREE_ROLES, Role


class ScopedUser(Protocol):
    is_superuser: bool
    role: str

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def org_path(self) -> str | None: ...

    @property
    def organisation_id(self) -> int | None: ...


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        bool(getattr(user, "is_superuser", False)) or getattr(user, "role", None) == Role.ADMIN
    )


def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        is_admin(user) or getattr(user, "role", Role.RESIDENT) != Role.RESIDENT
    )


def tree_scope_path(user: Any) -> str | None:
    """The org path prefix the user may see; "" means everything, None means nothing of the tree."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_admin(user):
        return ""
    if user.role in TREE_ROLES:
        return user.org_path or None
    return None


def scope_by_org[M: Model](qs: QuerySet[M], user: Any, path_field: str) -> QuerySet[M]:
    """Filter `qs` to rows whose org path (reached by `path_field`) lies in the user's subtree."""
    prefix = tree_scope_path(user)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    return qs.filter(**{f"{path_field}__startswith": prefix})


def scope_by_org_or_assignment[M: Model](
    qs: QuerySet[M], user: Any, path_field: str, organisation_field: str
) -> QuerySet[M]:
    """Tree roles see their subtree; department handlers see rows assigned to their organisation."""
    if getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.DEPARTMENT_HANDLER:
        if user.organisation_id is None:
            return qs.none()
        return qs.filter(Q(**{organisation_field: user.organisation_id}))
    return scope_by_org(qs, user, path_field)


def get_or_404[M: Model](qs: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from an already scoped queryset; anything outside the scope is simply not found."""
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def may_see_personal_data(user: Any) -> bool:
    return is_admin(user) or getattr(user, "role", None) in PERSONAL_DATA_ROLES
