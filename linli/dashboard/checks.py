"""The figures computed straight from the appeals (linli.appeals.figures over the live rows), to check the
stored rollups against.

`linli rollups check` runs `rollups_check()` on a live database and prints any difference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from linli.appeals import figures as appeal_figures
from linli.territory.models import Grid, OrgNode

from .periods import Period, today
from .selectors import Scope, appeals_in, figures, rollups_as_of


def direct_figures(
    scope: Scope, period: Period, *, now: dt.datetime, category: int | None = None
) -> dict[str, Any]:
    """The unit's figures summed straight from its appeals, with the median on the rollups' 0.1-day grid."""
    sums, seconds = appeal_figures.sums_over(
        appeals_in(scope, category), start=period.start, end=period.end, now=now
    )
    hist: Counter[int] = Counter()
    for value, count in seconds.items():
        hist[appeal_figures.bucket_of(value)] += count
    return appeal_figures.figures_from(sums, hist)


def differences(scope: Scope, period: Period, *, now: dt.datetime, category: int | None = None) -> list[str]:
    mine = figures(scope, period, category=category)
    theirs = direct_figures(scope, period, now=now, category=category)
    out = []
    for key in theirs:
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
