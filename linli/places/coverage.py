"""Coverage of the 15-minute life circle: which households live within a 15-minute walk of each kind of place,
per community and grid, the care groups among them (elderly living alone, children under 3), the households no
place of a kind reaches, and where one more place of that kind would reach the most of them.

A household is where its building stands; the walk goes from the place's door to the network, along the roads,
and from the network to the building's door (walk.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from scipy.sparse.csgraph import dijkstra

from linli.territory.choices import NodeKind, ResidentTag
from linli.territory.models import Building, OrgNode, Resident
from linli.territory.selectors import Viewer, buildings_visible_to

from . import walk
from .choices import PlaceKind
from .models import Place
from .network import network_current

LIMIT_MIN = 15
CANDIDATES_MAX = 400


@dataclass
class Tally:
    """Households (and care-group households) in an area, and how many of them a kind of place reaches."""

    households: int = 0
    elderly_alone: int = 0
    under_three: int = 0
    covered: dict[str, list[int]] = field(default_factory=dict)  # kind → [households, elderly, under 3]
    community_id: int | None = None  # a community's or a grid's: the community it is (or lies in)

    def share(self, kind: str, index: int = 0) -> float | None:
        total = (self.households, self.elderly_alone, self.under_three)[index]
        return None if total == 0 else self.covered.get(kind, [0, 0, 0])[index] / total


@dataclass
class BuildingReach:
    building: Building
    households: int
    elderly_alone: int
    under_three: int
    walk_m: dict[
        str, float
    ]  # kind → walking metres to the nearest place of that kind (inf when none in reach)


@dataclass
class Suggestion:
    lng: float
    lat: float
    households: int  # uncovered households it would reach


@dataclass
class Coverage:
    kinds: list[tuple[str, str]]
    total: Tally
    by_community: list[tuple[str, Tally]]
    by_grid: list[tuple[str, Tally]]
    buildings: list[BuildingReach]
    roads_missing: bool = False

    def uncovered(self, kind: str) -> list[BuildingReach]:
        return [
            b
            for b in self.buildings
            if b.households and b.walk_m.get(kind, np.inf) > LIMIT_MIN * walk.WALK_M_PER_MIN
        ]


def _care_counts(building_ids: list[int], today: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    """Per building: households with an elderly resident living alone, and with a child under 3."""
    born_after = (
        today.replace(year=today.year - 3)
        if not (today.month == 2 and today.day == 29)
        else today - dt.timedelta(days=1096)
    )
    rows = (
        Resident.objects.filter(household__building_id__in=building_ids)
        .values("household__building_id")
        .annotate(
            alone=Count(
                "household", filter=Q(tags__contains=f" {ResidentTag.ELDERLY_ALONE} "), distinct=True
            ),
            small=Count("household", filter=Q(birth_date__gt=born_after), distinct=True),
        )
    )
    alone = {r["household__building_id"]: r["alone"] for r in rows}
    small = {r["household__building_id"]: r["small"] for r in rows}
    return alone, small


def coverage_for(user: Viewer, path: str = "", grid_id: int | None = None) -> Coverage:
    """The coverage of the buildings the user sees (the staff coverage page and the API), optionally only those
    of an area (org path prefix) or a grid: the dashboard's unit."""
    buildings = buildings_visible_to(user)
    if path:
        buildings = buildings.filter(grid__org_node__path__startswith=path)
    if grid_id is not None:
        buildings = buildings.filter(grid_id=grid_id)
    return coverage_of(buildings)


def _in_reading_order(name: str) -> list[int | str]:
    """A name sorted as read: its numbers by value (第2网格 before 第10网格), the rest by text."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def coverage_in(path: str, grid_id: int | None = None) -> Coverage:
    """The coverage of the buildings of an area of the org tree (path prefix, "" for all), or of one grid: the
    dashboard's unit, counted the same way as the coverage page."""
    buildings = Building.objects.filter(grid__org_node__path__startswith=path)
    if grid_id is not None:
        buildings = buildings.filter(grid_id=grid_id)
    return coverage_of(buildings)


def coverage_of(buildings: QuerySet[Building]) -> Coverage:
    """The coverage of these buildings by every kind of active place (places anywhere count: a household near
    the edge of a community is served by the next community's station too)."""
    _key, net = network_current()
    rows = list(buildings.select_related("grid__org_node").annotate(n=Count("households")).order_by("id"))
    alone, small = _care_counts([b.pk for b in rows], timezone.localdate())
    kinds = [(str(k.value), str(k.label)) for k in PlaceKind]
    reach = [
        BuildingReach(b, b.n, alone.get(b.pk, 0), small.get(b.pk, 0), {k: np.inf for k, _ in kinds})
        for b in rows
    ]
    limit = LIMIT_MIN * walk.WALK_M_PER_MIN
    if net is not None and reach:
        targets = walk.targets_for(net, [(r.building.lng, r.building.lat) for r in reach])
        best = {kind: np.full(len(reach), np.inf) for kind, _label in kinds}
        for place in Place.objects.filter(active=True).only("kind", "lng", "lat"):
            source = walk.entry_for(net, place.lng, place.lat)
            if source is None:
                continue
            dist = walk.distances_from(net, source, limit)
            np.minimum(best[place.kind], walk.walk_to(net, dist, targets, source), out=best[place.kind])
        for i, r in enumerate(reach):
            r.walk_m = {kind: float(best[kind][i]) for kind, _label in kinds}
    # Areas are told apart by their ids, not their names: two communities, or two grids of different communities,
    # may be called alike (第一网格).
    community_at: dict[int, OrgNode] = {}  # a grid's org node's id → its community
    for r in reach:
        node = r.building.grid.org_node
        if node.pk not in community_at:
            chain = node.chain()
            community_at[node.pk] = next((n for n in reversed(chain) if n.kind == NodeKind.COMMUNITY), node)
    total = Tally()
    communities: dict[int, tuple[str, Tally]] = {}
    grids: dict[int, tuple[str, Tally]] = {}
    for r in reach:
        grid, community = r.building.grid, community_at[r.building.grid.org_node_id]
        in_community = communities.setdefault(
            community.pk, (community.name, Tally(community_id=community.pk))
        )
        in_grid = grids.setdefault(grid.pk, (grid.name, Tally(community_id=community.pk)))
        for tally in (total, in_community[1], in_grid[1]):
            tally.households += r.households
            tally.elderly_alone += r.elderly_alone
            tally.under_three += r.under_three
            for kind, _label in kinds:
                counts = tally.covered.setdefault(kind, [0, 0, 0])
                if r.walk_m[kind] <= limit:
                    counts[0] += r.households
                    counts[1] += r.elderly_alone
                    counts[2] += r.under_three
    return Coverage(
        kinds,
        total,
        sorted(communities.values(), key=lambda item: _in_reading_order(item[0])),
        sorted(grids.values(), key=lambda item: _in_reading_order(item[0])),
        reach,
        roads_missing=net is None,
    )


def suggestion_for(coverage: Coverage, kind: str) -> Suggestion | None:
    """The point of the network from which one more place of `kind` would reach the most uncovered households
    within 15 minutes (greedy, over the network points nearest the uncovered buildings)."""
    _key, net = network_current()
    uncovered = coverage.uncovered(kind)
    if net is None or not uncovered:
        return None
    limit = LIMIT_MIN * walk.WALK_M_PER_MIN
    targets = walk.targets_for(net, [(b.building.lng, b.building.lat) for b in uncovered])
    joined = targets.seg >= 0
    ends = {int(end[i]) for i in targets.seg[joined] for end in (net.seg_a, net.seg_b)}
    candidates = sorted(ends)[:CANDIDATES_MAX]
    if not candidates:
        return None
    dist = dijkstra(walk.matrix(net), directed=False, indices=candidates, limit=limit)
    weights = np.array(
        [b.households if j else 0 for b, j in zip(uncovered, joined, strict=True)], dtype=float
    )
    metres = walk.walk_to(net, dist, targets)
    within = metres <= limit
    reached = (within * weights).sum(axis=1)
    best_n = float(reached.max())
    # Among the points reaching the most households, the one they walk the least to (weighted by households).
    walked = np.where(within, metres, 0.0) @ weights
    tied = np.nonzero(reached == best_n)[0]
    best_i = int(tied[np.argmin(walked[tied])])
    if best_n <= 0:
        return None
    x, y = net.xy[candidates[best_i]]
    lng, lat = net.plane.to_lnglat(float(x), float(y))
    return Suggestion(lng, lat, int(best_n))
