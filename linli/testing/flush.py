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
_KEPT = ("django_content_type", "auth_permission")
# The rows of the kept tables as the last post_migrate left them, by database alias.
_reference: dict[str, tuple[Any, ...]] = {}
_tables: dict[str, list[str]] = {}

_django_fixture_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]


def _kept_rows(connection: Any) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        rows = []
        for table in _KEPT:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
            rows.append(tuple(map(tuple, cursor.fetchall())))
    return tuple(rows)


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
    """Every table of the database `alias` emptied, but content types and permissions as post_migrate writes them."""
    connection = connections[alias]
    if alias not in _tables:
        _tables[alias] = sorted(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
    kept_as_written = alias in _reference and _kept_rows(connection) == _reference[alias]
    tables = [t for t in _tables[alias] if not (kept_as_written and t in _KEPT)]
    full = _holding_rows(connection, tables)
    quote = connection.ops.quote_name
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in full:
            cursor.execute(f"DELETE FROM {quote(table)}")
    if not kept_as_written:
        emit_post_migrate_signal(0, False, alias)
        _reference[alias] = _kept_rows(connection)


def _fixture_teardown(self: Any) -> None:
    if self.available_apps is not None or self.reset_sequences or self.serialized_rollback:
        _django_fixture_teardown(self)
        return
    for alias in self._databases_names(include_mirrors=False):
        empty_database(alias)


TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]
