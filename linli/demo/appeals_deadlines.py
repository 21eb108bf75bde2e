"""The worker's appeal jobs over what the demo's later parts opened (the sensors' work orders, the demo accounts'
and the patrols' appeals): those parts call appeals' intake at their moment but live no appeal on, so before the
overview counts the figures, each job (appeals/jobs.py) is run on every row it finds due, with the clock moved to
that row's due time, earliest first, as `linli worker` would have run it: a fire-alarm order past its deadline is
marked late (and escalated when the rule says so) at its deadline, a resolved one gets its callback. The appeals
part lives its own appeals to now, so it leaves nothing due here."""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
from functools import reduce
from typing import TYPE_CHECKING

import time_machine
from django.db.models import BooleanField, ExpressionWrapper, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.appeals.jobs import APPEAL_JOBS, PART_JOBS, RowJob
from linli.core.errors import DomainError

if TYPE_CHECKING:
    from .parts import DemoRun

JOBS: dict[str, RowJob] = {**APPEAL_JOBS, **PART_JOBS}
# A job that finds its row again at the same due time (its service refused it) is not run on it twice; an escalation
# sets new clocks, found on the next round. This many steps at most, however the rows chain.
MOST_STEPS = 5000


def _due(now: dt.datetime, tried: set[tuple[str, int, dt.datetime]]) -> list[tuple[dt.datetime, str, Model]]:
    """Every row each job's filter finds due at `now`, with its due time (those not tried at it yet). The jobs over
    the same rows (the appeals; the live parts) are asked together, in one query that marks which of their filters
    each row meets: a row is found by a job exactly when that job's own filter would find it."""
    found = []
    kinds: dict[type[RowJob], list[tuple[str, RowJob]]] = {}
    for name, job in JOBS.items():
        kinds.setdefault(type(job), []).append((name, job))
    for jobs in kinds.values():
        meets = {f"due_{n}": job.due(now) for n, (_name, job) in enumerate(jobs)}
        rows = (
            jobs[0][1]
            .rows()
            .annotate(**{key: ExpressionWrapper(q, output_field=BooleanField()) for key, q in meets.items()})
            .filter(reduce(operator.or_, meets.values()))
        )
        for row in rows:
            for n, (name, job) in enumerate(jobs):
                at = job.at(row) if getattr(row, f"due_{n}") else None
                if at is not None and (name, row.pk, at) not in tried:
                    found.append((at, name, row))
    return found


def appeal_jobs_catch_up() -> int:
    """Run the appeals' jobs on every row due now, each at its due time (a minute after), earliest first; returns
    how many steps were run."""
    now = timezone.now()
    tried: set[tuple[str, int, dt.datetime]] = set()
    last = dt.datetime.min.replace(tzinfo=dt.UTC)
    steps = 0
    while steps < MOST_STEPS:
        due = _due(now, tried)
        if not due:
            break
        at, name, row = min(due, key=lambda d: (d[0], d[1], d[2].pk))
        tried.add((name, row.pk, at))
        last = min(max(at + dt.timedelta(minutes=1), last), now)
        with time_machine.travel(last, tick=False):
            job = JOBS[name]
            if job.finds(row, timezone.now()):
                with contextlib.suppress(DomainError):  # the worker skips the row as well
                    job.act(row)
        steps += 1
    return steps


def part(run: DemoRun) -> None:
    steps = appeal_jobs_catch_up()
    run.say(_("Appeal deadlines: %(n)d due steps run for the later parts' appeals.") % {"n": steps})
