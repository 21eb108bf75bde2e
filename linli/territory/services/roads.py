"""Roads: the street network kept as data (stretches between junctions, GeoJSON lines), for the maps and for
walking routes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import NodeKind, RoadKind
from ..geometry import line_from_geojson, line_length_m
from ..models import OrgNode, Road
from .common import Actor, invalid

# The nodes that keep roads: a road crosses communities, so a street or the district keeps it.
ROAD_KEEPER_KINDS = (NodeKind.DISTRICT, NodeKind.STREET)


def road_clean(*, code: str, name: str, kind: str, org_node: OrgNode, geometry: Any) -> dict[str, Any]:
    """The checked fields of a road (and its length), or ValidationFailed naming the field."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 40:
        raise invalid("code", _("A road code of 1 to 40 characters is required."))
    if not name or len(name) > 100:
        raise invalid("name", _("A road name of 1 to 100 characters is required."))
    if kind not in RoadKind.values:
        raise invalid("kind", _("Unknown kind of road: %(kind)s") % {"kind": kind})
    if org_node.kind not in ROAD_KEEPER_KINDS:
        raise invalid("org_node", _("A road is kept by a street or a district."))
    try:
        line = line_from_geojson(geometry)
    except ValueError as exc:
        raise invalid("geometry", str(exc)) from None
    coords = [[round(x, 7), round(y, 7)] for x, y in line.coords]
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "org_node": org_node,
        "geometry": {"type": "LineString", "coordinates": coords},
        "length_m": round(line_length_m(line), 1),
    }


@transaction.atomic
def road_create(*, actor: Actor, code: str, name: str, kind: str, org_node: OrgNode, geometry: Any) -> Road:
    """One stretch of road; stretches meeting at a junction share that end position exactly."""
    fields = road_clean(code=code, name=name, kind=kind, org_node=org_node, geometry=geometry)
    if Road.objects.filter(code=fields["code"]).exists():
        raise invalid("code", _("Road code %(code)s is already used.") % {"code": fields["code"]})
    return Road.objects.create(**fields)


@transaction.atomic
def roads_create(*, actor: Actor, roads: list[dict[str, Any]]) -> list[Road]:
    """Many stretches at once (an import, the demo's street network), each checked as `road_create` does."""
    rows = [Road(**road_clean(**road)) for road in roads]
    codes = [r.code for r in rows]
    if len(set(codes)) != len(codes):
        raise invalid("code", _("The same road code is given twice."))
    taken = set(Road.objects.filter(code__in=codes).values_list("code", flat=True))
    if taken:
        raise invalid("code", _("Road code %(code)s is already used.") % {"code": min(taken)})
    return Road.objects.bulk_create(rows, batch_size=500)
