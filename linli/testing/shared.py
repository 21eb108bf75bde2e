"""Data built once for the tests of a module that all read the same costly set-up (a demo district), each test still
starting from exactly what was built.

`shared_build(django_db_blocker, build)` builds inside a transaction that stays open around the module's tests:
each test's own transaction (pytest-django's `db`) is then a savepoint inside it, rolled back after the test as
usual, so whatever a test writes is gone before the next one; the built data is rolled back after the last test.
A test in that module that uses the database without asking for the shared data, or that needs real commits
(transactional_db, live_server), would see or flush it: `refuse_unasked(request, name)` fails such a test.
`name` is the name of the module-scoped fixture that calls `shared_build` (a test asks for the data by asking for
that fixture, directly or through another fixture): under any other name every test but the first is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from linli.core.snapshots import snapshots_forget

_active: set[str] = set()  # the fixtures whose shared data is in the database now


def shared_build[T](django_db_blocker: Any, build: Callable[[], T], name: str) -> Iterator[T]:
    """Build with `build()` in a transaction left open until the generator is closed, then rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        snapshots_forget()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        finally:
            snapshots_forget()
    _active.add(name)
    try:
        yield built
    finally:
        _active.discard(name)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            snapshots_forget()


def refuse_unasked(request: pytest.FixtureRequest, name: str) -> None:
    """Fail a test that would see the shared data `name` without asking for it, or flush it."""
    uses = set(request.fixturenames)
    if name not in _active or name in uses:
        if name in uses and uses & {"transactional_db", "live_server"}:
            pytest.fail(f"{name} is rolled back after its module: a test using it cannot commit")
        return
    if uses & {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
    } or request.node.get_closest_marker("django_db"):
        pytest.fail(f"the data of {name} is in the database: ask for it, or move this test to another module")
