"""core's require_migrated: a command on a database that lacks a migration of the code says to run `linli migrate`
(`linli setup` on a new machine is tested in demo/tests/test_commands.py)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from linli.core.management.commands._database import require_migrated


def test_a_migrated_database_passes(db: None) -> None:
    require_migrated("setup")


def test_a_database_one_migration_behind_is_told_to_migrate_first(db: None) -> None:
    """After an upgrade whose new migration has not run yet (rolled back with the test's transaction)."""
    MigrationRecorder(connection).migration_qs.filter(app="sessions").delete()  # its one migration
    with translation.override("zh-hans"), pytest.raises(CommandError) as caught:
        require_migrated("setup")
    assert str(caught.value) == (
        "数据库还没有建好或不是最新的（有 1 个迁移尚未执行）。请先运行 `linli migrate`，再运行 `linli setup`。"
    )
