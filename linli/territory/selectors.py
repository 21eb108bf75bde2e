"""Reads of the territory, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, F, Max, Min, Model, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import invalid
from linli.core.orgpath import path_ids
from linli.core.roles import GRID_ROLES, Role
from linli.core.scoping import (
    ScopedUser,
    get_or_404,
    is_admin,
    scope_by_org,
    scope_in_or_above,
    tree_scope_path,
)

from . import grid_parts
from .choices import HEAD_RELATION, SMALL_VENUES, GridKind, NodeKind, ResidentStatus
from .models import Building, Grid, Household, OrgNode, Resident, ResidentEvent, Road, Venue, Visit

# Who reads: a signed-in account sees its part of the tree; an anonymous visitor or no one (None) sees nothing.
Viewer = ScopedUser | AnonymousUser | None


def org_nodes_visible_to(user: Viewer) -> QuerySet[OrgNode]:
    return scope_by_org(OrgNode.objects.all(), user, "path")


def own_grids_only(user: Viewer) -> bool:
    """A grid worker (full- or part-time), grid leader or building captain governs their own grid(s), not the rest
    of the community or compound their account sits in."""
    return not is_admin(user) and getattr(user, "role", None) in GRID_ROLES


def own_building_only(user: Viewer) -> bool:
    """A building captain sees the people and homes of their one building."""
    return not is_admin(user) and getattr(user, "role", None) == Role.BUILDING_CAPTAIN


def _own_grid_ids(user: Viewer) -> QuerySet[Grid, Any]:
    """The grids a grid worker works in, and the micro-grids inside them (ids, for a subquery); a building
    captain's is the grid of their building."""
    if own_building_only(user):
        return Grid.objects.filter(buildings__pk=getattr(user, "building_id", None) or 0).values("pk")
    return Grid.objects.filter(Q(workers=user) | Q(parent_grid__workers=user)).values("pk")


def _in_scope[M: Model](
    qs: QuerySet[M], user: Viewer, path_field: str, grid_field: str, building_field: str = ""
) -> QuerySet[M]:
    """`qs` limited to the user's subtree of the org tree, for grid roles to their own grids, and for a building
    captain (when the rows lie in buildings: `building_field`) to their building: the one place the territory
    decides who sees which grid, building, household, resident, venue and visit."""
    qs = scope_by_org(qs, user, path_field)
    if own_grids_only(user):
        qs = qs.filter(**{f"{grid_field}__in": _own_grid_ids(user)})
    if building_field and own_building_only(user):
        qs = qs.filter(**{building_field: getattr(user, "building_id", None) or 0})
    return qs


def grids_visible_to(user: Viewer) -> QuerySet[Grid]:
    return _in_scope(Grid.objects.select_related("org_node"), user, "org_node__path", "pk")


def grid_get_for(user: Viewer, pk: int) -> Grid:
    return get_or_404(grids_visible_to(user), pk=pk)


# How far past the box around the grids of a drawer's street the drawing map shows other communities' grids (about
# 1 km): the grids across the street's edge are neighbours too.
NEIGHBOUR_MARGIN_DEG = 0.01
# The drawing map shows at most this many neighbouring grids, the nearest what is drawn first (a grid, a compound's
# or a community's grids; else the middle of the street's, or the district's, grids): a district of thousands of
# grids does not send them all. Their corners are sent as stored, not rounded: a corner snapped onto a rounded one
# would overlap the stored grid by more than OVERLAP_TOLERANCE_M2.
NEIGHBOURS_MOST = 300


def grids_box_around(node: OrgNode, *, but: int | None = None) -> tuple[OrgNode, list[float]] | None:
    """The nearest area above `node` (its street, else its district) that has grids (other than grid `but`), and
    the box around them (west, south, east, north); None where neither has any."""
    return grids_boxes_around([node], but=but).get(node.pk)


def grids_boxes_around(
    nodes: list[OrgNode], *, but: int | None = None
) -> dict[int, tuple[OrgNode, list[float]]]:
    """`grids_box_around` for many nodes at once, by node pk (nodes with none left out), in two queries however
    many nodes: their streets and districts, and one box per area from their grids (`but` left out)."""
    wanted = {pk for node in nodes for pk in path_ids(node.path)}
    areas = {
        a.pk: a
        for a in OrgNode.objects.filter(pk__in=wanted, kind__in=[NodeKind.STREET, NodeKind.DISTRICT]).only(
            "pk", "name", "path", "kind", "parent"
        )
    }
    if not areas:
        return {}
    within = Q()
    boxes: dict[str, Any] = {}
    for area in areas.values():
        if area.kind == NodeKind.DISTRICT or area.parent_id not in areas:
            within |= Q(org_node__path__startswith=area.path)
        inside = Q(org_node__path__startswith=area.path)
        boxes |= {
            f"w{area.pk}": Min("min_lng", filter=inside),
            f"s{area.pk}": Min("min_lat", filter=inside),
            f"e{area.pk}": Max("max_lng", filter=inside),
            f"n{area.pk}": Max("max_lat", filter=inside),
        }
    box = Grid.objects.filter(within, kind=GridKind.GRID).exclude(pk=but or 0).aggregate(**boxes)
    out: dict[int, tuple[OrgNode, list[float]]] = {}
    for node in nodes:
        for pk in reversed(path_ids(node.path)):
            if pk in areas and box[f"w{pk}"] is not None:
                out[node.pk] = (areas[pk], [box[f"{side}{pk}"] for side in "wsen"])
                break
    return out


def drawn_near(user: Viewer, *, grid_id: int | None, org_node_id: int | None) -> Grid | OrgNode | None:
    """What a drawing map draws, for the order of its neighbours: a grid redrawn, or the community or compound a
    grid is added to, looked up in the user's scope (NotFound outside it); neither, None; both, refused."""
    if grid_id is not None and org_node_id is not None:
        raise invalid("org_node_id", _("Name one grid or one community (or compound), not both."))
    if grid_id is not None:
        return grid_get_for(user, grid_id)
    if org_node_id is not None:
        nodes = org_nodes_visible_to(user).filter(kind__in=[NodeKind.COMMUNITY, NodeKind.COMPOUND])
        return get_or_404(nodes.select_related("parent"), pk=org_node_id)
    return None


def _drawn_box(near: Grid | OrgNode) -> list[float] | None:
    """The box around what is drawn: a grid's own; a compound's grids, else its community's; a community's."""
    if isinstance(near, Grid):
        return [near.min_lng, near.min_lat, near.max_lng, near.max_lat]
    for node in (near, community_of(near)):
        if node is None:
            continue
        box = Grid.objects.filter(org_node__path__startswith=node.path, kind=GridKind.GRID).aggregate(
            w=Min("min_lng"), s=Min("min_lat"), e=Max("max_lng"), n=Max("max_lat")
        )
        if box["w"] is not None:
            return [box["w"], box["s"], box["e"], box["n"]]
    return None


def grids_neighbouring(user: Viewer, *, near: Grid | OrgNode | None = None) -> QuerySet[Grid]:
    """The grids (not micro-grids) a boundary the user draws is checked against but the user does not see: those
    of other communities in and around the user's street (district, where the street has no grids yet), the
    `NEIGHBOURS_MOST` nearest what is drawn (`near`: a grid redrawn, or the community or compound one is added to;
    without it, or where it has no grids, the middle of the street's grids). The drawing map shows their outline
    and name to snap to; nothing else of them opens to the user."""
    node = getattr(user, "org_node", None)
    if node is None or is_admin(user) or tree_scope_path(user) is None:
        return Grid.objects.none()
    around = grids_box_around(node)
    if around is None:
        return Grid.objects.none()
    (west, south, east, north), m = around[1], NEIGHBOUR_MARGIN_DEG
    drawn = (_drawn_box(near) if near is not None else None) or around[1]
    lng, lat = (drawn[0] + drawn[2]) / 2, (drawn[1] + drawn[3]) / 2
    return (
        Grid.objects.filter(
            kind=GridKind.GRID,
            min_lng__lte=east + m,
            max_lng__gte=west - m,
            min_lat__lte=north + m,
            max_lat__gte=south - m,
        )
        .exclude(pk__in=grids_visible_to(user).values("pk"))
        .select_related("org_node__parent")
        .alias(
            off=(F("centroid_lng") - lng) * (F("centroid_lng") - lng)
            + (F("centroid_lat") - lat) * (F("centroid_lat") - lat)
        )
        .order_by("off", "code")[:NEIGHBOURS_MOST]
    )


def neighbours_geojson(user: Viewer, *, near: Grid | OrgNode | None = None) -> dict[str, Any]:
    """`grids_neighbouring` as a GeoJSON FeatureCollection: each grid's outline, code, name and community only."""
    features = [
        {
            "type": "Feature",
            "geometry": g.boundary,
            "properties": {
                "code": g.code,
                "name": g.name,
                "community_name": (community_of(g.org_node) or g.org_node).name,
            },
        }
        for g in grids_neighbouring(user, near=near)
    ]
    return {"type": "FeatureCollection", "features": features}


# Who may be named a grid's worker: those who work in grids and are not tied to one building.
GRID_WORKER_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.PART_TIME_GRID_WORKER)


def grid_worker_candidates(node: OrgNode) -> QuerySet[Any]:
    """The active accounts that may work in a grid of `node`'s community: its grid workers, grid leaders and
    part-time grid workers, by name."""
    community = community_of(node) or node
    return (
        get_user_model()
        .objects.filter(role__in=GRID_WORKER_ROLES, is_active=True, org_node__path__startswith=community.path)
        .prefetch_related("grids")
        .order_by("display_name", "username")
    )


def buildings_visible_to(user: Viewer) -> QuerySet[Building]:
    return _in_scope(
        Building.objects.select_related("grid", "compound"), user, "grid__org_node__path", "grid_id", "pk"
    )


def households_visible_to(user: Viewer) -> QuerySet[Household]:
    return _in_scope(
        Household.objects.select_related("building"),
        user,
        "building__grid__org_node__path",
        "building__grid_id",
        "building_id",
    )


def residents_visible_to(user: Viewer) -> QuerySet[Resident]:
    return _in_scope(
        Resident.objects.select_related("grid", "household"),
        user,
        "grid__org_node__path",
        "grid_id",
        "household__building_id",
    )


def venues_visible_to(user: Viewer) -> QuerySet[Venue]:
    """物: the venues and facilities of the grids the user sees (a building captain: their building's grid)."""
    return _in_scope(Venue.objects.select_related("grid"), user, "grid__org_node__path", "grid_id")


def venue_get_for(user: Viewer, pk: int) -> Venue:
    return get_or_404(venues_visible_to(user), pk=pk)


def visits_visible_to(user: Viewer) -> QuerySet[Visit]:
    """情: the visit log of the grids the user sees; a building captain sees the visits to their building's
    households and their own."""
    qs = _in_scope(
        Visit.objects.select_related("grid", "household", "venue", "visitor"),
        user,
        "grid__org_node__path",
        "grid_id",
    )
    if own_building_only(user):
        qs = qs.filter(Q(household__building_id=getattr(user, "building_id", None) or 0) | Q(visitor=user))
    return qs


def visit_get_for(user: Viewer, pk: int) -> Visit:
    return get_or_404(visits_visible_to(user).prefetch_related("photos"), pk=pk)


def resident_get_for(user: Viewer, pk: int) -> Resident:
    return get_or_404(residents_visible_to(user), pk=pk)


def household_get_for(user: Viewer, pk: int) -> Household:
    return get_or_404(households_visible_to(user).select_related("building__grid", "entrance"), pk=pk)


def building_get_for(user: Viewer, pk: int) -> Building:
    return get_or_404(buildings_visible_to(user).select_related("captain"), pk=pk)


def household_members(household: Household) -> QuerySet[Resident]:
    """The people living in a household now, head first."""
    return (
        Resident.objects.filter(household=household, status=ResidentStatus.PRESENT)
        .select_related("grid", "household")
        .order_by(Case(When(relation=HEAD_RELATION, then=0), default=1), "birth_date", "id")
    )


def resident_history(resident: Resident) -> QuerySet[ResidentEvent]:
    """A person's life events, newest first, with the households they name."""
    return resident.events.select_related("from_household", "to_household", "actor").order_by(
        "-occurred_on", "-id"
    )


def building_households(building: Building) -> QuerySet[Household]:
    """A building's households with the number of people living in each."""
    return (
        Household.objects.filter(building=building)
        .select_related("entrance")
        .annotate(n_present=Count("residents", filter=Q(residents__status=ResidentStatus.PRESENT)))
        .order_by("entrance__number", "room", "code")
    )


# Colours for communities on maps, assigned by position among the visible communities.
PALETTE = [
    "#3b82f6",
    "#ef4444",
    "#10b981",
    "#f59e0b",
    "#8b5cf6",
    "#ec4899",
    "#14b8a6",
    "#f97316",
    "#6366f1",
    "#84cc16",
    "#06b6d4",
    "#e11d48",
]


def org_tree_for(user: Viewer) -> list[dict[str, Any]]:
    """The visible part of the org tree as nested dicts: id, kind, name, code, grid_count, children."""
    nodes = list(
        org_nodes_visible_to(user).order_by("path").values("id", "kind", "name", "code", "parent_id", "path")
    )
    grid_counts = dict(
        grids_visible_to(user)
        .values_list("org_node_id")
        .annotate(n=Count("id"))
        .values_list("org_node_id", "n")
    )
    by_id: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for n in nodes:
        item = {**n, "grid_count": grid_counts.get(n["id"], 0), "children": []}
        by_id[n["id"]] = item
        parent = by_id.get(n["parent_id"])
        (parent["children"] if parent else roots).append(item)
    return roots


def community_overview(user: Viewer, community: OrgNode) -> dict[str, Any]:
    """A community's page, the next step down the tree: its compounds (小区), each with how many of its grids,
    buildings and households the user sees, and the grids and buildings that lie in none of its compounds. A few
    queries, however many compounds."""
    inside = community.path
    grids = grids_visible_to(user).filter(org_node__path__startswith=inside)
    buildings = buildings_visible_to(user).filter(grid__org_node__path__startswith=inside)
    households = households_visible_to(user).filter(building__grid__org_node__path__startswith=inside)

    def per(qs: QuerySet[Any], key: str) -> dict[int | None, int]:
        return dict(qs.order_by().values_list(key).annotate(n=Count("id")).values_list(key, "n"))

    n_grids, n_buildings = per(grids, "org_node_id"), per(buildings, "compound_id")
    n_households = per(households, "building__compound_id")
    compounds = list(
        org_nodes_visible_to(user).filter(parent=community, kind=NodeKind.COMPOUND).order_by("code")
    )
    for c in compounds:
        c.n_grids = n_grids.get(c.pk, 0)  # type: ignore[attr-defined]
        c.n_buildings = n_buildings.get(c.pk, 0)  # type: ignore[attr-defined]
        c.n_households = n_households.get(c.pk, 0)  # type: ignore[attr-defined]
    return {
        "compounds": compounds,
        "grids": list(grids.filter(org_node=community).order_by("code")),
        "buildings": list(
            buildings.filter(compound__isnull=True)
            .annotate(n_households=Count("households"))
            .order_by("code")
        ),
        "totals": {
            "compounds": len(compounds),
            "grids": sum(n_grids.values()),
            "buildings": sum(n_buildings.values()),
            "households": sum(n_households.values()),
        },
    }


def community_of(node: OrgNode) -> OrgNode | None:
    """The community a node belongs to (itself if it is one, its parent for a compound)."""
    if node.kind == "community":
        return node
    if node.kind == "compound":
        return node.parent
    return None


def grids_geojson(user: Viewer, *, community_id: int | None = None) -> dict[str, Any]:
    """Visible grids as a GeoJSON FeatureCollection, with community and colour in each feature's properties."""
    qs = grids_visible_to(user).select_related("org_node__parent").order_by("code")
    if community_id:
        qs = qs.filter(Q(org_node_id=community_id) | Q(org_node__parent_id=community_id))
    features = []
    colours: dict[int, str] = {}
    for g in qs:
        community = community_of(g.org_node) or g.org_node
        colour = colours.setdefault(community.pk, PALETTE[len(colours) % len(PALETTE)])
        features.append(
            {
                "type": "Feature",
                "id": g.pk,
                "geometry": g.boundary,
                "properties": {
                    "id": g.pk,
                    "code": g.code,
                    "name": g.name,
                    "kind": g.kind,
                    "community_id": community.pk,
                    "community_name": community.name,
                    "org_node_id": g.org_node_id,
                    "org_node_name": g.org_node.name,
                    "colour": colour,
                    "url": f"/territory/grids/{g.pk}/",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def grid_profile(grid: Grid) -> dict[str, int]:
    """人房物情 counts for one grid: people and housing, then what higher apps add (party members…)."""
    residents = Resident.objects.filter(grid=grid, status=ResidentStatus.PRESENT)
    today = timezone.localdate()
    sixty = today.replace(year=today.year - 60, day=28 if (today.month, today.day) == (2, 29) else today.day)
    return (
        {
            "residents": residents.count(),
            "households": Household.objects.filter(building__grid=grid).count(),
            "buildings": Building.objects.filter(grid=grid).count(),
            "elderly": residents.filter(birth_date__lte=sixty).count(),
            "elderly_alone": residents.filter(tags__contains=" elderly_alone ").count(),
            "disabled": residents.filter(tags__contains=" disabled ").count(),
            "children_under_3": residents.filter(tags__contains=" child_under_3 ").count(),
            "care_red": residents.filter(care_level="red").count(),
            "care_yellow": residents.filter(care_level="yellow").count(),
            "rented_households": Household.objects.filter(building__grid=grid, is_rented=True).count(),
        }
        | grid_things_and_events(grid)
        | {key: n for part in grid_parts.registered() for key, n in part.counts(grid).items()}
    )


VISIT_WINDOW_DAYS = 30


def grid_things_and_events(grid: Grid) -> dict[str, int]:
    """物 and 情 of one grid: venues (of which small venues, and those with a hazard or broken), visits in the last
    30 days and visits whose follow-up is still open."""
    venues = Venue.objects.filter(grid=grid).aggregate(
        venues=Count("id"),
        small_venues=Count("id", filter=Q(category__in=list(SMALL_VENUES))),
        venue_problems=Count("id", filter=Q(state__in=["hazard", "broken"])),
    )
    since = timezone.now() - dt.timedelta(days=VISIT_WINDOW_DAYS)
    visits = Visit.objects.filter(grid=grid).aggregate(
        visits_30d=Count("id", filter=Q(visited_at__gte=since)),
        follow_ups_open=Count("id", filter=~Q(follow_up="") & Q(follow_up_done_at__isnull=True)),
    )
    return {k: int(v or 0) for k, v in (venues | visits).items()}


def residents_search(
    user: Viewer,
    *,
    q: str = "",
    grid_id: int | None = None,
    tag: str = "",
    care_level: str = "",
    status: str = ResidentStatus.PRESENT,
) -> QuerySet[Resident]:
    """Visible residents matching a name, masked-ID tail or phone fragment, and optional filters; by default
    those living here now (`status` "" for everyone, with those who moved away or died)."""
    qs = residents_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    q = q.strip()
    if q:
        cond = Q(name__contains=q) | Q(household__address__contains=q)
        if q.isdigit() and len(q) >= 4:
            cond |= Q(phone__endswith=q) | Q(id_number_masked__endswith=q)
        qs = qs.filter(cond)
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    if tag:
        qs = qs.filter(tags__contains=f" {tag} ")
    if care_level:
        qs = qs.filter(care_level=care_level)
    return qs.order_by("id")


def roads_visible_to(user: Viewer) -> QuerySet[Road]:
    """The roads kept by the user's subtree and by the nodes above it: a community worker sees the roads of the
    street their community lies in (roads are public geography, kept by streets and districts)."""
    return scope_in_or_above(Road.objects.select_related("org_node"), user, "org_node__path", "org_node_id")


def community_above(path: str) -> OrgNode | None:
    """The community whose compound has this path (a grid's is its compound's): where what is kept per community
    is read for a compound or a grid (the overview's panels). None for a community's path or above, or ""."""
    return OrgNode.objects.filter(kind="community", children__path=path).first() if path else None
