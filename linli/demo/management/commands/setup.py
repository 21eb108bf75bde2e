"""First-run set-up used by `make run`: load the demo district into an empty database and create the admin."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.management.commands._database import require_migrated
from linli.core.management.commands._help import TranslatedHelpCommand
from linli.core.roles import Role
from linli.territory.models import OrgNode


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Load the demo district if the database is empty and create the demo admin (password printed once)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help=_("do not load the demo district"))

    def handle(self, *args: Any, **opts: Any) -> None:
        # `make run` and the README run `linli migrate` before it (once per release, from one machine): say so.
        require_migrated("setup")
        if not opts["no_demo"] and not OrgNode.objects.exists():
            call_command("demo", stdout=self.stdout, verbosity=opts["verbosity"])
        # Shipped categories, deadline rules and the default dispatch catalogue (idempotent).
        call_command("appeals_setup", stdout=self.stdout)
        if not User.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username="admin", password=password, role=Role.ADMIN, display_name="系统管理员"
            )
            bar = "=" * 64
            self.stdout.write(
                f"{bar}\n{_('Demo administrator created. This password is shown only once:')}\n"
                f"  {_('username')}: admin\n  {_('password')}: {password}\n{bar}"
            )
