"""Locating: point → grid through an in-memory STRtree, address text → building by normalised match.

The point index holds every grid polygon of the database in a shapely 2 `STRtree`, built lazily once per process
and shared by its threads. It is a snapshot (linli.core.snapshots) of the versions "grids" and "org_tree", which
the territory services bump when they change a grid or an org node: the process that made the change sees it at
once, every other process within LINLI_SNAPSHOT_RECHECK_SECONDS. A lookup runs no query between rechecks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db.models import CharField, F, Value
from django.db.models.functions import Length
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Point, shape

from linli.core.errors import ValidationFailed
from linli.core.orgpath import path_ids
from linli.core.snapshots import Snapshot

from .addresses import normalize_address
from .choices import GridKind
from .models import Building, Grid, OrgNode

GRIDS = "grids"  # snapshot names the territory services bump
ORG_TREE = "org_tree"


@dataclass(frozen=True)
class OrgNodeRef:
    id: int
    kind: str
    name: str
    code: str


@dataclass(frozen=True)
class LocateResult:
    grid_id: int
    grid_code: str
    grid_name: str
    grid_kind: str
    # The org nodes from the district down to the grid's community or compound.
    chain: list[OrgNodeRef] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "grid": {
                "id": self.grid_id,
                "code": self.grid_code,
                "name": self.grid_name,
                "kind": self.grid_kind,
            },
            "chain": [{"id": n.id, "kind": n.kind, "name": n.name, "code": n.code} for n in self.chain],
        }


@dataclass(frozen=True)
class _Entry:
    grid_id: int
    code: str
    name: str
    kind: str
    org_path: str
    area: float


class _Index:
    """An immutable snapshot of every grid polygon; replaced, never changed, when grids change."""

    def __init__(self, entries: list[_Entry], geoms: list[Any]) -> None:
        self.entries = entries
        self.geoms = geoms
        self.tree = STRtree(geoms) if geoms else None

    def find(self, lng: float, lat: float) -> _Entry | None:
        if self.tree is None:
            return None
        point = Point(lng, lat)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits) == 0:
            return None
        if len(hits) == 1:
            return self.entries[int(hits[0])]

        # Several grids: a point strictly inside beats one on an edge; then the most specific (micro-grid,
        # then the smallest area); the code breaks an exact tie so the answer is the same in every process.
        def rank(i: int) -> tuple[bool, bool, float, str]:
            e = self.entries[i]
            inside = bool(shapely.contains_properly(self.geoms[i], point))
            return (not inside, e.kind != GridKind.MICROGRID, e.area, e.code)

        return self.entries[min((int(i) for i in hits), key=rank)]


def _build() -> _Index:
    entries: list[_Entry] = []
    geoms: list[Any] = []
    rows = Grid.objects.values_list("id", "code", "name", "kind", "boundary", "area_m2", "org_node__path")
    for pk, code, name, kind, boundary, area, org_path in rows.order_by("id").iterator(chunk_size=2000):
        try:
            geom = shape(boundary)
        except (TypeError, ValueError, KeyError, AttributeError, shapely.errors.ShapelyError):
            continue  # grids are validated when saved; a corrupt row must not take the locator down
        if geom.is_empty:
            continue
        shapely.prepare(geom)
        geoms.append(geom)
        entries.append(_Entry(pk, code, name, kind, org_path or "", float(area or geom.area)))
    return _Index(entries, geoms)


_index = Snapshot(GRIDS, _build, depends_on=(ORG_TREE,))


def _coordinates(lng: Any, lat: Any) -> tuple[float, float]:
    try:
        x, y = float(lng), float(lat)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Longitude and latitude must be numbers."), extra={"field": "lng/lat"}
        ) from None
    if not (math.isfinite(x) and -180.0 <= x <= 180.0):
        raise ValidationFailed(_("Longitude must be a number between -180 and 180."), extra={"field": "lng"})
    if not (math.isfinite(y) and -90.0 <= y <= 90.0):
        raise ValidationFailed(_("Latitude must be a number between -90 and 90."), extra={"field": "lat"})
    return x, y


def grid_for_point(lng: float, lat: float) -> int | None:
    """The id of the grid containing the point (the micro-grid when there is one), or None. No query per call."""
    x, y = _coordinates(lng, lat)
    entry = _index.get().find(x, y)
    return entry.grid_id if entry else None


def locate_point(lng: float, lat: float) -> LocateResult | None:
    """The grid containing the point and its chain of org nodes from the district down, or None outside."""
    x, y = _coordinates(lng, lat)
    entry = _index.get().find(x, y)
    if entry is None:
        return None
    ids = path_ids(entry.org_path)
    nodes = {n.pk: n for n in OrgNode.objects.filter(pk__in=ids).only("id", "kind", "name", "code")}
    chain = [OrgNodeRef(n.pk, n.kind, n.name, n.code) for n in (nodes.get(i) for i in ids) if n is not None]
    return LocateResult(entry.grid_id, entry.code, entry.name, entry.kind, chain)


def locate_address(text: str) -> Building | None:
    """The building an address names, matched on normalised text.

    First an exact match of the normalised key; otherwise the building with the longest key that the query
    contains, so "北京市朝阳区和平路1号院1号楼2单元301" finds the building "和平路1号院1号楼".
    """
    key = normalize_address(text)
    if not key:
        return None
    qs = Building.objects.select_related("grid", "compound")
    exact = qs.filter(address_key=key).order_by("id").first()
    if exact is not None:
        return exact
    return (
        qs.exclude(address_key="")
        .alias(query=Value(key, output_field=CharField()), key_length=Length("address_key"))
        .filter(query__contains=F("address_key"))
        .order_by("-key_length", "id")
        .first()
    )
