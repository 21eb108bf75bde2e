"""The demo ends with the worker's first round: every registered job once at now (what it leaves in the whole demo
is checked in test_whole_demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.core import jobs
from linli.demo import appeals_deadlines, overview, worker_round
from linli.demo.parts import PARTS, DemoRun


def test_the_round_runs_after_the_appeals_catch_up_and_before_the_overview() -> None:
    order = [part for _title, part in PARTS]
    assert order.index(appeals_deadlines.part) < order.index(worker_round.part) < order.index(overview.part)
    assert order[-2:] == [worker_round.part, overview.part]


def test_what_the_round_leaves_to_the_worker_is_registered() -> None:
    names = {job.name for job in jobs.registered()}
    assert set(worker_round.LEFT_TO_THE_WORKER) <= names
    # The apps' deadline jobs are in the registry the round runs.
    assert {"cobuild.order_deadlines", "deliberation.close_votes", "care.chase", "sensors.escalate"} <= names


def test_every_registered_job_runs_once_at_now_and_a_failure_fails_the_demo(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[tuple[str, dt.datetime]] = []

    def job(name: str, did: int) -> Any:
        def func() -> int:
            ran.append((name, timezone.now()))
            return did

        return func

    registry = {
        name: jobs.Job(name, job(name, did))
        for name, did in (("a.deadlines", 2), ("b.breaches", 0), ("triage.retrain", 1))
    }
    monkeypatch.setattr(jobs, "_registry", registry)
    said: list[str] = []
    before = timezone.now()
    worker_round.part(DemoRun(say=said.append))
    assert [name for name, _at in ran] == ["a.deadlines", "b.breaches"]  # once each; not the retraining
    assert all(at >= before for _name, at in ran)
    assert len(said) == 1 and "2" in said[0]

    def broken() -> int:
        raise RuntimeError("job failed")

    registry["c.broken"] = jobs.Job("c.broken", broken)
    with pytest.raises(RuntimeError):
        worker_round.worker_round()
