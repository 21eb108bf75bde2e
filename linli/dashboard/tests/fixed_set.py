"""A small fixed set of appeals whose figures are worked out by hand in test_figures.py (September 2026)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from linli.appeals.models import Appeal, Category
from linli.testing import Cast

from .factories import make_appeal, rate


def t(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 9, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def build(cast: Cast) -> dict[str, Appeal]:
    cast.compound.refresh_from_db()
    cast.other_community.refresh_from_db()
    env = Category.objects.get(code="environment.noise")
    prop = Category.objects.get(code="property_management.property_service")
    # Six appeals in the cast's compound (A…), two in the other community (B…).
    ours = partial(make_appeal, grid=cast.grid, org_path=cast.compound.path)
    theirs = partial(make_appeal, grid=cast.other_grid, org_path=cast.other_community.path)
    a: dict[str, Appeal] = {}
    a["A1"] = ours(
        created=t(1, 10),
        category=prop,
        state="rated",
        outcome="fixed",
        dispatched_at=t(1, 10, 30),
        ack_due_at=t(1, 12),
        acknowledged_at=t(1, 11),
        resolved_at=t(2, 10),
        resolve_due_at=t(3, 10),
        resolved_on_time=True,
        resolved_tier="grid",
    )
    rate(a["A1"], "satisfied", t(2, 12))
    a["A2"] = ours(
        created=t(2, 9),
        category=prop,
        state="rated",
        outcome="fixed",
        dispatched_at=t(2, 9, 10),
        ack_due_at=t(2, 10),
        acknowledged_at=t(2, 11),
        resolved_at=t(4, 9),
        resolve_due_at=t(3, 9),
        resolved_on_time=False,
        resolved_tier="community",
        rework_count=1,
        return_count=1,
        contact_name="王小明",
        contact_phone="13900001111",
        address="和平路1号院1号楼2单元302",
    )
    rate(a["A2"], "satisfied", t(3, 12))
    rate(a["A2"], "unsatisfied", t(4, 12), round_=2)  # the latest rating counts
    a["A3"] = ours(
        created=t(3, 10),
        category=env,
        state="rated",
        outcome="answered",
        kind="consultation",
        resolved_at=t(3, 14, 30),
        resolved_on_time=True,
        resolved_tier="grid",
    )
    rate(a["A3"], "basically", t(3, 16))
    a["A4"] = ours(
        created=t(7, 10),
        category=env,
        state="dispatched",
        dispatched_at=t(7, 10, 5),
        ack_due_at=t(7, 12),
        resolve_due_at=t(8, 10),
        breached_at=t(8, 10),
    )
    a["A5"] = ours(
        created=t(8, 10),
        category=prop,
        state="resolved",
        outcome="no_further_action",
        dispatched_at=t(8, 10, 5),
        acknowledged_at=t(8, 10, 10),
        resolved_at=t(11, 10),
        resolve_due_at=t(10, 10),
        resolved_on_time=False,
        resolved_tier="street",
    )
    a["A6"] = ours(created=t(9, 10), category=prop, state="closed", outcome="duplicate")
    a["B1"] = theirs(
        created=t(10, 10),
        category=env,
        state="rated",
        outcome="fixed",
        dispatched_at=t(10, 10, 5),
        ack_due_at=t(10, 12),
        acknowledged_at=t(10, 11),
        resolved_at=t(10, 16),
        resolve_due_at=t(11, 10),
        resolved_on_time=True,
        resolved_tier="grid",
    )
    rate(a["B1"], "satisfied", t(10, 18))
    a["B2"] = theirs(created=t(11, 10), category=env, state="closed", outcome="withdrawn")
    return a
