"""System checks of Linli's own: `linli check` (and every command that runs checks) prints them."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.translation import gettext as _

from .workdays import holidays_missing_message, holidays_missing_year


@register()
def next_year_holidays(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """From November, warn until next year's holidays are known (package or the admin's 工作日历 entries)."""
    year = holidays_missing_year()
    if year is None:
        return []
    return [Warning(holidays_missing_message(year), id="linli.W001")]


@register(Tags.database)
def squash_half_applied(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`migrate` (and `check --database`) refuse a database stopped half-way through a squashed history: Django
    drops a squashed migration with some but not all of its replaced names recorded and then fails obscurely or
    passes over the app without a word (docs/architecture.md, "Migrations")."""
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    problems: list[CheckMessage] = []
    for alias in databases or []:
        applied = set(MigrationRecorder(connections[alias]).applied_migrations())
        if not applied:
            continue
        loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
        for (app, name), migration in sorted(loader.disk_migrations.items()):
            # Replaced migrations still on disk are run by Django itself; those gone cannot be, and Django then
            # drops the squash (also when the squash's own name is recorded).
            missing = [key for key in migration.replaces if key not in applied]
            gone = [key for key in missing if key not in loader.disk_migrations]
            if gone and len(missing) < len(migration.replaces):
                problems.append(
                    Error(
                        _(
                            "The database “%(alias)s” stopped part-way through the %(app)s migrations that "
                            "%(squash)s replaces (not yet run: %(missing)s). Migrate it first with a Linli from "
                            "before that squash (docs/architecture.md, “Migrations”), then upgrade."
                        )
                        % {
                            "alias": alias,
                            "app": app,
                            "squash": name,
                            "missing": ", ".join(n for _label, n in gone),
                        },
                        id="linli.E001",
                    )
                )
    return problems
