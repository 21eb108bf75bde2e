"""The demo runs the appeals' jobs on the work orders its later parts opened before the overview counts them: a
fire-alarm order past its deadline is marked late at its deadline, as the worker would have marked it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.appeals.jobs import APPEAL_JOBS, PART_JOBS
from linli.appeals.models import Appeal
from linli.demo import appeals_deadlines, grid_log, overview, sensors
from linli.demo.parts import PARTS, DemoRun

pytestmark = pytest.mark.django_db


def test_the_deadline_jobs_run_after_the_sensors_and_before_the_overview() -> None:
    order = [part for _title, part in PARTS]
    assert order.index(sensors.part) < order.index(appeals_deadlines.part) < order.index(overview.part)


def test_sensor_orders_past_their_deadline_are_marked_late_at_it(run: DemoRun) -> None:
    grid_log.part(run)
    sensors.part(run)
    appeals_deadlines.part(run)
    now = timezone.now()
    for name, job in {**APPEAL_JOBS, **PART_JOBS}.items():
        assert not job.rows().filter(job.due(now)).exists(), name  # type: ignore[attr-defined]
    late = Appeal.objects.filter(channel="sensor", breached_at__isnull=False)
    assert late.exists()
    for a in late:  # marked at its deadline, not now
        assert a.breached_at is not None and a.resolve_due_at is not None
        assert dt.timedelta(0) <= a.breached_at - a.resolve_due_at < dt.timedelta(hours=1)
