"""Reads of the overview: figures for a unit and period, from the rollups (see models.py for the grains).

A period is split into whole calendar years (year rollups, unless the rows are wanted per day or month), whole
months (month rollups) and the days at its edges (day rollups for a district or street; the facts themselves
for a community, compound or grid). Every query is scoped: a unit is looked up among the nodes and grids the
user may see, anything else is not found.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from linli.appeals import figures as appeal_figures
from linli.appeals.figures import (
    HEADLINE_FIGURES,
    HEADLINE_MEASURES,
    MEASURES,
    DepartmentRank,
    add_into,
    empty_sums,
    figures_from,
    headline_figures,
)
from linli.appeals.models import Appeal, Category
from linli.core.errors import NotFound, PermissionDenied
from linli.core.roles import GRID_ROLES
from linli.core.scoping import Viewer, tree_scope_path
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import grids_visible_to, org_nodes_visible_to

from .models import AppealFact, GridRollup, HandlingBucket, Rollup, RollupState, UnitPeriod
from .periods import Period, split_months, whole_years

Key = tuple[Any, ...]


CHILD_LEVEL = {
    "all": "district",
    "district": "street",
    "street": "community",
    "community": "grid",
    "compound": "grid",
}


@dataclass
class Scope:
    level: str  # all | district | street | community | compound | grid
    name: str
    path: str = ""  # org path prefix ("" = everything)
    node: OrgNode | None = None
    grid: Grid | None = None
    crumbs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        if self.grid is not None:
            return f"g{self.grid.pk}"
        if self.node is not None:
            return f"n{self.node.pk}"
        return ""

    @property
    def unit_id(self) -> int:
        if self.grid is not None:
            return self.grid.pk
        return self.node.pk if self.node is not None else 0


# --- Scope ----------------------------------------------------------------------------------------------


def _crumbs(node: OrgNode | None, user: Viewer) -> list[tuple[str, str]]:
    if node is None:
        return []
    ids = node.ancestor_ids()
    visible = {n.pk: n.name for n in org_nodes_visible_to(user).filter(pk__in=ids)}
    return [(f"n{pk}", visible[pk]) for pk in ids if pk in visible]


def _node_scope(node: OrgNode | None, user: Viewer) -> Scope:
    if node is None:
        raise NotFound()
    return Scope(level=str(node.kind), name=node.name, path=node.path, node=node, crumbs=_crumbs(node, user))


def scope_for(user: Viewer, unit: str = "") -> Scope:
    """The unit the user asked for ("n<id>" org node, "g<id>" grid, "" = their own), within what they may see."""
    prefix = tree_scope_path(user)
    if prefix is None:
        raise PermissionDenied(_("The overview shows the figures of an area of the org tree."))
    unit = (unit or "").strip()
    if not unit and getattr(user, "role", None) in GRID_ROLES:
        # A grid worker of one grid opens on that grid, not on the compound or community it lies in.
        own = list(grids_visible_to(user).values_list("pk", flat=True)[:2])
        if len(own) == 1:
            unit = f"g{own[0]}"
    if not unit:
        if prefix == "":
            return Scope(level="all", name=_("All areas"))
        return _node_scope(OrgNode.objects.filter(path=prefix).first(), user)
    if unit[:1] == "n" and unit[1:].isdigit():
        return _node_scope(org_nodes_visible_to(user).filter(pk=int(unit[1:])).first(), user)
    if unit[:1] == "g" and unit[1:].isdigit():
        grid = grids_visible_to(user).filter(pk=int(unit[1:])).first()
        if grid is None:
            raise NotFound()
        crumbs = [*_crumbs(grid.org_node, user), (f"g{grid.pk}", grid.name)]
        return Scope(level="grid", name=grid.name, path=grid.org_node.path, grid=grid, crumbs=crumbs)
    raise NotFound()


def category_for(code: str) -> Category | None:
    """A first-level category by code (drill-down); unknown codes are not found."""
    if not code:
        return None
    cat = Category.objects.filter(code=code, parent__isnull=True).first()
    if cat is None:
        raise NotFound(_("Unknown category."))
    return cat


# --- Sources --------------------------------------------------------------------------------------------


_FACT_NODE = {
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
            qs = qs.filter(**{f"{_FACT_NODE[self.level]}__in": self.ids})
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


def _grouped(
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
        {"node": _FACT_NODE.get(q.level, "grid_id"), "category": "category_root_id", "day": "day"}[b]
        for b in by
    ]
    if whole and "day" not in by:
        years, whole = whole_years(whole)
        if years:
            _grouped(q.rollups("year").filter(start__in=years), rcols, out, measures)
    if whole:
        _grouped(q.rollups("month").filter(start__in=whole), rcols, out, measures)
    for lo, hi in edges:
        if day_rollups:
            _grouped(q.rollups("day").filter(start__gte=lo, start__lte=hi), rcols, out, measures)
        else:
            _grouped(q.facts(lo, hi), fcols, out, measures)
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
                col = _FACT_NODE.get(q.level, "grid_id")
                rows = facts.values(col, "handling_bucket").annotate(t=Sum("handled"))
                add(rows.values_list(col, "handling_bucket", "t").order_by())
            else:
                rows = facts.values("handling_bucket").annotate(t=Sum("handled"))
                add((None, b, t) for b, t in rows.values_list("handling_bucket", "t").order_by())
    return out


def _query(scope: Scope, period: Period, category: int | None) -> Query:
    if scope.level == "all":
        return Query("district", None, period.start, period.end, category)
    if scope.level == "compound":
        return Query("compound", None, period.start, period.end, category, path=scope.path)
    return Query(scope.level, [scope.unit_id], period.start, period.end, category)


# --- The dashboard's figures ----------------------------------------------------------------------------


def figures(scope: Scope, period: Period, *, category: int | None = None) -> dict[str, Any]:
    q = _query(scope, period, category)
    sums = collect(q).get((), empty_sums())
    hist = histograms(q).get((), {}) if category is None else _fact_histogram(scope, period, category)
    return figures_from(sums, hist)


def _fact_histogram(scope: Scope, period: Period, category: int) -> dict[int, int]:
    q = _query(scope, period, category)
    return dict(histograms(q).get((), {}))


def _step_key(day: dt.date, step: str) -> dt.date:
    if step == "month":
        return day.replace(day=1)
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    return day


def trend(
    scope: Scope, period: Period, *, step: str = "day", category: int | None = None
) -> list[dict[str, Any]]:
    """Received, concluded and the three rates per day, week or month of the period."""
    if step not in ("day", "week", "month"):
        step = "day"
    q = _query(scope, period, category)
    return _trend_rows(collect(q, ["day"], months=step == "month"), period, step)


def _trend_rows(rows: dict[Key, dict[str, int]], period: Period, step: str) -> list[dict[str, Any]]:
    buckets: dict[dt.date, dict[str, int]] = {}
    cursor = _step_key(period.start, step)
    while cursor <= period.end:
        buckets[cursor] = empty_sums()
        cursor = (
            (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            if step == "month"
            else cursor + dt.timedelta(days=7 if step == "week" else 1)
        )
    for (day,), sums in rows.items():
        add_into(buckets.setdefault(_step_key(day, step), empty_sums()), sums)
    out = []
    for start in sorted(buckets):
        f = figures_from(buckets[start])
        out.append({"start": start.isoformat(), **{k: f[k] for k in _BRIEF}})
    return out


_BRIEF = [*HEADLINE_FIGURES, "concluded", "avg_handling_days"]


def by_category(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Figures per first-level category, most appeals first."""
    return _category_rows(collect(_query(scope, period, None), ["category"]))


def _category_rows(rows: dict[Key, dict[str, int]]) -> list[dict[str, Any]]:
    cats = {c.pk: c for c in Category.objects.filter(pk__in=[k[0] for k in rows if k[0]])}
    out = []
    for (cat_id,), sums in rows.items():
        c = cats.get(cat_id)
        f = figures_from(sums)
        out.append(
            {"id": cat_id, "code": c.code if c else "", "name": c.name if c else _("Uncategorised"), **f}
        )
    out.sort(key=lambda r: (-r["received"], r["name"]))
    return out


def children(scope: Scope, user: Viewer) -> tuple[str, list[tuple[str, int, str]]]:
    """The units one level down: (level, [(key, id, name)])."""
    level = CHILD_LEVEL.get(scope.level)
    if level is None:
        return "", []
    if level == "grid":
        grids = grids_visible_to(user).filter(org_node__path__startswith=scope.path).order_by("code")
        return "grid", [(f"g{pk}", pk, name) for pk, name in grids.values_list("id", "name")]
    nodes = org_nodes_visible_to(user).filter(kind=level)
    if scope.node is not None:
        nodes = nodes.filter(parent=scope.node)
    return level, [(f"n{pk}", pk, name) for pk, name in nodes.order_by("path").values_list("id", "name")]


def ranked_units(scope: Scope, user: Viewer) -> tuple[str, list[tuple[str, int, str]], list[tuple[str, str]]]:
    """The units the ranking compares: one level down, or, while there is a single unit there (a district of
    one street), the units below it, so the ranking shows how the unit's figures split instead of one bar equal
    to the unit's own. Also the single units passed through, (key, name)."""
    level, units = children(scope, user)
    via: list[tuple[str, str]] = []
    while len(units) == 1 and CHILD_LEVEL.get(level):
        node = org_nodes_visible_to(user).filter(pk=units[0][1]).first()
        if node is None:
            break
        below = children(Scope(level=level, name=node.name, path=node.path, node=node), user)
        if not below[1]:
            break
        via.append((units[0][0], node.name))
        level, units = below
    return level, units, via


def ranking(
    scope: Scope, period: Period, user: Viewer, *, category: int | None = None
) -> list[dict[str, Any]]:
    """The same figures for each unit one level down (or further, see ranked_units), most appeals first."""
    return ranking_through(scope, period, user, category=category)[0]


def ranking_through(
    scope: Scope, period: Period, user: Viewer, *, category: int | None = None
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The ranking and the single units (key, name) it passed through to find more than one unit."""
    level, units, via = ranked_units(scope, user)
    if not units:
        return [], via
    ids = [u[1] for u in units]
    q = Query(level, ids, period.start, period.end, category)
    sums = collect(q, ["node"])
    hists = histograms(q, by_node=True)
    out = []
    for key, pk, name in units:
        f = figures_from(sums.get((pk,), empty_sums()), hists.get((pk,), {}))
        out.append({"key": key, "id": pk, "name": name, "level": level, **f})
    out.sort(key=lambda r: (-r["received"], r["name"]))
    return out, via


def grids_in(scope: Scope, user: Viewer) -> QuerySet[Grid]:
    """The grids of the scope the user may see."""
    grids = grids_visible_to(user)
    if scope.grid is not None:
        return grids.filter(pk=scope.grid.pk)
    if scope.path:
        grids = grids.filter(org_node__path__startswith=scope.path)
    return grids


def grid_map(
    scope: Scope, period: Period, user: Viewer, *, category: int | None = None
) -> dict[int, dict[str, Any]]:
    """Figures per grid in scope, for colouring the map.

    For the whole area, a district, street or community, the grid map's own rollups are read by the unit's
    column (a district's 5,000 grids are one index range), and the days at the edges from the facts by the same
    column. With a category, or for a compound, the grids in scope are summed from the grid rollups or facts."""
    if category is None and scope.level in ("all", "district", "street", "community"):
        return _grid_map_by_unit(scope, period)
    within: dict[str, Any] = {}
    if scope.level in ("district", "street", "community"):
        within = {_FACT_NODE[scope.level]: scope.unit_id}
    elif scope.level == "compound":
        within = {"org_path__startswith": scope.path}
    ids = grids_in(scope, user).order_by().values("id")
    q = Query("grid", ids, period.start, period.end, category, within=within)
    sums = collect(q, ["node"], measures=HEADLINE_MEASURES)
    return {pk: headline_figures(s) for (pk,), s in sums.items()}


def _grid_map_by_unit(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    unit = {} if scope.level == "all" else {_FACT_NODE[scope.level]: scope.unit_id}
    whole, edges = split_months(period.start, period.end)
    years, months = whole_years(whole)
    out: dict[Key, dict[str, int]] = {}
    if years:
        rows = GridRollup.objects.filter(grain="year", start__in=years, **unit)
        _grouped(rows, ["grid_id"], out, HEADLINE_MEASURES)
    if months:
        rows = GridRollup.objects.filter(grain="month", start__in=months, **unit)
        _grouped(rows, ["grid_id"], out, HEADLINE_MEASURES)
    for lo, hi in edges:
        facts = AppealFact.objects.filter(day__gte=lo, day__lte=hi, grid_id__isnull=False, **unit)
        _grouped(facts, ["grid_id"], out, HEADLINE_MEASURES)
    return {pk: headline_figures(s) for (pk,), s in out.items()}


# Figures counted over more than one measure, and the measures whose appeals they count.
MEASURE_GROUPS = {"grassroots": ("tier_grid", "tier_compound")}  # closed in the compound (小事不出小区)


def appeals_behind(
    scope: Scope, period: Period, *, measure: str, category: int | None = None
) -> QuerySet[Appeal]:
    """The appeals counted in one measure of the unit and period (newest first); `measure` is a fact column,
    or a group of them (MEASURE_GROUPS)."""
    columns = MEASURE_GROUPS.get(measure, (measure,))
    if any(c not in MEASURES or c == "handling_seconds" for c in columns):
        raise NotFound()
    counted = Q()
    for column in columns:
        counted |= Q(**{column: 1})
    ids = _unit_facts(scope, period, category).filter(counted).values("appeal_id")
    return (
        Appeal.objects.filter(pk__in=ids)
        .select_related("category__parent", "grid", "unit_node", "unit_org")
        .order_by("-created_at", "-id")
    )


def _unit_facts(scope: Scope, period: Period, category: int | None) -> QuerySet[AppealFact]:
    """The facts of the unit's appeals received in the period (a grid: by its own column)."""
    if scope.level == "grid":
        facts = AppealFact.objects.filter(grid_id=scope.unit_id, day__gte=period.start, day__lte=period.end)
        return facts if category is None else facts.filter(category_root_id=category)
    return _query(scope, period, category).facts(period.start, period.end)


def breached_appeals(
    scope: Scope, period: Period, *, category: int | None = None, limit: int = 50
) -> list[Appeal]:
    """Appeals received in the period that missed their resolution deadline at some point (the "breached"
    measure: still open, or concluded late), most recently breached first."""
    facts = _unit_facts(scope, period, category).filter(breached=1)
    ids = list(facts.order_by("-day", "-appeal_id").values_list("appeal_id", flat=True)[:limit])
    appeals = Appeal.objects.filter(pk__in=ids).select_related("category", "grid", "unit_node", "unit_org")
    return sorted(appeals, key=lambda a: a.breached_at or a.created_at, reverse=True)


def overdue_appeals(
    scope: Scope, period: Period, *, category: int | None = None, limit: int = 50
) -> list[Appeal]:
    """Exactly the appeals of the "overdue" figure (open and past their resolution deadline when the figures
    were last brought up to date), the longest overdue first."""
    facts = _unit_facts(scope, period, category).filter(overdue=1)
    ids = list(facts.order_by("resolve_due_at", "appeal_id").values_list("appeal_id", flat=True)[:limit])
    appeals = Appeal.objects.filter(pk__in=ids).select_related("category", "grid", "unit_node", "unit_org")
    return sorted(appeals, key=lambda a: (a.resolve_due_at or a.created_at, a.pk))


def rollups_as_of() -> dt.datetime | None:
    return RollupState.objects.filter(name="appeals").values_list("overdue_as_of", flat=True).first()


def overview(
    scope: Scope, period: Period, user: Viewer, *, category: int | None = None, step: str = ""
) -> dict[str, Any]:
    """Everything the dashboard page and the API show for one unit and period.

    One grouped query (by day and first-level category) gives the totals, the trend and the category
    breakdown together; the ranking and the medians take one query each."""
    step = step if step in ("day", "week", "month") else ("month" if period.days > 92 else "day")
    q = _query(scope, period, category)
    rows = collect(q, ["day", "category"], months=step == "month")
    total = empty_sums()
    by_day: dict[tuple[Any, ...], dict[str, int]] = {}
    by_cat: dict[tuple[Any, ...], dict[str, int]] = {}
    for (day, cat), sums in rows.items():
        add_into(total, sums)
        add_into(by_day.setdefault((day,), empty_sums()), sums)
        add_into(by_cat.setdefault((cat,), empty_sums()), sums)
    hist = histograms(q).get((), {})
    rows_ranked, via = ranking_through(scope, period, user, category=category)
    return {
        "figures": figures_from(total, hist),
        "measures": total,
        "trend": _trend_rows(by_day, period, step),
        "step": step,
        "categories": _category_rows(by_cat) if category is None else [],
        "ranking": rows_ranked,
        "ranking_via": via,
        "as_of": rollups_as_of(),
    }


# --- Direct computation (the check) ---------------------------------------------------------------------


def department_ranking(scope: Scope, period: Period, *, category: int | None = None) -> list[DepartmentRank]:
    """吹哨报到: the units summoned on the scope's appeals in the period, ranked (appeals.figures defines it)."""
    return appeal_figures.department_ranking(appeals_in(scope, category), start=period.start, end=period.end)


def appeals_in(scope: Scope, category: int | None = None) -> QuerySet[Appeal]:
    qs = Appeal.objects.all()
    if scope.grid is not None:
        qs = qs.filter(grid_id=scope.grid.pk)
    elif scope.path:
        qs = qs.filter(org_path__startswith=scope.path)
    if category is not None:
        qs = qs.filter(Q(category_id=category) | Q(category__parent_id=category))
    return qs
