"""Routing: reading the versioned dispatch catalogue and finding the unit at a tier (the writes of the taxonomy and
the catalogue are services, in services/dispatch.py).

Tier rule (小事不出小区、大事不出社区、难事不出街道): an appeal starts at the lowest tier the catalogue allows
and moves up only by escalation: grid → compound → community → street → district (departments sit with the
district and are reached by dispatch from the district or by a whistle).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from linli.core.orgpath import path_ids
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
        ids = [int(x) for x in node.path.strip("/").split("/") if x]
        found = {n.kind: n for n in OrgNode.objects.filter(pk__in=ids)}
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


# --- the active catalogue, cached in the process ----------------------------------------------------------------
# The dispatch decision runs at every intake; reading the catalogue, the categories and the org chain with the
# ORM costs more than the rest of the decision. Each process keeps the active version with its entries, the
# active categories by code and the org chains it has looked up in memory, and checks one cheap signature per
# call (one raw query: the active version and its number of entries; count, newest change and highest id of
# categories and org nodes). A change in this process drops the copy at once (signals in apps.py), and a copy is
# never kept longer than CATALOGUE_MAX_AGE seconds, so an entry edited in place elsewhere is seen within that.
CATALOGUE_MAX_AGE = 60.0


@dataclass(frozen=True)
class _CatalogueSnapshot:
    signature: tuple[Any, ...]
    version: CatalogueVersion | None
    entries: dict[tuple[int, int], CatalogueEntry]
    categories: dict[str, Category]
    chains: dict[str, dict[str, OrgNode]]
    built_at: float


_catalogue_lock = threading.Lock()
_catalogue_cache: _CatalogueSnapshot | None = None


def _catalogue_signature() -> tuple[Any, ...]:
    versions, entries = CatalogueVersion._meta.db_table, CatalogueEntry._meta.db_table
    categories, nodes = Category._meta.db_table, OrgNode._meta.db_table
    active = f"(SELECT id FROM {versions} WHERE active = %s)"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {active}, (SELECT COUNT(*) FROM {entries} WHERE version_id = {active}), "
            f"(SELECT COUNT(*) FROM {categories}), (SELECT MAX(updated_at) FROM {categories}), "
            f"(SELECT MAX(id) FROM {categories}), (SELECT COUNT(*) FROM {nodes}), "
            f"(SELECT MAX(updated_at) FROM {nodes}), (SELECT MAX(id) FROM {nodes})",
            [True, True],
        )
        row = cur.fetchone()
    return tuple(row) if row else ()


def catalogue_invalidate() -> None:
    """Drop this process's copy of the active catalogue; the next route() reads it again."""
    global _catalogue_cache
    with _catalogue_lock:
        _catalogue_cache = None


def _catalogue() -> _CatalogueSnapshot:
    global _catalogue_cache
    signature = _catalogue_signature()
    cached = _catalogue_cache
    if (
        cached is not None
        and cached.signature == signature
        and time.monotonic() - cached.built_at < CATALOGUE_MAX_AGE
    ):
        return cached
    version = CatalogueVersion.objects.filter(pk=signature[0]).first() if signature and signature[0] else None
    entries: dict[tuple[int, int], CatalogueEntry] = {}
    if version is not None:
        for e in CatalogueEntry.objects.filter(version=version).select_related("area", "organisation"):
            entries[(e.category_id, e.area_id)] = e
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    snapshot = _CatalogueSnapshot(signature, version, entries, categories, {}, time.monotonic())
    with _catalogue_lock:
        _catalogue_cache = snapshot
    return snapshot


_grid_rows: dict[int, Grid] = {}
_grid_rows_key: list[Any] = [None]


def grids_invalidate() -> None:
    """Forget the grid rows kept for dispatch (a grid or an org node changed in this process)."""
    with _catalogue_lock:
        _grid_rows.clear()
        _grid_rows_key[0] = None


def grid_for_dispatch(grid_id: int) -> Grid | None:
    """The grid row (with its org node, without the boundary polygon) as the dispatch decision needs it.

    Kept while the org tree and categories keep the signature checked for the catalogue (so an org node change
    anywhere is seen as for the catalogue) and the locator keeps the same index of grids (so a grid added, moved
    or edited anywhere is seen when the locator sees it); a change in this process drops it at once.
    """
    from linli.territory import locator

    key = (_catalogue().signature, locator.index_token())
    if _grid_rows_key[0] != key:
        with _catalogue_lock:
            _grid_rows.clear()
            _grid_rows_key[0] = key
    grid = _grid_rows.get(grid_id)
    if grid is None:
        grid = Grid.objects.select_related("org_node").defer("boundary").filter(pk=grid_id).first()
        if grid is not None and key[1] is not None:
            _grid_rows[grid_id] = grid
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
    ids = path_ids(base.path)
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
