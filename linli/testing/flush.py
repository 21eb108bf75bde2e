"""Emptying the database after a transactional test (live server, browser, real commits) in a fraction of the time.

Django's TransactionTestCase empties the database after each such test with `flush`: a TRUNCATE of every table on
PostgreSQL (every table's files made anew, ~160 tables with their indexes) or a DELETE from every table on SQLite,
then the post_migrate signal, which writes every content type and permission again. A test writes to a handful of
tables. This flush finds the tables holding rows (one query) and deletes their rows in one transaction (foreign keys
are checked at its end, when nothing refers to anything any more). Content types and permissions are kept when they
are row for row what the last full flush's post_migrate wrote, which is exactly what post_migrate would write again;
when a test changed them, they are emptied and post_migrate runs as in Django's flush. The next test starts from the
same database as after Django's flush: every table empty but those two, which hold what migrations put there.

Tests that ask for more than a flush (reset_sequences, serialized_rollback, available_apps) keep Django's own.
Loaded as a pytest plugin by the root conftest.
"""

from __future__ import annotations

from typing import Any

from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.test import TransactionTestCase

# Written by post_migrate after a flush; kept when unchanged (see the module's docstring).
_MIGRATED = ("django_content_type", "auth_permission")
# The rows of groups of tables kept while unchanged, as last written, by database alias and group.
_reference: dict[tuple[str, tuple[str, ...]], tuple[Any, ...]] = {}
_tables: dict[str, list[str]] = {}

_django_fixture_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]


def _rows(connection: Any, tables: tuple[str, ...]) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        rows = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
            rows.append(tuple(map(tuple, cursor.fetchall())))
    return tuple(rows)


def keep_while_unchanged(tables: tuple[str, ...], alias: str = "default") -> None:
    """Remember the rows of `tables` as they are now: the flushes after the next tests keep them while a test leaves
    them row for row as they are (the shipped defaults the root conftest puts back before each transactional test)."""
    _reference[(alias, tables)] = _rows(connections[alias], tables)


def unchanged(tables: tuple[str, ...], alias: str = "default") -> bool:
    """Whether `tables` hold exactly the rows remembered by `keep_while_unchanged`."""
    key = (alias, tables)
    return key in _reference and _rows(connections[alias], tables) == _reference[key]


def _holding_rows(connection: Any, tables: list[str]) -> list[str]:
    """The tables among `tables` that hold a row (one query per hundred tables)."""
    quote = connection.ops.quote_name
    found: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(tables), 100):
            chunk = tables[start : start + 100]
            sql = " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in chunk
            )
            cursor.execute(sql, chunk)
            found += [row[0] for row in cursor.fetchall()]
    return found


def empty_database(alias: str) -> None:
    """Every table of the database `alias` emptied, but content types and permissions as post_migrate writes them
    and any tables given to `keep_while_unchanged` that are as they were then."""
    connection = connections[alias]
    if alias not in _tables:
        _tables[alias] = sorted(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
    kept: set[str] = set()
    for key in [key for key in _reference if key[0] == alias]:
        if unchanged(key[1], alias):
            kept.update(key[1])
        else:
            del _reference[key]
    full = _holding_rows(connection, [t for t in _tables[alias] if t not in kept])
    quote = connection.ops.quote_name
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in full:
            cursor.execute(f"DELETE FROM {quote(table)}")
    if not kept.issuperset(_MIGRATED):
        emit_post_migrate_signal(0, False, alias)
        keep_while_unchanged(_MIGRATED, alias)


def _fixture_teardown(self: Any) -> None:
    if self.available_apps is not None or self.reset_sequences or self.serialized_rollback:
        _django_fixture_teardown(self)
        return
    for alias in self._databases_names(include_mirrors=False):
        empty_database(alias)


TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]
