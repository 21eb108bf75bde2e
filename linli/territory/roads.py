"""Roads as an import and export kind: a GeoJSON FeatureCollection of LineString features (one per stretch of
road between junctions), or CSV/XLSX with the geometry as GeoJSON text. Registered in TerritoryConfig.ready()
through the registries every app uses (`imports.register_kind`, `exports.register_kind`).

A real district's roads come from its surveying office or from OpenStreetMap (a `highway=*` extract converted to
GeoJSON, split at junctions): stretches that meet must share the exact end position, so that the network is a
graph a walking route can be searched on. The export writes what the import reads, so a file round-trips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import ValidationFailed
from linli.core.roles import Role

from . import exports, imports, services
from .choices import RoadKind
from .imports import Column, Importer, Records, RowError
from .imports.grids import feature_records
from .models import Road
from .selectors import Viewer, org_nodes_visible_to, roads_visible_to

KIND = "roads"
LABEL = gettext_lazy("Roads")
KIND_ZH = {"arterial": "主干路", "secondary": "次干路", "branch": "支路", "lane": "小区道路"}
KIND_WORDS = {v: k for k, v in KIND_ZH.items()} | {k: k for k in KIND_ZH}
COLUMNS = [
    Column("code", "道路编码", True, gettext_lazy("Unique code of this stretch of road."), "JT-GH-03"),
    Column("name", "道路名称", True, gettext_lazy("The road's name; its stretches share it."), "光华路"),
    Column(
        "kind",
        "道路等级",
        False,
        gettext_lazy("Class of road; empty means branch road."),
        "支路",
        " / ".join(KIND_ZH.values()),
    ),
    Column(
        "parent",
        "所属区划代码",
        True,
        gettext_lazy("Division code of the street or district that keeps the road."),
        "110105021",
    ),
    Column(
        "geometry",
        "几何",
        True,
        gettext_lazy("GeoJSON LineString in WGS 84, from junction to junction (tabular files only)."),
        '{"type": "LineString", "coordinates": [[116.46, 39.92], [116.47, 39.92]]}',
    ),
]


def geojson_records(data: bytes) -> tuple[Records, list[RowError]]:
    """Road records from a GeoJSON FeatureCollection: properties mapped to columns, the line as "geometry"."""
    return feature_records(
        data, COLUMNS, "geometry", _("The GeoJSON must be a FeatureCollection of LineString features.")
    )


# Who imports roads besides those who keep the register: the officers of the streets and the district.
ROAD_IMPORTERS = frozenset({Role.STREET_OFFICER, Role.DISTRICT_LEADER})


class RoadImporter(Importer):
    kind = KIND

    @classmethod
    def may_import(cls, user: Viewer) -> bool:
        """Roads belong to a street or the district (`ROAD_KEEPER_KINDS`): their officers import them too, besides
        those who keep the register (a row whose street is outside the importer's area is refused)."""
        return super().may_import(user) or getattr(user, "role", None) in ROAD_IMPORTERS

    def validate(self, records: Records) -> None:
        codes = self.check_codes(records, Road, 40)
        nodes = self.lookup(
            org_nodes_visible_to(self.user).filter(kind__in=services.roads.ROAD_KEEPER_KINDS),
            (r.get("parent", "") for _row, r in records),
        )
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "name", "parent")
            kind = KIND_WORDS.get(str(rec.get("kind", "")).strip().lower() or "branch")
            if kind is None:
                self.error(row, "kind", _("Unknown class of road: use 主干路, 次干路, 支路 or 小区道路."))
                ok = False
            node, found = self.known(row, rec, "parent", nodes)
            ok &= found
            geometry = rec.get("geometry")
            if isinstance(geometry, str):
                try:
                    geometry = json.loads(geometry) if geometry.strip() else None
                except ValueError:
                    self.error(row, "geometry", _("The geometry is not GeoJSON text."))
                    continue
            if not geometry:
                self.error(row, "geometry", _("A value is required."))
                continue
            if not ok:
                continue
            fields = {"code": rec["code"], "name": rec["name"], "kind": kind, "org_node": node}
            try:
                services.roads.road_clean(**fields, geometry=geometry)
            except ValidationFailed as exc:
                self.error(row, str(exc.extra.get("field", "")), str(exc.message))
                continue
            self.plan.append((row, {**fields, "geometry": geometry}))

    def write(self) -> int:
        services.roads_create(actor=self.user, roads=[kwargs for _row, kwargs in self.plan])
        return len(self.plan)


def road_rows(user: Viewer) -> Iterator[list[Any]]:
    for r in roads_visible_to(user).order_by("code").iterator(chunk_size=1000):
        yield [r.code, r.name, KIND_ZH.get(r.kind, r.kind), r.org_node.code, json.dumps(r.geometry)]


def road_feature(road: Road) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": road.pk,
        "geometry": road.geometry,
        "properties": {
            "code": road.code,
            "name": road.name,
            "kind": road.kind,
            "kind_label": str(RoadKind(road.kind).label),
            "parent": road.org_node.code,
            "length_m": road.length_m,
        },
    }


def roads_geojson(user: Viewer) -> dict[str, Any]:
    """The roads the user may see as a GeoJSON FeatureCollection; it re-imports as it is."""
    roads = roads_visible_to(user).order_by("code")
    return {"type": "FeatureCollection", "features": [road_feature(r) for r in roads]}


def register() -> None:
    imports.register_kind(KIND, label=LABEL, columns=COLUMNS, importer=RoadImporter, geojson=geojson_records)
    exports.register_kind(KIND, rows=road_rows, geojson=roads_geojson)
