"""A command that reads or writes the database refuses to start on one that is not migrated: in the active language,
saying what to run, not with a traceback ("no such table: territory_orgnode") from the first query."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import ngettext


def require_migrated(command: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise a CommandError naming `linli migrate` when the database lacks any of the code's migrations (a new one,
    or all of them), so that `linli <command>` is run again after it."""
    executor = MigrationExecutor(connections[using])
    missing = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if missing:
        raise CommandError(
            ngettext(
                "The database is not set up or not up to date (%(count)d migration has not run). "
                "Run `linli migrate` first, then `linli %(command)s` again.",
                "The database is not set up or not up to date (%(count)d migrations have not run). "
                "Run `linli migrate` first, then `linli %(command)s` again.",
                missing,
            )
            % {"count": missing, "command": command}
        )
