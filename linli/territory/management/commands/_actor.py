"""What the territory import and export commands share: their arguments and the staff account they act as."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from linli.core.roles import Role
from linli.core.scoping import ScopedUser, is_staff_member, tree_scope_path
from linli.territory.imports import KINDS


def add_kind_file_user(parser: Any, user_help: str) -> None:
    """The arguments of both commands: the kind, the file, and the account whose scope is used."""
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("file", type=Path)
    parser.add_argument("--user", default=None, help=user_help)


def command_actor(username: str | None) -> ScopedUser:
    """The named staff account, or the first administrator when none is named."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(_("No active account named %(name)s.") % {"name": username})
    else:
        user = users.filter(Q(is_superuser=True) | Q(role=Role.ADMIN)).order_by("pk").first()
        if user is None:
            raise CommandError(
                _(
                    "No administrator account exists: create one with linli createsuperuser first, or pass --user."
                )
            )
    if not is_staff_member(user) or tree_scope_path(user) is None:
        raise CommandError(
            _("%(name)s is not a staff member with a part of the org tree.") % {"name": user.get_username()}
        )
    return user
