"""Grids drawn on Linli's pages and through the API, not only by import or in the administration: a grid added to a
community (or one of its compounds) with its boundary drawn on the map, and a grid's boundary, name, code, station
and grid workers changed, by those who keep the community's structure (`SHAPERS`, as for compounds).

The boundary is checked as an import checks it (`geometry.polygon_checked`) and then for its place: large enough to
be a grid, near the community's other grids (a community's first grid: near its street's, else its district's, grids),
not overlapping another grid beyond `OVERLAP_TOLERANCE_M2` (the locator must find one grid for a point; another
community's grid is named with its community, and the drawing map shows it: `selectors.grids_neighbouring`), and,
when redrawn, still around the grid's buildings and inside its parent grid.
The write goes through `grid_create` / `grid_update`, which derive the box, centre and area, audit it and bump the
locator's snapshot, as an import's does."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, shape
from shapely.ops import unary_union

from linli.core.errors import PermissionDenied
from linli.core.snapshots import bump
from linli.core.validators import clean_text

from ..choices import GridKind, NodeKind
from ..geometry import (
    OVERLAP_TOLERANCE_M2,
    area_m2,
    area_m2_of,
    distance_m_between,
    metres_per_degree,
    polygon_checked,
)
from ..locator import GRIDS
from ..models import Grid, OrgNode
from ..selectors import (
    community_of,
    grid_worker_candidates,
    grids_box_around,
    grids_visible_to,
    org_nodes_visible_to,
)
from .common import Actor, in_scope, invalid
from .compounds import _next_code, may_shape

# A grid encloses at least this much: a smaller shape is three clicks close together, not a governed area (the
# smallest micro-grid is one building with its yard, several hundred m²).
SMALLEST_GRID_M2 = 100.0
# A community's grids touch one another: a shape drawn farther than this from all of them was drawn in the wrong
# place (the map zoomed out, another street). A community's first grid has nothing to be near.
NEAR_COMMUNITY_M = 300.0

# A community's first grid has none of its own to be near, and communities have no boundary in Linli: it must lie
# near the grids already drawn in its street, else in its district (a street is a few km across, a district some
# tens), so a grid drawn with the map in another city is refused. The very first grid of all may lie anywhere.
NEAR_STREET_M = 3_000.0
NEAR_DISTRICT_M = 15_000.0

may_draw = may_shape


def require_drawer(actor: Actor) -> None:
    if actor is not None and not may_draw(actor):
        raise PermissionDenied(_("Only community workers add grids or draw their boundaries."))


def _boundary(boundary: Any) -> tuple[dict[str, Any], Polygon]:
    """The drawn boundary as a plain GeoJSON Polygon of [lng, lat] pairs, and its shape, checked and large
    enough; `invalid` on "boundary" otherwise."""
    try:
        poly = polygon_checked(boundary)
    except ValueError as exc:
        raise invalid("boundary", str(exc)) from None
    area = area_m2(poly)
    if area < SMALLEST_GRID_M2:
        raise invalid(
            "boundary",
            _("The boundary encloses only %(area)d m²; a grid needs at least %(least)d m².")
            % {"area": area, "least": SMALLEST_GRID_M2},
        )
    rings = [[[float(p[0]), float(p[1])] for p in ring] for ring in boundary["coordinates"]]
    return {"type": "Polygon", "coordinates": rings}, poly


def _check_place(poly: Polygon, node: OrgNode, grid: Grid | None = None) -> None:
    """A drawn boundary's place among the other grids (of every community: a point must fall in one grid only)."""
    kind = grid.kind if grid else GridKind.GRID
    others = Grid.objects.exclude(pk=grid.pk) if grid else Grid.objects.all()
    if kind == GridKind.MICROGRID and grid is not None and grid.parent_grid is not None:
        others = others.filter(
            parent_grid=grid.parent_grid
        )  # a micro-grid shares its parent with its siblings
        outside = poly.difference(shape(grid.parent_grid.boundary))
        if area_m2_of(outside) > OVERLAP_TOLERANCE_M2:
            raise invalid("boundary", _("The micro-grid reaches outside its parent grid."))
    else:
        others = others.filter(kind=GridKind.GRID)
    community = community_of(node) or node
    siblings = others.filter(Q(org_node=community) | Q(org_node__parent=community)).values_list(
        "boundary", flat=True
    )
    shapes = [shape(b) for b in siblings]
    if shapes and distance_m_between(poly, unary_union(shapes)) > NEAR_COMMUNITY_M:
        raise invalid(
            "boundary",
            _("The boundary lies outside %(community)s, more than %(near)d m from its other grids.")
            % {"community": community.name, "near": NEAR_COMMUNITY_M},
        )
    if not shapes:
        _check_first(poly, community, others, grid)
    west, south, east, north = poly.bounds
    near = others.filter(min_lng__lte=east, max_lng__gte=west, min_lat__lte=north, max_lat__gte=south)
    for other in near.select_related("org_node__parent").order_by("code"):
        overlap = area_m2_of(poly.intersection(shape(other.boundary)))
        if overlap <= OVERLAP_TOLERANCE_M2:
            continue
        words = {"name": other.name, "code": other.code, "area": max(overlap, 1)}
        theirs = community_of(other.org_node) or other.org_node
        if theirs.pk == community.pk:
            raise invalid(
                "boundary",
                _(
                    "The boundary overlaps grid %(name)s (%(code)s) by %(area)d m²: move the corners onto the "
                    "shared edge (a corner dragged near it snaps onto it)."
                )
                % words,
            )
        raise invalid(
            "boundary",
            _(
                "The boundary overlaps %(community)s's grid %(name)s (%(code)s) by %(area)d m²: move the corners "
                "onto the shared edge of that grid, drawn on the map in grey dashes (a corner dragged near it "
                "snaps onto it). If that grid's own boundary is wrong, ask %(community)s's community workers to "
                "redraw it."
            )
            % (words | {"community": theirs.name}),
        )
    if grid is not None:
        for micro in grid.microgrids.order_by("code"):
            if area_m2_of(shape(micro.boundary).difference(poly)) > OVERLAP_TOLERANCE_M2:
                raise invalid(
                    "boundary",
                    _(
                        "Micro-grid %(name)s would reach outside the new boundary: draw the boundary around it."
                    )
                    % {"name": micro.name},
                )
        around = poly.buffer(1e-7)
        for building in grid.buildings.order_by("code"):
            if not around.covers(Point(building.lng, building.lat)):
                raise invalid(
                    "boundary",
                    _("Building %(name)s would lie outside the new boundary: draw the boundary around it.")
                    % {"name": building.name},
                )


def _nearest_m(poly: Polygon, grids: QuerySet[Grid]) -> float | None:
    """The distance in metres from `poly` to the nearest of `grids` (None if there are none), reading the stored
    box of each (four numbers) and the boundary only of those that may be the nearest: a grid whose box is farther
    than another grid's box plus both shapes' diagonals cannot be, so a district's thousands of grids cost a
    handful of boundaries, not one each and their union."""
    west, south, east, north = poly.bounds
    kx, ky = metres_per_degree(poly.centroid.y)  # as geometry.distance_m_between measures
    diagonal = math.hypot((east - west) * kx, (north - south) * ky)
    reach: list[tuple[float, float, int]] = []  # (at least, at most) metres away, grid
    for pk, w, s, e, n in grids.values_list("pk", "min_lng", "min_lat", "max_lng", "max_lat"):
        least = math.hypot(max(w - east, west - e, 0) * kx, max(s - north, south - n, 0) * ky)
        reach.append((least, least + diagonal + math.hypot((e - w) * kx, (n - s) * ky), pk))
    if not reach:
        return None
    most = min(r[1] for r in reach)
    maybe = [pk for least, _most, pk in reach if least <= most]
    boundaries = Grid.objects.filter(pk__in=maybe).values_list("boundary", flat=True)
    return min(distance_m_between(poly, shape(b)) for b in boundaries)


def _check_first(poly: Polygon, community: OrgNode, others: QuerySet[Grid], grid: Grid | None) -> None:
    """A community's first grid near the other grids of its street, else district. Its only grid redrawn may lie
    as far from them as it did (it may have been imported, or placed by an administrator, farther off): only a
    shape moved farther away than that is refused."""
    around = grids_box_around(community, but=grid.pk if grid else None)
    if around is None:
        return
    area = around[0]
    most = NEAR_STREET_M if area.kind == NodeKind.STREET else NEAR_DISTRICT_M
    theirs = others.filter(org_node__path__startswith=area.path)
    distance = _nearest_m(poly, theirs)
    if distance is None:
        return
    allowed = most
    if grid is not None and distance > most:
        allowed = max(most, _nearest_m(shape(grid.boundary), theirs) or 0)
    if distance > allowed:
        raise invalid(
            "boundary",
            _(
                "A community's first grid should lie within %(most)s km of the grids already in %(area)s (it is "
                "now %(distance)s km away). Move the map to where %(community)s is and draw it there; if it "
                "really lies here, ask the district administrator."
            )
            % {
                "distance": f"{distance / 1000:,.0f}" if distance >= 10_000 else f"{distance / 1000:.1f}",
                "area": area.name,
                "community": community.name,
                "most": f"{most / 1000:g}",
            },
        )


def _one_drawing_at_a_time() -> None:
    """Two grids drawn at once would each pass the overlap and next-code checks and both be written: the grids'
    snapshot row is updated first (it is updated after any grid write anyway), which holds every other grid
    write until this one commits, so the checks read what the other wrote. SQLite writes one at a time anyway."""
    bump(GRIDS)


def _grid_node(actor: Actor, node: OrgNode) -> OrgNode:
    node = in_scope(actor, org_nodes_visible_to, node)
    if node.kind not in (NodeKind.COMMUNITY, NodeKind.COMPOUND):
        raise invalid("org_node", _("A grid belongs to a community or a compound."))
    return node


def _workers(node: OrgNode, workers: Iterable[Any]) -> list[Any]:
    """The grid workers named, each a grid worker, grid leader or part-time grid worker of the grid's community."""
    workers = list(workers)
    allowed = set(grid_worker_candidates(node).values_list("pk", flat=True))
    for worker in workers:
        if worker.pk not in allowed:
            raise invalid(
                "workers", _("%(name)s is not a grid worker of this community.") % {"name": str(worker)}
            )
    return workers


@transaction.atomic
def grid_add(
    *,
    actor: Actor,
    org_node: OrgNode,
    name: str,
    boundary: Any,
    code: str = "",
    station_name: str = "",
    workers: Iterable[Any] = (),
) -> Grid:
    """A new grid of a community (or one of its compounds) the actor governs, its boundary drawn on the map; its
    code, when none is typed, the community's followed by G and the next free two digits, as the demo writes
    them (110105021001G07)."""
    from . import grid_create

    require_drawer(actor)
    org_node = _grid_node(actor, org_node)
    _one_drawing_at_a_time()
    name = clean_text("name", name, most=100, required=True, label=_("Grid name"))
    code = clean_text("code", code, most=32, label=_("Grid code"))
    if not code:
        prefix = (community_of(org_node) or org_node).code
        taken = set(Grid.objects.filter(code__startswith=prefix).values_list("code", flat=True))
        code = _next_code(prefix, taken, 2, sep="G")
    workers = _workers(org_node, workers)
    geojson, poly = _boundary(boundary)
    _check_place(poly, org_node)
    return grid_create(
        actor=actor,
        code=code,
        name=name,
        org_node=org_node,
        boundary=geojson,
        station_name=station_name,
        workers=workers,
    )


@transaction.atomic
def grid_change(
    *,
    actor: Actor,
    grid: Grid,
    boundary: Any = None,
    name: str | None = None,
    code: str | None = None,
    station_name: str | None = None,
    workers: Iterable[Any] | None = None,
) -> Grid:
    """A grid's boundary redrawn, and its name, code, station and grid workers (None = as is), within the
    actor's area; audited as `grid_update` with the fields changed."""
    from . import grid_update

    require_drawer(actor)
    grid = in_scope(actor, grids_visible_to, grid)
    _one_drawing_at_a_time()
    if name is not None:
        name = clean_text("name", name, most=100, required=True, label=_("Grid name"))
    if code is not None:
        code = clean_text("code", code, most=32, required=True, label=_("Grid code"))
    if workers is not None:
        workers = _workers(grid.org_node, workers)
    geojson = None
    if boundary is not None:
        geojson, poly = _boundary(boundary)
        _check_place(poly, grid.org_node, grid)
    return grid_update(
        actor=actor,
        grid=grid,
        boundary=geojson,
        name=name,
        code=code,
        station_name=station_name,
        workers=workers,
    )
