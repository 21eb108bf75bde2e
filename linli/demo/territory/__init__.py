"""The demo district: one realistic street in 北京市朝阳区 around (116.47 E, 39.92 N).

`demo_build()` makes, in one transaction and from one random seed: a street network of named roads (a bent
lattice: arterial roads round the street, secondary and branch roads inside, kept as territory `Road`s, one
stretch per junction-to-junction line); the org tree (district → street → about 5 communities, each a compact
patch of blocks → about 30 compounds, each a block between roads); about 200 grids splitting the blocks along
inner lanes, tiling the street without overlapping; buildings well inside each grid (mostly six-storey slabs)
whose floors × entrances × homes per floor house the residents with one home in ten empty, households at
addresses like 光华西里3号楼2单元502; about 20,000 residents (marked `is_demo`)
with plausible names, an age pyramid, valid ID numbers and mobile numbers, tags and care levels; the party
organisations, about 600 members, member registrations (双报到) with posts and beacon households; 10 departments,
partner units and property companies; and a staff account for every role, all sharing one password.

Small org structures go through the territory and party services (and so through their rules), the staff
accounts through accounts' `staff_create` (one password hash shared); the bulk of the data (buildings,
households, residents) is validated with territory's helpers (`resident_clean`, `resident_build`) and written
with bulk_create for speed. Everything scales with `scale` (`0.05` builds a small district for tests). Later
areas add their own demo parts (see `linli.demo.parts`) that read the result (`DemoDistrict`).

The package: `street` (the plan and its geometry), `people` (made-up residents), `build` (the plan for a scale,
the state the steps share, `demo_build`), and the build steps by noun: `tree`, `organisations`, `housing`, `party`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .build import DEMO_SEED, MAX_SCALE, DemoDistrict, _Plan, demo_build
from .organisations import DEPARTMENTS
from .street import COMMUNITIES, STREET_BOUNDS, plan_street, split_polygon

if TYPE_CHECKING:
    from ..parts import DemoRun

__all__ = [
    "COMMUNITIES",
    "DEMO_SEED",
    "DEPARTMENTS",
    "MAX_SCALE",
    "STREET_BOUNDS",
    "DemoDistrict",
    "_Plan",
    "demo_build",
    "part",
    "plan_street",
    "split_polygon",
]


def part(run: DemoRun) -> None:
    """The demo's territory part: the district, its people and the staff accounts (see `demo_build`)."""
    demo = demo_build(scale=run.scale, seed=run.seed)
    run.district = demo
    run.say(
        _(
            "Demo district loaded in %(seconds).1f s: %(communities)d communities, %(compounds)d compounds, %(grids)d grids, %(buildings)d buildings, %(households)d households, %(residents)d residents, %(party_orgs)d party organisations, %(party_members)d party members, %(member_registrations)d member registrations, %(beacon_households)d beacon households, %(organisations)d departments and other organisations."
        )
        % {**demo.counts, "seconds": demo.seconds}
    )
    if run.verbosity >= 2:
        for step, seconds in demo.step_seconds.items():
            run.say(f"  {step:<32} {seconds:6.2f} s")
