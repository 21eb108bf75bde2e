"""Where the overview's sums come from: the rollups (year, month and day rows per unit) and the facts, for the
units of one level, a period and an optional category (see models.py for the grains). selectors.py reads through
these for a scope the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Sum

from linli.appeals.figures import MEASURES

from .models import AppealFact, HandlingBucket, Rollup, UnitPeriod
from .periods import split_months, whole_years

Key = tuple[Any, ...]


FACT_NODE = {
    "district": "district_id",
    "street": "street_id",
    "community": "community_id",
    "grid": "grid_id",
}


@dataclass
class Query:
    """What to sum: units at one level (ids None = every unit of that level), a period, an optional category."""

    level: str
    ids: list[int] | QuerySet[Any] | None  # a list, or a subquery of ids (a district's 5,000 grids)
    start: dt.date
    end: dt.date
    category: int | None = None
    path: str = ""  # for a compound: facts under this path
    within: dict[str, Any] = field(default_factory=dict)  # facts: the enclosing unit, so its index is used

    def facts(self, lo: dt.date, hi: dt.date) -> QuerySet[AppealFact]:
        qs = AppealFact.objects.filter(day__gte=lo, day__lte=hi, **self.within)
        if self.level == "compound":
            qs = qs.filter(org_path__startswith=self.path)
        elif self.ids is not None:
            qs = qs.filter(**{f"{FACT_NODE[self.level]}__in": self.ids})
        if self.category is not None:
            qs = qs.filter(category_root_id=self.category)
        return qs

    def _units[M: UnitPeriod](self, qs: QuerySet[M], grain: str) -> QuerySet[M]:
        qs = qs.filter(grain=grain, level=self.level)
        return qs if self.ids is None else qs.filter(node_id__in=self.ids)

    def rollups(self, grain: str) -> QuerySet[Rollup]:
        qs = self._units(Rollup.objects.all(), grain)
        return qs if self.category is None else qs.filter(category_root_id=self.category)

    def buckets(self, grain: str) -> QuerySet[HandlingBucket]:
        return self._units(HandlingBucket.objects.all(), grain)


def grouped(
    qs: QuerySet[Any],
    cols: list[str],
    out: dict[Key, dict[str, int]],
    measures: list[str] = MEASURES,
) -> None:
    """Add the sums of `measures` per value of `cols` into `out` (rows read as tuples: a district's map is
    5,000 rows)."""
    sums = {m: Sum(m) for m in measures}
    if not cols:
        total = qs.aggregate(**sums)
        if total["received"]:
            into = out.setdefault((), dict.fromkeys(measures, 0))
            for m in measures:
                into[m] += int(total[m] or 0)
        return
    n = len(cols)
    grouped = qs.values(*cols).annotate(**sums).values_list(*cols, *measures).order_by()
    rows: Iterable[tuple[Any, ...]]
    if any(c in ("day", "start") for c in cols):
        rows = grouped  # dates need the ORM's conversion (SQLite returns text)
    else:
        # Integer ids and sums only: read the cursor directly, without a converter call per row.
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
    for row in rows:
        key = row[:n]
        target = out.get(key)
        if target is None:
            out[key] = dict(zip(measures, [int(v or 0) for v in row[n:]], strict=True))
        else:
            for m, v in zip(measures, row[n:], strict=True):
                target[m] += int(v or 0)


def collect(
    q: Query, by: Iterable[str] = (), *, months: bool = True, measures: list[str] = MEASURES
) -> dict[Key, dict[str, int]]:
    """Summed measures grouped by any of "node", "category", "day" (a month row's day is its first day)."""
    by = list(by)
    whole, edges = split_months(q.start, q.end)
    day_rollups = q.level in ("district", "street")
    grid_cat = q.level == "grid" and (q.category is not None or "category" in by)
    if not months or q.level == "compound" or grid_cat:
        whole, edges = [], [(q.start, q.end)]
    out: dict[Key, dict[str, int]] = {}
    rcols = [{"node": "node_id", "category": "category_root_id", "day": "start"}[b] for b in by]
    fcols = [
        {"node": FACT_NODE.get(q.level, "grid_id"), "category": "category_root_id", "day": "day"}[b]
        for b in by
    ]
    if whole and "day" not in by:
        years, whole = whole_years(whole)
        if years:
            grouped(q.rollups("year").filter(start__in=years), rcols, out, measures)
    if whole:
        grouped(q.rollups("month").filter(start__in=whole), rcols, out, measures)
    for lo, hi in edges:
        if day_rollups:
            grouped(q.rollups("day").filter(start__gte=lo, start__lte=hi), rcols, out, measures)
        else:
            grouped(q.facts(lo, hi), fcols, out, measures)
    return out


def histograms(q: Query, by_node: bool = False) -> dict[Key, dict[int, int]]:
    """Handling-time histograms (0.1 working day buckets), overall or per unit. Not kept per category."""
    whole, edges = split_months(q.start, q.end)
    if q.level == "compound" or q.category is not None:
        whole, edges = [], [(q.start, q.end)]
    out: dict[Key, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def add(rows: Iterable[tuple[Any, ...]]) -> None:
        for node, bucket, n in rows:
            out[(node,) if by_node else ()][int(bucket)] += int(n or 0)

    def from_buckets(qs: QuerySet[HandlingBucket]) -> None:
        if by_node:
            add(
                qs.values("node_id", "bucket")
                .annotate(t=Sum("n"))
                .values_list("node_id", "bucket", "t")
                .order_by()
            )
        else:
            add(
                (None, b, t)
                for b, t in qs.values("bucket").annotate(t=Sum("n")).values_list("bucket", "t").order_by()
            )

    years, whole = whole_years(whole)
    if years:
        from_buckets(q.buckets("year").filter(start__in=years))
    if whole:
        from_buckets(q.buckets("month").filter(start__in=whole))
    for lo, hi in edges:
        if q.level in ("district", "street") and q.category is None:
            from_buckets(q.buckets("day").filter(start__gte=lo, start__lte=hi))
        else:
            facts = q.facts(lo, hi).filter(handling_bucket__isnull=False)
            if by_node:
                col = FACT_NODE.get(q.level, "grid_id")
                rows = facts.values(col, "handling_bucket").annotate(t=Sum("handled"))
                add(rows.values_list(col, "handling_bucket", "t").order_by())
            else:
                rows = facts.values("handling_bucket").annotate(t=Sum("handled"))
                add((None, b, t) for b, t in rows.values_list("handling_bucket", "t").order_by())
    return out
