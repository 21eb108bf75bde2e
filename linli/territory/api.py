"""Territory API: org tree, grids (GeoJSON), buildings, residents (scoped and masked), locate.

Every object is read through the scoping selectors, so a staff member sees only their subtree, a department
handler no one's personal data, and anything outside the caller's scope is simply not found (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.clientip import client_ip
from linli.core.errors import NotFound, PermissionDenied
from linli.core.masking import mask_address
from linli.core.scoping import get_or_404, may_see_personal_data

from . import roads, selectors, services
from .models import Building, Grid, OrgNode, Resident
from .schemas import (
    BuildingPage,
    ErrorOut,
    GridDetail,
    GridFeatureCollection,
    GridNeighbourCollection,
    LocateAddressOut,
    LocateOut,
    OrgNodeTree,
    ResidentPage,
    RevealOut,
    RoadFeatureCollection,
)
from .services.grids import may_draw

router = Router(tags=["territory"])

ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _node_ref(node: OrgNode) -> dict[str, Any]:
    return {"id": node.pk, "kind": node.kind, "name": node.name, "code": node.code}


def _grid_ref(grid: Grid) -> dict[str, Any]:
    return {"id": grid.pk, "code": grid.code, "name": grid.name, "kind": grid.kind}


def _chain(grid: Grid) -> list[dict[str, Any]]:
    """The org nodes above a (visible) grid, district first: the ancestors named in its node's path."""
    return [_node_ref(n) for n in grid.org_node.chain()]


def _building_out(b: Building) -> dict[str, Any]:
    return {
        "id": b.pk,
        "code": b.code,
        "name": b.name,
        "address": b.address,
        "floors": b.floors,
        "lng": b.lng,
        "lat": b.lat,
        "grid": _grid_ref(b.grid),
        "compound_id": b.compound_id,
    }


def _age(resident: Resident, today: Any) -> int:
    born = resident.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _resident_out(r: Resident, today: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "gender": r.gender,
        "age": _age(r, today),
        "phone": r.phone_masked,
        "id_number": r.id_number_masked,
        "address": mask_address(r.household.address) if r.household else "",
        "grid": _grid_ref(r.grid),
        "household_id": r.household_id,
        "tags": r.tag_list,
        "care_level": r.care_level,
    }


@router.get("/org-tree", response={200: list[OrgNodeTree], **ERRORS}, summary="The org tree you may see")
def org_tree(request: HttpRequest) -> Any:
    """District → street → community → compound, limited to your own subtree, with grid counts per node."""
    return selectors.org_tree_for(staff_caller(request))


@router.get("/grids", response={200: GridFeatureCollection, **ERRORS}, summary="Grids as GeoJSON")
def grids(request: HttpRequest, community: int | None = None) -> Any:
    """Every grid you may see as a GeoJSON FeatureCollection, coloured by community; `community` filters."""
    return selectors.grids_geojson(staff_caller(request), community_id=community)


@router.get("/roads", response={200: RoadFeatureCollection, **ERRORS}, summary="Roads as GeoJSON")
def road_list(request: HttpRequest) -> Any:
    """The street network you may see (your street's and district's roads) as GeoJSON LineStrings, one feature
    per stretch between junctions: the graph walking routes are searched on. Re-imports as it is."""
    return roads.roads_geojson(staff_caller(request))


@router.get(
    "/grids/neighbours",
    response={200: GridNeighbourCollection, **ERRORS},
    summary="The neighbouring communities' grids a drawn boundary is checked against",
)
def grid_neighbours(request: HttpRequest, grid_id: int | None = None, org_node_id: int | None = None) -> Any:
    """For those who draw grids (community workers; administrators see every grid and get none): the grids of
    other communities in and within about 1 km of your street (your district's, where your street has none yet),
    which a boundary you draw must not overlap, as the drawing map shows them: outline, code, name and community
    only. At most 300 (`NEIGHBOURS_MOST`), the nearest what you draw first: `grid_id`, a grid you redraw, or
    `org_node_id`, the community or compound you add one to (one or neither; without either, the middle of your
    street's grids). Declared before `/grids/{grid_id}`, which would take its name for an id."""
    user = staff_caller(request)
    if not may_draw(user):
        raise PermissionDenied(_("Only community workers add grids or draw their boundaries."))
    near = selectors.drawn_near(user, grid_id=grid_id, org_node_id=org_node_id)
    return selectors.neighbours_geojson(user, near=near)


@router.get(
    "/grids/{grid_id}", response={200: GridDetail, **ERRORS}, summary="One grid with its 人房物情 counts"
)
def grid_detail(request: HttpRequest, grid_id: int) -> Any:
    """A grid's node, community, boundary, grid workers and profile counts (people, housing, party)."""
    return grid_detail_out(selectors.grid_get_for(staff_caller(request), grid_id))


def grid_detail_out(grid: Grid) -> dict[str, Any]:
    node = grid.org_node
    community = selectors.community_of(node)
    return {
        **_grid_ref(grid),
        "org_node": _node_ref(node),
        "community": _node_ref(community) if community else None,
        "station_name": grid.station_name,
        "area_m2": grid.area_m2,
        "centroid": {"lng": grid.centroid_lng, "lat": grid.centroid_lat},
        "boundary": grid.boundary,
        "workers": [{"id": w.pk, "name": str(w)} for w in grid.workers.order_by("id")],
        "profile": selectors.grid_profile(grid),
    }


@router.get("/buildings", response={200: BuildingPage, **ERRORS}, summary="Buildings, a page at a time")
def buildings(
    request: HttpRequest,
    grid: int | None = None,
    q: str = "",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> Any:
    """Buildings you may see, ordered by code, a page at a time; filter by `grid` id or by `q` (code, name or
    address)."""
    qs = selectors.buildings_visible_to(staff_caller(request)).order_by("code", "pk")
    if grid:
        qs = qs.filter(grid_id=grid)
    if q.strip():
        text = q.strip()
        qs = qs.filter(Q(code__icontains=text) | Q(name__contains=text) | Q(address__contains=text))
    return page(qs, limit, offset, _building_out)


@router.get(
    "/residents", response={200: ResidentPage, **ERRORS}, summary="Residents, masked, a page at a time"
)
def residents(
    request: HttpRequest,
    q: str = "",
    grid: int | None = None,
    tag: str = "",
    care_level: str = "",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> Any:
    """Residents you may see, by id, a page at a time. `q` matches a name, an address or the last 4+ digits of a phone or ID number.
    Phone numbers, ID numbers and addresses are masked; use the reveal endpoint to read one in clear."""
    qs = selectors.residents_search(staff_caller(request), q=q, grid_id=grid, tag=tag, care_level=care_level)
    today = timezone.localdate()
    return page(qs, limit, offset, lambda r: _resident_out(r, today))


@router.post(
    "/residents/{resident_id}/reveal",
    response={200: RevealOut, **ERRORS},
    summary="One resident's phone, ID number and address in clear (audited)",
)
def resident_reveal(request: HttpRequest, resident_id: int) -> Any:
    """For grid workers, community workers and administrators only. Each call is written to the audit log."""
    user = staff_caller(request)
    if not may_see_personal_data(user):
        raise PermissionDenied(_("Your role may not see residents' personal data in clear."))
    resident = selectors.resident_get_for(user, resident_id)
    clear = services.resident_reveal(actor=user, resident=resident, ip=client_ip(request) or None)
    return {
        "id": resident.pk,
        "name": resident.name,
        "phone": clear["phone"],
        "id_number": clear["id_number"],
        "address": resident.household.address if resident.household else "",
    }


@router.get("/locate", response={200: LocateOut, **ERRORS}, summary="Which grid contains a point")
def locate(request: HttpRequest, lat: float, lng: float) -> Any:
    """The grid containing the point (WGS 84) and its chain of org nodes; 404 if no grid you may see holds it."""
    from .locator import locate_point

    user = staff_caller(request)
    found = locate_point(lng, lat)
    if found is None:
        raise NotFound(_("No grid contains this point."))
    try:
        grid = selectors.grid_get_for(user, found.grid_id)
    except NotFound:
        raise NotFound(_("No grid contains this point.")) from None
    chain = [{"id": n.id, "kind": n.kind, "name": n.name, "code": n.code} for n in found.chain]
    return {"point": {"lng": lng, "lat": lat}, "grid": _grid_ref(grid), "chain": chain}


@router.get(
    "/locate/address", response={200: LocateAddressOut, **ERRORS}, summary="Which building an address names"
)
def locate_by_address(request: HttpRequest, q: str) -> Any:
    """The building whose address matches `q` (however it is written: 一号楼, 1号楼, 1栋) and its org chain."""
    from .locator import locate_address

    user = staff_caller(request)
    building = locate_address(q) if q.strip() else None
    if building is None:
        raise NotFound(_("No building matches this address."))
    try:
        visible = get_or_404(
            selectors.buildings_visible_to(user).select_related("grid__org_node"), pk=building.pk
        )
    except NotFound:
        raise NotFound(_("No building matches this address.")) from None
    return {"query": q, "building": _building_out(visible), "chain": _chain(visible.grid)}


# The register's maintenance routes and the import routes, added to `router`.
from . import field_api, grid_api, io_api, register_api  # noqa: E402, F401
