"""A table of who may act, shared by the apps: each action maps to the staff roles that may take it, inside the
area (org path) it is taken in; administrators may everywhere; the system (None) is not checked.

An app keeps its `ACTION_RULES` and `DENIED` messages and exposes the table's methods as its
`permissions.may/require/actions_for/may_manage_anywhere`, so services, pages and the API read the same table;
a page with the app's sub-navigation hands the table itself to `core.pages.section_page` (`anywhere_for`, or
`offered_in` the areas its forms can name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .errors import PermissionDenied
from .orgpath import path_covers
from .scoping import Viewer, is_admin, is_signed_in, is_staff_member


class ActionTable:
    def __init__(self, rules: Mapping[str, frozenset[str]], denied: Mapping[str, Any]) -> None:
        self.rules = rules
        self.denied = denied

    def may(self, user: Viewer, action: str, path: str) -> bool:
        """Whether a signed-in person may take `action` in the area whose org path is `path`."""
        if not is_signed_in(user) or not is_staff_member(user):
            return False
        if is_admin(user):
            return True
        return user.role in self.rules[action] and path_covers(user.org_path, path)

    def require(self, actor: Viewer, action: str, path: str) -> None:
        """Raise PermissionDenied unless `actor` may take `action` there (the system, None, always may)."""
        if actor is None:
            return
        if not self.may(actor, action, path):
            raise PermissionDenied(self.denied[action])

    def actions_for(self, user: Viewer, path: str) -> set[str]:
        """The actions `user` may take in the area `path` (what a page or the API offers)."""
        return {action for action in self.rules if self.may(user, action, path)}

    def may_manage_anywhere(self, user: Viewer, action: str) -> bool:
        """Whether `user`'s role takes `action` at all (to show a page's "new" buttons)."""
        return is_admin(user) or (
            is_signed_in(user) and is_staff_member(user) and user.role in self.rules[action]
        )

    def anywhere_for(self, user: Viewer) -> dict[str, bool]:
        """For each action, whether `user`'s role takes it at all (a page's `may`, see `core.pages.section_page`)."""
        return {action: self.may_manage_anywhere(user, action) for action in self.rules}

    def offered_in(self, user: Viewer, paths: Iterable[str]) -> dict[str, bool]:
        """For each action, whether `user` may take it in at least one of the areas `paths` (the areas a page's
        forms can name): the rule the services check, so no form is offered that would only be refused."""
        paths = list(paths)
        return {action: any(self.may(user, action, path) for path in paths) for action in self.rules}
