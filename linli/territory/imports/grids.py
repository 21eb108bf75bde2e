"""Grids: from a GeoJSON FeatureCollection, or from CSV/XLSX with the boundary as GeoJSON text.

Each boundary is checked with a message per kind of fault; interiors must not overlap other grids of the file or
of the database, and a micro-grid must lie in its parent grid. A code already registered in the user's area updates
that grid (name, station, boundary) through `grid_update`; its kind and parents do not change by import."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Polygon, shape

from .. import services
from ..geometry import OVERLAP_TOLERANCE_M2, area_m2_of, polygon_checked
from ..models import Grid
from ..selectors import grids_visible_to, org_nodes_visible_to
from .base import Importer, Records, RowError, cell_text, decode_text, match_header
from .columns import COLUMNS, GRID_KIND_WORDS, Column

__all__ = ["OVERLAP_TOLERANCE_M2", "GridImporter", "feature_records", "geojson_records"]


def geojson_records(data: bytes) -> tuple[Records, list[RowError]]:
    """Grid records from a GeoJSON FeatureCollection: properties mapped to columns, geometry as "boundary"."""
    return feature_records(
        data,
        COLUMNS["grids"],
        "boundary",
        _("The GeoJSON must be a FeatureCollection of Polygon features."),
    )


def feature_records(
    data: bytes, columns: list[Column], geometry_key: str, not_a_collection: str
) -> tuple[Records, list[RowError]]:
    """Records from a GeoJSON FeatureCollection, one a feature: its properties mapped to `columns` (by their
    Chinese or English names) and its geometry under `geometry_key`; `not_a_collection` is the file's error
    when it is some other JSON."""
    try:
        doc = json.loads(decode_text(data))
    except (UnicodeDecodeError, ValueError):
        return [], [RowError(0, "", _("The file is not valid GeoJSON (JSON could not be read)."))]
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        return [], [RowError(0, "", not_a_collection)]
    records: Records = []
    errors: list[RowError] = []
    for number, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(RowError(number, "", _("This item is not a GeoJSON Feature.")))
            continue
        record: dict[str, Any] = {}
        for key, value in (feature.get("properties") or {}).items():
            col = match_header(str(key), columns)
            if col is not None and col.key != geometry_key:
                record[col.key] = cell_text(value)
        record[geometry_key] = feature.get("geometry")
        records.append((number, record))
    return records, errors


class GridImporter(Importer):
    kind = "grids"

    def validate(self, records: Records) -> None:
        codes = self.check_codes(records, Grid, 32, grids_visible_to(self.user).select_related("parent_grid"))
        nodes = self.lookup(
            org_nodes_visible_to(self.user).filter(kind__in=["community", "compound"]),
            (r.get("parent", "") for _row, r in records),
        )
        file_codes = {r.get("code", ""): row for row, r in records}
        parent_grids = self.lookup(
            grids_visible_to(self.user), (r.get("parent_grid", "") for _row, r in records)
        )
        parent_kinds = {code: g.kind for code, g in parent_grids.items()}
        parent_kinds |= {
            r.get("code", ""): GRID_KIND_WORDS.get(r.get("kind", "").lower() or "grid") for _row, r in records
        }
        polygons: dict[int, Polygon] = {}
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "name", "parent")
            ok &= not self.too_long(row, rec, "name", 100) and not self.too_long(row, rec, "station", 100)
            kind = GRID_KIND_WORDS.get(rec.get("kind", "").strip().lower() or "grid")
            if kind is None:
                self.error(row, "kind", _("Unknown kind: use grid or micro-grid."))
                ok = False
            node, found = self.known(row, rec, "parent", nodes)
            ok &= found
            parent_grid = rec.get("parent_grid", "")
            if parent_grid:
                if kind == "grid":
                    self.error(row, "parent_grid", _("Only a micro-grid has a parent grid."))
                    ok = False
                elif parent_grid not in parent_grids and parent_grid not in file_codes:
                    self.unknown_parent(row, "parent_grid", parent_grid)
                    ok = False
                elif parent_kinds.get(parent_grid) == "microgrid":
                    self.error(
                        row, "parent_grid", _("A micro-grid lies in a grid, not in another micro-grid.")
                    )
                    ok = False
            poly = self.check_polygon(row, rec.get("boundary"))
            if poly is None:
                ok = False
            else:
                polygons[row] = poly
            existing = self.existing.get(rec.get("code", ""))
            if ok and existing is not None:
                if (
                    existing.kind,
                    existing.org_node_id,
                    existing.parent_grid.code if existing.parent_grid else "",
                ) != (
                    kind,
                    node.pk if node else None,
                    parent_grid,
                ):
                    self.error(
                        row,
                        "parent",
                        _(
                            "Grid %(code)s keeps its kind and parents; an import changes its name, station and boundary."
                        )
                        % {"code": existing.code},
                    )
                    continue
                proposed = {
                    "name": (existing.name, rec["name"]),
                    "station": (existing.station_name, rec.get("station", "") or existing.station_name),
                    "boundary": (_rings(existing.boundary), _rings(self.boundary)),
                }
                kwargs = {
                    "name": {"name": rec["name"]},
                    "station": {"station_name": rec.get("station", "")},
                    "boundary": {"boundary": self.boundary},
                }
                self.compare(row, existing.code, existing, proposed, kwargs)
                continue
            if ok:
                self.plan.append(
                    (
                        row,
                        {
                            "code": rec["code"],
                            "name": rec["name"],
                            "kind": kind,
                            "org_node": node,
                            "parent_grid": parent_grid,
                            "boundary": self.boundary,
                            "station_name": rec.get("station", ""),
                        },
                    )
                )
        self.check_overlaps(records, polygons, parent_grids)

    def check_polygon(self, row: int, geometry: Any) -> Polygon | None:
        """Check one GeoJSON Polygon, with a message per kind of fault; keeps the parsed dict in self.boundary."""
        if isinstance(geometry, str):
            if not geometry.strip():
                self.error(row, "boundary", _("A value is required."))
                return None
            try:
                geometry = json.loads(geometry)
            except ValueError:
                self.error(row, "boundary", _("The boundary is not GeoJSON text."))
                return None
        try:
            poly = polygon_checked(geometry)
        except ValueError as exc:
            self.error(row, "boundary", str(exc))
            return None
        self.boundary = geometry
        return poly

    def check_overlaps(
        self,
        records: Records,
        polygons: dict[int, Polygon],
        parent_grids: dict[str, Grid],
    ) -> None:
        """Interiors must not overlap (other grids in the file or in the database); a micro-grid lies in its parent."""
        by_row = dict(records)
        items: list[tuple[str, Polygon, str, int]] = []  # code, polygon, parent grid code, row (0 = database)
        updating = set(self.existing)
        for g in Grid.objects.exclude(code__in=updating).values("code", "boundary", "parent_grid__code"):
            try:
                items.append((g["code"], shape(g["boundary"]), g["parent_grid__code"] or "", 0))
            except (ValueError, TypeError, AttributeError, KeyError):
                continue
        for row, poly in polygons.items():
            rec = by_row[row]
            items.append((rec.get("code", ""), poly, rec.get("parent_grid", ""), row))
        tree = STRtree([it[1] for it in items])
        reported: set[tuple[int, int]] = set()
        poly_of = {it[0]: it[1] for it in items}
        for i, (code, poly, parent, row) in enumerate(items):
            if row == 0:
                continue
            for j in tree.query(poly, predicate="intersects"):
                j = int(j)
                if j == i:
                    continue
                other_code, other, other_parent, other_row = items[j]
                if parent == other_code or other_parent == code:
                    continue
                if other_row and (min(i, j), max(i, j)) in reported:
                    continue
                inter = poly.intersection(other)
                if inter.is_empty or area_m2_of(inter) <= OVERLAP_TOLERANCE_M2:
                    continue
                reported.add((min(i, j), max(i, j)))
                if other_row:
                    later, earlier = (
                        (row, (other_code, other_row)) if row > other_row else (other_row, (code, row))
                    )
                    msg = _("The polygon overlaps grid %(code)s in row %(row)d.") % {
                        "code": earlier[0],
                        "row": earlier[1],
                    }
                    self.error(later, "boundary", msg)
                else:
                    msg = _("The polygon overlaps the existing grid %(code)s.") % {"code": other_code}
                    self.error(row, "boundary", msg)
            if parent and parent in poly_of:
                outside = poly.difference(poly_of[parent])
                if not outside.is_empty and area_m2_of(outside) > OVERLAP_TOLERANCE_M2:
                    self.error(row, "boundary", _("The micro-grid reaches outside its parent grid."))

    def update(self, obj: Grid, changes: dict[str, Any]) -> None:
        merged = {k: v for part in changes.values() for k, v in part.items()}
        services.grid_update(actor=self.user, grid=obj, **merged)

    def create(self, **kwargs: Any) -> Grid:
        parent, code = None, kwargs.pop("parent_grid")
        if code:
            parent = self.created.get(code) or Grid.objects.get(code=code)
        grid = services.grid_create(actor=self.user, parent_grid=parent, **kwargs)
        self.created[grid.code] = grid
        return grid

    def write(self) -> int:
        # Grids before micro-grids, so a micro-grid can name a grid from the same file.
        self.plan.sort(key=lambda item: item[1]["kind"] == "microgrid")
        self.created: dict[str, Grid] = {}
        return super().write()


def _rings(boundary: Any) -> Any:
    """A boundary's rings as plain lists of [lng, lat] (what comparing an import with the database needs)."""
    try:
        return [[[float(v) for v in p[:2]] for p in ring] for ring in boundary["coordinates"]]
    except (TypeError, KeyError, ValueError):
        return boundary
