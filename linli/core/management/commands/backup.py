"""`linli backup FILE`: a consistent copy of the database while it serves (SQLite backup API, or pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linli.core.backups import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the database to FILE while the site keeps running (SQLite online backup or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = database_backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written to {path} ({path.stat().st_size} bytes)")
