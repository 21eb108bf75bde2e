"""Routing: the category taxonomy, the versioned dispatch catalogue, and finding the unit at a tier.

Tier rule (小事不出小区、大事不出社区、难事不出街道): an appeal starts at the lowest tier the catalogue allows
and moves up only by escalation: grid → compound → community → street → district (departments sit with the
district and are reached by dispatch from the district or by a whistle).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from linli.core.snapshots import Snapshot
from linli.territory.locator import GRIDS, ORG_TREE
from linli.territory.models import Grid, Organisation, OrgNode

from .choices import TIER_LEVEL, Tier
from .models import CatalogueEntry, CatalogueVersion, Category

# Starting tier per first-level category in the shipped catalogue.
DEFAULT_TIERS: dict[str, str] = {
    "property_management": Tier.GRID,
    "environment": Tier.GRID,
    "public_safety": Tier.GRID,
    "urban_construction": Tier.COMMUNITY,
    "civil_affairs": Tier.COMMUNITY,
    "other": Tier.COMMUNITY,
    "utilities": Tier.STREET,
    "transport": Tier.STREET,
    "education": Tier.STREET,
    "labour_social": Tier.STREET,
    "commerce_tourism": Tier.STREET,
    "health": Tier.STREET,
    "market_regulation": Tier.STREET,
}

NODE_TIERS = {
    "compound": Tier.COMPOUND,
    "community": Tier.COMMUNITY,
    "street": Tier.STREET,
    "district": Tier.DISTRICT,
}


def active_catalogue() -> CatalogueVersion | None:
    return _catalogue().version


@dataclass
class Route:
    tier: str
    unit_node: OrgNode | None
    unit_org: Organisation | None
    version: CatalogueVersion | None


def ancestors(node: OrgNode) -> dict[str, OrgNode]:
    """The node and its ancestors, by kind (kept with the catalogue copy while the org tree is unchanged)."""
    chains = _catalogue().chains
    found = chains.get(node.path)
    if found is None:
        found = {n.kind: n for n in node.chain()}
        chains[node.path] = found
    return dict(found)


def unit_for_tier(tier: str, *, grid: Grid | None, node: OrgNode | None) -> tuple[str, OrgNode | None]:
    """The org node responsible at `tier` for a place; a tier the place lacks (a grid without a compound) moves
    up to the next tier that exists. Returns (tier actually used, node)."""
    base = grid.org_node if grid is not None else node
    if base is None:
        return tier, None
    if tier == Tier.GRID:
        if grid is not None:
            return Tier.GRID, grid.org_node
        tier = Tier.COMPOUND
    chain = ancestors(base)
    order = [Tier.COMPOUND, Tier.COMMUNITY, Tier.STREET, Tier.DISTRICT]
    start = order.index(Tier(tier)) if tier in order else len(order) - 1
    for t in order[start:]:
        found = chain.get(str(t))
        if found is not None:
            return t, found
    return tier, None


# --- the active catalogue, kept in the process ------------------------------------------------------------------
# The dispatch decision runs at every intake; reading the catalogue, the categories and the org chain with the
# ORM costs more than the rest of the decision. Each process keeps the active version with its entries, the
# active categories by code and the org chains it has looked up as a snapshot (linli.core.snapshots) of the
# versions "catalogue" (bumped by the catalogue and category writes, and by the admin pages that edit them) and
# "org_tree"; the grid rows dispatch needs are kept the same way, of "grids" and "org_tree".
CATALOGUE = "catalogue"


@dataclass(frozen=True)
class _CatalogueSnapshot:
    version: CatalogueVersion | None
    entries: dict[tuple[int, int], CatalogueEntry]
    categories: dict[str, Category]
    chains: dict[str, dict[str, OrgNode]]


def _catalogue_build() -> _CatalogueSnapshot:
    version = CatalogueVersion.objects.filter(active=True).first()
    entries: dict[tuple[int, int], CatalogueEntry] = {}
    if version is not None:
        for e in CatalogueEntry.objects.filter(version=version).select_related("area", "organisation"):
            entries[(e.category_id, e.area_id)] = e
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    return _CatalogueSnapshot(version, entries, categories, {})


_catalogue_snapshot = Snapshot(CATALOGUE, _catalogue_build, depends_on=(ORG_TREE,))
_grid_rows: Snapshot[dict[int, Grid]] = Snapshot(GRIDS, dict, depends_on=(ORG_TREE,))


def _catalogue() -> _CatalogueSnapshot:
    return _catalogue_snapshot.get()


def grid_for_dispatch(grid_id: int) -> Grid | None:
    """The grid row (with its org node, without the boundary polygon) as the dispatch decision needs it, kept
    while grids and the org tree are unchanged."""
    rows = _grid_rows.get()
    grid = rows.get(grid_id)
    if grid is None:
        grid = Grid.objects.select_related("org_node").defer("boundary").filter(pk=grid_id).first()
        if grid is not None:
            rows[grid_id] = grid
    return grid


def category_by_code(code: str) -> Category | None:
    """The active category with this code (from the process's copy)."""
    return _catalogue().categories.get(code or "")


def route(*, category: Category | None, grid: Grid | None, node: OrgNode | None) -> Route | None:
    """Where the catalogue sends an appeal of `category` at this place, or None (stays for a person to dispatch)."""
    base = grid.org_node if grid is not None else node
    if category is None or base is None:
        return None
    snapshot = _catalogue()
    version = snapshot.version
    if version is None:
        return None
    category_ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    ids = base.ancestor_ids()
    entries = [
        found for c in category_ids for a in ids if (found := snapshot.entries.get((c, a))) is not None
    ]
    if not entries:
        return None
    best = max(entries, key=lambda e: (e.area.depth, e.category_id == category.pk))
    if best.tier == Tier.DEPARTMENT and best.organisation is not None:
        return Route(Tier.DEPARTMENT, None, best.organisation, version)
    tier, unit = unit_for_tier(best.tier, grid=grid, node=node)
    if unit is None:
        return None
    return Route(tier, unit, None, version)


def tier_above(tier: str, *, grid: Grid | None, node: OrgNode | None) -> tuple[str, OrgNode | None]:
    """The next tier up from `tier` at this place (a department's tier above is the district)."""
    if tier == Tier.DEPARTMENT:
        return unit_for_tier(Tier.DISTRICT, grid=grid, node=node)
    level = TIER_LEVEL[Tier(tier)]
    for t in (Tier.COMPOUND, Tier.COMMUNITY, Tier.STREET, Tier.DISTRICT):
        if TIER_LEVEL[t] > level:
            used, found = unit_for_tier(t, grid=grid, node=node)
            if found is not None and TIER_LEVEL[Tier(used)] > level:
                return used, found
    return tier, None


def tier_of_node(node: OrgNode) -> str:
    return NODE_TIERS.get(node.kind, Tier.DISTRICT)


# --- triage desks -------------------------------------------------------------------------------------------
# An appeal the catalogue cannot send anywhere (no category, or no place) still has a responsible unit: the
# triage desk (待分拨/待定位) of the lowest community, street or district its place lies in. Its staff locate and
# classify it, then dispatch it.
DESK_KINDS = ("community", "street", "district")


def desk_for(node: OrgNode) -> tuple[str, OrgNode]:
    """The triage desk for a place: the lowest community, street or district at or above `node`."""
    chain = ancestors(node)
    for kind in DESK_KINDS:
        found = chain.get(kind)
        if found is not None:
            return NODE_TIERS[kind], found
    return Tier.DISTRICT, node


def default_district() -> OrgNode | None:
    """The deployment's default district: LINLI_DEFAULT_DISTRICT (a division code), else the first top node."""
    code = settings.LINLI_DEFAULT_DISTRICT
    tops = OrgNode.objects.filter(parent__isnull=True)
    return (tops.filter(code=code).first() if code else None) or tops.order_by("pk").first()
