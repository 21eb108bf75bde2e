"""Per-process copies of rarely changing data, kept fresh by a version counter in the database.

Some reads run on every intake and every deadline computation and must not cost a query: the dispatch catalogue,
the deadline rules, the grid index (locator), the administrator's calendar days, the classifier in use. Each is a
`Snapshot`: a value built once per process by a function and kept until the data it was built from changes.

How a change is noticed, in every process and on every machine:

- Each kind of data has a name (`"catalogue"`, `"grids"` …) and a row in `SnapshotVersion` holding an integer.
  The service that changes the data calls `bump(name)` inside its own transaction, so the new version commits
  exactly when the change does (never from a signal: a bulk update or a raw write would slip past one).
- A snapshot remembers the versions it was built at. Before it hands out its value it compares them with the
  stored versions, and rebuilds when they differ.
- The stored versions (all of them, one query on a table of a handful of rows) are read at most once every
  `LINLI_SNAPSHOT_RECHECK_SECONDS` (5 s by default) per process, and at once after this process bumped one.

Why a time interval rather than once per request: these values are read by the worker, management commands and
the demo builder as much as by pages, and on the hot path (locating a point, counting working days) even one
query per call would dominate. A bound of a few seconds for another process to see an administrator's change of
configuration is what the old per-cache rules already allowed (10–60 s); the process that makes the change
sees it at once.

A value built inside a transaction that has bumped its version (and not yet committed) is used only inside that
transaction: if the transaction rolls back, the copy is dropped, so a version number reused by a later change
can never hand out data that was never committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import SnapshotVersion

DEFAULT_RECHECK_SECONDS = 5.0

Versions = dict[str, int]


def _recheck_seconds() -> float:
    return float(getattr(settings, "LINLI_SNAPSHOT_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))


class _VersionRead:
    """The stored versions as this process last read them, and when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.versions: Versions = {}
        self.read_at: float | None = None
        # Set when read inside a transaction that bumped a version: it may hold uncommitted versions, so it is
        # trusted only inside that transaction.
        self.pending: _Pending | None = None

    def forget(self) -> None:
        with self.lock:
            self.read_at = None

    def current(self) -> Versions:
        read_at, pending = self.read_at, self.pending
        if (
            read_at is not None
            and time.monotonic() - read_at < _recheck_seconds()
            and (pending is None or pending is _current_pending())
        ):
            return self.versions
        try:
            versions = dict(SnapshotVersion.objects.values_list("name", "version"))
        except DatabaseError:  # no table yet (before migrate): nothing has changed
            versions = {}
        with self.lock:
            self.versions = versions
            self.read_at = time.monotonic()
            self.pending = _current_pending()
        return versions


_read = _VersionRead()


class _Pending:
    """Marks a transaction that bumped a version: registered with on_commit, so it is in the connection's list of
    commit callbacks exactly while that transaction (or savepoint) is open and has not rolled back."""

    def __call__(self) -> None:
        _read.forget()

    def open(self) -> bool:
        return any(item[1] is self for item in connection.run_on_commit)


_pending = threading.local()


def _current_pending() -> _Pending | None:
    found: _Pending | None = getattr(_pending, "marker", None)
    if found is not None and not found.open():
        found = None
        _pending.marker = None
    return found


def bump(*names: str) -> None:
    """Record that the data behind these snapshots changed. Call it in the transaction that changes the data."""
    now = timezone.now()
    for name in names:
        updated = SnapshotVersion.objects.filter(name=name).update(version=F("version") + 1, changed_at=now)
        if not updated:
            try:
                with transaction.atomic():
                    SnapshotVersion.objects.create(name=name, version=1, changed_at=now)
            except IntegrityError:  # another process created the row meanwhile
                SnapshotVersion.objects.filter(name=name).update(version=F("version") + 1, changed_at=now)
    _read.forget()
    if connection.in_atomic_block and _current_pending() is None:
        marker = _Pending()
        _pending.marker = marker
        transaction.on_commit(marker)


@dataclass(frozen=True)
class _Copy[T]:
    key: tuple[int, ...]
    value: T
    # Set when built inside a transaction that bumped a version: valid only while that transaction is open.
    pending: _Pending | None


_registry: list[Snapshot[Any]] = []


class Snapshot[T]:
    """A value built by `build()` once per process and rebuilt when any of the named versions changes."""

    def __init__(self, name: str, build: Callable[[], T], *, depends_on: Iterable[str] = ()) -> None:
        self.names = (name, *depends_on)
        self.build = build
        self._lock = threading.Lock()
        self._copy: _Copy[T] | None = None
        _registry.append(self)

    def _key(self) -> tuple[int, ...]:
        versions = _read.current()
        return tuple(versions.get(n, 0) for n in self.names)

    def _usable(self, copy: _Copy[T] | None, key: tuple[int, ...]) -> bool:
        if copy is None or copy.key != key:
            return False
        return copy.pending is None or copy.pending is _current_pending()

    def get(self) -> T:
        """The value, rebuilt first if the data changed since it was built."""
        key = self._key()
        copy = self._copy
        if self._usable(copy, key):
            return copy.value  # type: ignore[union-attr]
        with self._lock:
            copy = self._copy
            if self._usable(copy, key):  # another thread rebuilt it while this one waited
                return copy.value  # type: ignore[union-attr]
            value = self.build()
            self._copy = _Copy(key, value, _current_pending())
            return value

    def forget(self) -> None:
        """Drop this process's copy (as a new process would start)."""
        with self._lock:
            self._copy = None


def snapshots_forget() -> None:
    """Drop every copy and the version read in this process: what a freshly started process would see."""
    for snapshot in _registry:
        snapshot.forget()
    _read.forget()
    _pending.marker = None
