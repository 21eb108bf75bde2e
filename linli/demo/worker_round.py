"""The worker's first round, at the end of the demo: every background job registered with `core.jobs` (each app's
`jobs.py`) run once at now, as `linli worker` would run it the moment the demo is served. The parts live their
history at its moments, but a deadline that fell due between a part's last moment and now (a co-building order
nobody took in time, a vote past its closing time, a care visit overdue) is recorded only by the job that watches
it; without this round a demo served without the worker would show such a deadline days past with no breach.

Each job runs in its own savepoint and a failing job fails the demo (the worker logs and goes on; the demo is
all or nothing). The classifier's retraining is left to the worker (it trains for minutes and watches no
deadline), and the overview's rollups to the overview part that follows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import jobs

if TYPE_CHECKING:
    from .parts import DemoRun

# Registered jobs the round leaves out, with why.
LEFT_TO_THE_WORKER = {
    "triage.retrain": "trains the classifier for minutes; no deadline",
    "dashboard.rollups": "the overview part, next, counts every figure until nothing waits",
}


def worker_round() -> dict[str, int]:
    """Run every registered job once at now (but those left out): how many things each did."""
    done: dict[str, int] = {}
    for job in jobs.registered():
        if job.name in LEFT_TO_THE_WORKER:
            continue
        with transaction.atomic():
            done[job.name] = int(job.func() or 0)
    return done


def part(run: DemoRun) -> None:
    done = worker_round()
    run.say(
        _("The worker's first round: %(jobs)d background jobs run once at now, %(n)d things done.")
        % {"jobs": len(done), "n": sum(done.values())}
    )
