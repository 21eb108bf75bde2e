"""The demo runs the appeals' jobs on the work orders its later parts opened before the overview counts them (what
they did to the whole demo is checked in test_whole_demo)."""

from __future__ import annotations

from linli.demo import appeals_deadlines, overview, sensors
from linli.demo.parts import PARTS


def test_the_deadline_jobs_run_after_the_sensors_and_before_the_overview() -> None:
    order = [part for _title, part in PARTS]
    assert order.index(sensors.part) < order.index(appeals_deadlines.part) < order.index(overview.part)
