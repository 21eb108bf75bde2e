"""The same figures computed directly from the appeals (linli.appeals.figures), to check the rollups against.

`linli rollups check` runs `rollups_check()` on a live database and prints any difference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from linli.appeals import figures as appeal_figures
from linli.appeals.choices import RESOLVE_OUTCOMES, Outcome
from linli.core.workdays import working_seconds_between
from linli.territory.models import Grid, OrgNode

from .measures import bucket_of, median_from_histogram
from .selectors import Period, Scope, figures, rollups_as_of, today

# Figures defined in both places; the median differs on purpose (see docs/figures.md) and is compared separately.
SHARED = [
    "received",
    "counted",
    "duplicates",
    "withdrawn",
    "open",
    "overdue_open",
    "concluded",
    "fixed",
    "closed_without_fix",
    "rated",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "satisfied_rate",
    "on_time_rate",
    "avg_handling_days",
    "return_rate",
    "rework_rate",
    "closed_at_tier",
]
_CONCLUDED = {str(o) for o in RESOLVE_OUTCOMES}


def direct_figures(
    scope: Scope, period: Period, *, now: dt.datetime, category: int | None = None
) -> dict[str, Any]:
    """appeals.figures over the raw appeals of the unit, plus the median on the 0.1-working-day grid."""
    from .selectors import appeals_in

    qs = appeals_in(scope, category)
    f = appeal_figures.compute(qs, start=period.start, end=period.end, now=now).as_dict()
    f["closed_at_tier"] = {(k or "none"): v for k, v in f["closed_at_tier"].items()}
    lo, hi = appeal_figures.day_bounds(period.start, period.end)
    rows = (
        qs.filter(
            created_at__gte=lo, created_at__lt=hi, resolved_at__isnull=False, outcome__in=list(_CONCLUDED)
        )
        .exclude(outcome__in=[Outcome.DUPLICATE, Outcome.WITHDRAWN])
        .values_list("created_at", "resolved_at")
    )
    hist = Counter(bucket_of(working_seconds_between(a, b)) for a, b in rows if b is not None)
    f["median_handling_days"] = median_from_histogram(hist)
    return f


def differences(scope: Scope, period: Period, *, now: dt.datetime, category: int | None = None) -> list[str]:
    mine = figures(scope, period, category=category)
    theirs = direct_figures(scope, period, now=now, category=category)
    out = []
    for key in [*SHARED, "median_handling_days"]:
        if mine[key] != theirs[key]:
            out.append(f"{scope.name} {period.label()} {key}: rollups={mine[key]!r} direct={theirs[key]!r}")
    return out


def rollups_check(*, months: int = 3, day: dt.date | None = None) -> list[str]:
    """Compare every district, street, community and grid over the last `months` months, the current week and
    the current calendar year (which the year rollups answer)."""
    now = rollups_as_of()
    if now is None:
        return ["The rollups have not been built yet: run `linli rollups rebuild`."]
    day = day or today()
    first = day.replace(day=1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    periods = [
        Period("custom", first, day),
        Period(
            "week",
            day - dt.timedelta(days=day.weekday()),
            day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=6),
        ),
        Period("year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)),
    ]
    scopes = [Scope(level="all", name="*")]
    for node in OrgNode.objects.exclude(kind="compound").order_by("path"):
        scopes.append(Scope(level=str(node.kind), name=node.name, path=node.path, node=node))
    for grid in Grid.objects.select_related("org_node").order_by("code"):
        scopes.append(Scope(level="grid", name=grid.name, path=grid.org_node.path, grid=grid))
    problems: list[str] = []
    for scope in scopes:
        for period in periods:
            problems += differences(scope, period, now=now)
    return problems
