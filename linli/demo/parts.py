"""The demo's parts, in the order they are built: one module per area of the house, each with a `part`.

A part builds its area of the demo by calling that area's real services (with the clock moved where history is
needed), reads what the earlier parts made from the `DemoRun`, records what later parts need on it, and says a
line for the command to print. A new app adds `linli/demo/<area>.py` (a package `linli/demo/<area>/`, split by
noun, once it outgrows ~600 lines) with a `part(run)` function and appends it to `PARTS` (after the parts whose
results it uses). The whole run is one transaction: all of the demo or none.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from . import appeals, care, cobuild, deliberation, grid_log, places, sensors, territory, volunteers


@dataclass
class DemoRun:
    """The options of one demo run and what its parts made so far."""

    scale: float = 1.0
    seed: int = territory.DEMO_SEED
    appeal_days: int = 90
    verbosity: int = 1
    say: Callable[[str], None] = print
    district: territory.DemoDistrict | None = None  # set by the territory part; every later part needs it
    seconds: dict[str, float] = field(default_factory=dict)  # time taken by each part


DemoPart = Callable[[DemoRun], None]

PARTS: list[DemoPart] = [
    territory.part,
    grid_log.part,
    appeals.part,
    deliberation.part,
    volunteers.part,
    places.part,
    sensors.part,
    care.part,
    cobuild.part,
]


def demo_run(run: DemoRun) -> DemoRun:
    """Build every part into an empty database (the territory part refuses a database that has an org tree)."""
    with transaction.atomic():
        for part in PARTS:
            started = time.perf_counter()
            part(run)
            run.seconds[part.__module__.rsplit(".", 1)[-1]] = time.perf_counter() - started
    return run
