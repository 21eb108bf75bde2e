"""A tiny registry of background jobs, run by `linli worker`.

An app lists its jobs in `<app>/jobs.py` as `JOBS = {"appeals.breaches": fn}`, which core.appconfig registers.
A job takes no argument, looks objects up and calls services, claims its rows so that any number of workers can run at once,
and returns how many things it did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger("linli.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], int]


_registry: dict[str, Job] = {}


def register(name: str, func: Callable[[], int]) -> None:
    """Register (or replace) a job under a stable name."""
    _registry[name] = Job(name, func)


def registered() -> list[Job]:
    return [_registry[name] for name in sorted(_registry)]


def run_all(only: list[str] | None = None) -> dict[str, int]:
    """Run every registered job once; a failing job is logged and does not stop the others."""
    done: dict[str, int] = {}
    for job in registered():
        if only and job.name not in only:
            continue
        try:
            done[job.name] = int(job.func() or 0)
        except Exception:
            logger.exception("job %s failed", job.name)
            done[job.name] = -1
    return done


def _deliver_outbox() -> int:
    from .outbox import outbox_deliver_due

    return outbox_deliver_due()


register("core.outbox", _deliver_outbox)


def _archive_audit() -> int:
    from .audit import audit_archive

    return audit_archive()


register("core.audit_archive", _archive_audit)


def _prune_kept_files() -> int:
    from .kept_files import kept_files_prune_due

    return kept_files_prune_due()


register("core.kept_files", _prune_kept_files)
