"""Find a place of the territory by what a resident types: a building's name or address, a compound, community or
street, a grid or its station. No external geocoder: the positions are the territory's own (a building's point,
the centre of a grid, the centre of a node's grids). Names and building addresses are public (they hang on the
buildings and at the grid stations); households and people are never searched here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Q

from .addresses import normalize_address
from .choices import NodeKind
from .models import Building, Grid, OrgNode

SEARCH_MIN = 2
SEARCH_LIMIT = 8


@dataclass(frozen=True)
class Place:
    kind: str  # "building", "grid", or an org node kind
    name: str
    detail: str
    lng: float
    lat: float


def places_search(text: str, *, limit: int = SEARCH_LIMIT) -> list[Place]:
    """Places whose name or address contains `text` (buildings first, then grids and org nodes)."""
    text = (text or "").strip()[:60]
    if len(text) < SEARCH_MIN:
        return []
    key = normalize_address(text)
    found: list[Place] = []
    match = Q(name__icontains=text) | Q(address__icontains=text)
    if key:
        match |= Q(address_key__contains=key)
    for b in Building.objects.filter(match).select_related("grid").order_by("name", "id")[:limit]:
        found.append(Place("building", b.name, b.address or b.grid.name, b.lng, b.lat))
    grids = Grid.objects.filter(
        Q(name__icontains=text) | Q(station_name__icontains=text) | Q(code__iexact=text)
    ).select_related("org_node")
    for g in grids.order_by("code")[: max(limit - len(found), 0)]:
        found.append(Place("grid", g.name, g.station_name or g.org_node.name, g.centroid_lng, g.centroid_lat))
    nodes = OrgNode.objects.filter(
        name__icontains=text, kind__in=[NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.COMPOUND]
    ).order_by("path")[: max(limit - len(found), 0)]
    for n in nodes:
        centre = Grid.objects.filter(org_node__path__startswith=n.path).aggregate(
            lng=Avg("centroid_lng"), lat=Avg("centroid_lat")
        )
        if centre["lng"] is not None and centre["lat"] is not None:
            found.append(Place(str(n.kind), n.name, str(n.get_kind_display()), centre["lng"], centre["lat"]))
    return found[:limit]
