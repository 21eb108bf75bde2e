"""`linli rollups rebuild|refresh|check`: maintain the overview's rollups and check them against the appeals."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.management.commands._help import TranslatedHelpCommand
from linli.dashboard import checks, services


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Rebuild or refresh the overview's rollups, or check them against direct queries over the appeals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh", "check"])
        parser.add_argument(
            "--months", type=int, default=3, help=_("check: months back from today (default 3)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "rebuild":
            n = services.rollups_rebuild()
            self.stdout.write(f"rebuilt facts for {n} appeals")
        elif action == "refresh":
            n = services.rollups_refresh_all()
            self.stdout.write(f"refreshed {n} facts")
        else:
            problems = checks.rollups_check(months=max(1, options["months"]))
            for line in problems:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"{len(problems)} differences between rollups and direct queries")
            self.stdout.write("rollups equal direct queries")
