"""`linli restore FILE --yes`: replace the database's content with a backup made by `linli backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.backups import BackupError, database_restore
from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Restore the database from a backup made by `linli backup` (stop the web servers and workers first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the backup to restore"))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("confirm: everything now in the database is replaced"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(_("Restoring replaces everything in the database; add --yes to go ahead."))
        try:
            database_restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Database restored from %(file)s.") % {"file": options["file"]})
