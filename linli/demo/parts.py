"""The demo's parts, in the order they are built: one module per area of the house, each with a `part`.

A part builds its area of the demo by calling that area's real services (with the clock moved where history is
needed), reads what the earlier parts made from the `DemoRun`, records what later parts need on it, and says a
line for the command to print. A new app adds `linli/demo/<area>.py` (a package `linli/demo/<area>/`, split by
noun, once it outgrows ~600 lines) with a `part(run)` function and appends it to `PARTS` (after the parts whose
results it uses), with the line to say as it starts. The whole run is one transaction: all of the demo or none.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import (
    appeals,
    appeals_deadlines,
    care,
    cobuild,
    deliberation,
    grid_log,
    overview,
    own_appeals,
    places,
    sensors,
    territory,
    volunteers,
    worker_round,
)


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

# The parts in order, each with the line said as it starts (the larger ones take minutes on a busy machine).
PARTS: list[tuple[str, DemoPart]] = [
    (gettext_noop("The district: streets, grids, housing, residents, party and staff"), territory.part),
    (gettext_noop("Venues and the grid workers' visits"), grid_log.part),
    (gettext_noop("Three months of appeals, lived step by step (the longest part)"), appeals.part),
    (gettext_noop("Joint meetings and the residents' hall"), deliberation.part),
    (gettext_noop("Volunteering, branch meetings and branch ratings"), volunteers.part),
    (gettext_noop("The demo accounts' own appeals"), own_appeals.part),
    (gettext_noop("Service places and their walking circles"), places.part),
    (gettext_noop("Fire sensors and their alarms"), sensors.part),
    (gettext_noop("Care for the elderly and children, mediation"), care.part),
    (gettext_noop("Co-building: needs, resources, orders and wishes"), cobuild.part),
    (gettext_noop("The appeals' deadlines over the later parts' work orders"), appeals_deadlines.part),
    (gettext_noop("The worker's first round: every background job once, at now"), worker_round.part),
    (gettext_noop("The overview's figures"), overview.part),
]


def demo_run(run: DemoRun) -> DemoRun:
    """Build every part into an empty database (the territory part refuses a database that has an org tree),
    saying which part starts: `make run` would otherwise be silent for minutes."""
    with transaction.atomic():
        for n, (title, part) in enumerate(PARTS, start=1):
            if run.verbosity >= 1:
                run.say(_("[%(n)d/%(total)d] %(part)s…") % {"n": n, "total": len(PARTS), "part": _(title)})
            started = time.perf_counter()
            part(run)
            run.seconds[part.__module__.rsplit(".", 1)[-1]] = time.perf_counter() - started
    return run
