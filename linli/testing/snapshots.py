"""Simulating a second process for the per-process snapshots (linli.core.snapshots)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from linli.core import snapshots


@contextmanager
def in_another_process() -> Iterator[None]:
    """Run the block as another process would: whatever it builds, reads or bumps leaves this process's copies,
    its last read of the versions and its note of a pending bump exactly as they were."""
    copies = [(s, s._copy) for s in snapshots._registry]
    read = snapshots._read
    versions, read_at, read_pending = read.versions, read.read_at, read.pending
    marker = getattr(snapshots._pending, "marker", None)
    snapshots.snapshots_forget()
    try:
        yield
    finally:
        for snapshot, copy in copies:
            snapshot._copy = copy
        read.versions, read.read_at, read.pending = versions, read_at, read_pending
        snapshots._pending.marker = marker
