"""`linli backup FILE`: a consistent copy of the database while it serves (SQLite backup API, or pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.backups import BackupError, database_backup
from linli.core.management.commands._help import TranslatedHelpCommand


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Back up the database to FILE while the site keeps running (SQLite online backup or pg_dump)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("where to write the backup"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = database_backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup written to %(file)s (%(size)s).")
            % {"file": path, "size": filesizeformat(path.stat().st_size)}
        )
