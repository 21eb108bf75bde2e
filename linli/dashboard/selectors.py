"""Reads of the overview: figures for a unit and period, from the rollups (see models.py for the grains).

A period is split into whole calendar years (year rollups, unless the rows are wanted per day or month), whole
months (month rollups) and the days at its edges (day rollups for a district or street; the facts themselves
for a community, compound or grid). Every query is scoped: a unit is looked up among the nodes and grids the
user may see, anything else is not found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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

from .models import AppealFact, GridRollup, RollupState
from .periods import Period, split_months, whole_years
from .sources import FACT_NODE, Key, Query, collect, grouped, histograms

CHILD_LEVEL = {
    "all": "district",
    "district": "street",
    "street": "community",
    "community": "compound",
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


class Unit(NamedTuple):
    """A unit the ranking compares: its key ("n<id>" or "g<id>"), id, name, level, and org path (a node's)."""

    key: str
    id: int
    name: str
    level: str
    path: str = ""


def children(scope: Scope, user: Viewer) -> tuple[str, list[Unit]]:
    """The units one level down: (level, units). A community's are its compounds and then the grids it holds
    outside any compound (the level is "compound" while it has compounds; each unit says its own level)."""
    level = CHILD_LEVEL.get(scope.level)
    if level is None:
        return "", []
    if level == "grid":
        grids = grids_visible_to(user).filter(org_node__path__startswith=scope.path).order_by("code")
        return "grid", [Unit(f"g{pk}", pk, name, "grid") for pk, name in grids.values_list("id", "name")]
    nodes = org_nodes_visible_to(user).filter(kind=level)
    if scope.node is not None:
        nodes = nodes.filter(parent=scope.node)
    rows = nodes.order_by("path").values_list("id", "name", "path")
    units = [Unit(f"n{pk}", pk, name, level, path) for pk, name, path in rows]
    if scope.level == "community":
        loose = grids_visible_to(user).filter(org_node=scope.node).order_by("code").values_list("id", "name")
        units += [Unit(f"g{pk}", pk, name, "grid") for pk, name in loose]
        if units and all(u.level == "grid" for u in units):
            level = "grid"
    return level, units


# The single units the ranking passes through to find more than one: the administrative tiers. A compound is never
# passed through: a community of one compound ranks that compound (小事不出小区 is read there), and the drill goes
# community → compound → grids, the compound's name in the crumbs, as it does in a community of several.
PASSED_THROUGH = ("district", "street", "community")


def ranked_units(scope: Scope, user: Viewer) -> tuple[Scope, list[Unit], list[tuple[str, str]]]:
    """The units the ranking compares and the unit they lie in: one level down, or, while there is a single
    district, street or community there (a district of one street), the units below it, so the ranking shows how
    the unit's figures split instead of one bar equal to the unit's own. Also the single units passed through,
    (key, name)."""
    _level, units = children(scope, user)
    via: list[tuple[str, str]] = []
    while len(units) == 1 and units[0].level in PASSED_THROUGH:
        node = org_nodes_visible_to(user).filter(pk=units[0].id).first()
        if node is None:
            break
        inner = Scope(level=str(node.kind), name=node.name, path=node.path, node=node)
        _level, below = children(inner, user)
        if not below:
            break
        via.append((units[0].key, node.name))
        scope, units = inner, below
    return scope, units, via


def ranking(
    scope: Scope, period: Period, user: Viewer, *, category: int | None = None
) -> list[dict[str, Any]]:
    """The same figures for each unit one level down (or further, see ranked_units), most appeals first."""
    return ranking_through(scope, period, user, category=category)[0]


# The order of a community's rows: its compounds, then its grids outside them, then its appeals in neither.
_ROW_ORDER = {"compound": 0, "grid": 1, "": 2}


def ranking_through(
    scope: Scope, period: Period, user: Viewer, *, category: int | None = None
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The ranking and the single units (key, name) it passed through to find more than one unit.

    A community's or compound's rows are summed from its facts, each appeal counted in exactly one row (its
    compound, else its grid, else a row of the appeals in neither), so the rows add up to the unit's figures."""
    parent, units, via = ranked_units(scope, user)
    if not units:
        return [], via
    if parent.level in ("community", "compound"):
        sums, hists = _parts_summed(parent, period, category)
    else:
        level = units[0].level
        prefix = "g" if level == "grid" else "n"
        q = Query(level, [u.id for u in units], period.start, period.end, category)
        sums = {f"{prefix}{pk}": s for (pk,), s in collect(q, ["node"]).items()}
        hists = {f"{prefix}{pk}": h for (pk,), h in histograms(q, by_node=True).items()}
    out = []
    for unit in units:
        f = figures_from(sums.get(unit.key, empty_sums()), hists.get(unit.key, {}))
        out.append({"key": unit.key, "id": unit.id, "name": unit.name, "level": unit.level, **f})
    if sums.get(""):
        f = figures_from(sums[""], hists.get("", {}))
        out.append({"key": "", "id": 0, "name": _("Appeals in no compound or grid"), "level": "", **f})
    out.sort(key=lambda r: (_ROW_ORDER.get(r["level"], 0), -r["received"], r["name"]))
    return out, via


def _parts_summed(
    parent: Scope, period: Period, category: int | None
) -> tuple[dict[str, dict[str, int]], dict[str, dict[int, int]]]:
    """The measures and handling-time histograms of a community's or compound's appeals by the unit one level
    down each lies in (key "n<compound>" or "g<grid>"; "" for an appeal in no compound and no grid)."""
    compounds: list[tuple[str, str]] = []
    if parent.level == "community":
        nodes = OrgNode.objects.filter(kind="compound", path__startswith=parent.path)
        compounds = [(path, f"n{pk}") for pk, path in nodes.values_list("id", "path")]
    grids: dict[int, str] = {}
    for pk, node_path in Grid.objects.filter(org_node__path__startswith=parent.path).values_list(
        "id", "org_node__path"
    ):
        grids[pk] = next((key for path, key in compounds if node_path.startswith(path)), f"g{pk}")

    def owner(org_path: str, grid_id: int | None) -> str:
        inside = next((key for path, key in compounds if org_path.startswith(path)), "")
        return inside or (grids.get(grid_id, "") if grid_id is not None else "")

    facts = _query(parent, period, category).facts(period.start, period.end)
    by_place: dict[Key, dict[str, int]] = {}
    grouped(facts, ["org_path", "grid_id"], by_place)
    sums: dict[str, dict[str, int]] = {}
    for (org_path, grid_id), s in by_place.items():
        add_into(sums.setdefault(owner(org_path, grid_id), empty_sums()), s)
    hists: dict[str, dict[int, int]] = {}
    timed = facts.filter(handling_bucket__isnull=False).values("org_path", "grid_id", "handling_bucket")
    for org_path, grid_id, bucket, n in (
        timed.annotate(n=Sum("handled")).values_list("org_path", "grid_id", "handling_bucket", "n").order_by()
    ):
        hist = hists.setdefault(owner(org_path, grid_id), {})
        hist[int(bucket or 0)] = hist.get(int(bucket or 0), 0) + int(n or 0)
    return sums, hists


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
        within = {FACT_NODE[scope.level]: scope.unit_id}
    elif scope.level == "compound":
        within = {"org_path__startswith": scope.path}
    ids = grids_in(scope, user).order_by().values("id")
    q = Query("grid", ids, period.start, period.end, category, within=within)
    sums = collect(q, ["node"], measures=HEADLINE_MEASURES)
    return {pk: headline_figures(s) for (pk,), s in sums.items()}


def _grid_map_by_unit(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    unit = {} if scope.level == "all" else {FACT_NODE[scope.level]: scope.unit_id}
    whole, edges = split_months(period.start, period.end)
    years, months = whole_years(whole)
    out: dict[Key, dict[str, int]] = {}
    if years:
        rows = GridRollup.objects.filter(grain="year", start__in=years, **unit)
        grouped(rows, ["grid_id"], out, HEADLINE_MEASURES)
    if months:
        rows = GridRollup.objects.filter(grain="month", start__in=months, **unit)
        grouped(rows, ["grid_id"], out, HEADLINE_MEASURES)
    for lo, hi in edges:
        facts = AppealFact.objects.filter(day__gte=lo, day__lte=hi, grid_id__isnull=False, **unit)
        grouped(facts, ["grid_id"], out, HEADLINE_MEASURES)
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
