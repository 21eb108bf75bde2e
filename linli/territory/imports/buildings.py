"""Buildings: each in a grid (its position must lie inside), optionally in a compound, with its entrances.

A code already registered in the user's area updates that building (name, address, position, floors, entrances,
compound) through `building_update`; a building does not change grid by import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, shape

from .. import services
from ..models import Building
from ..selectors import buildings_visible_to, grids_visible_to, org_nodes_visible_to
from .base import Importer, Records, parse_float


class BuildingImporter(Importer):
    kind = "buildings"

    def validate(self, records: Records) -> None:
        codes = self.check_codes(
            records, Building, 40, buildings_visible_to(self.user).prefetch_related("entrances")
        )
        grids = self.lookup(grids_visible_to(self.user), (r.get("grid", "") for _row, r in records))
        compounds = self.lookup(
            org_nodes_visible_to(self.user).filter(kind="compound"),
            (r.get("compound", "") for _row, r in records),
        )
        shapes: dict[str, Polygon] = {}
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "name", "address", "grid", "lng", "lat")
            for key, limit in (("name", 100), ("address", 200)):
                ok &= not self.too_long(row, rec, key, limit)
            grid, found = self.known(row, rec, "grid", grids)
            ok &= found
            compound, found = self.known(row, rec, "compound", compounds)
            ok &= found
            position: dict[str, float] = {}
            for key, limit in (("lng", 180), ("lat", 90)):
                if not rec.get(key):
                    continue
                try:
                    position[key] = parse_float(rec[key])
                    if abs(position[key]) > limit:
                        raise ValueError(rec[key])
                except ValueError:
                    self.error(row, key, _("Not a valid coordinate."))
                    ok = False
            floors, valid = self.whole_number(row, rec, "floors", 1, 1, 200)
            ok &= valid
            entrances, valid = self.whole_number(row, rec, "entrances", 0, 0, 99)
            ok &= valid
            if grid is not None and len(position) == 2:
                poly = shapes.get(grid.code) or shapes.setdefault(grid.code, shape(grid.boundary))
                if not poly.buffer(1e-7).covers(Point(position["lng"], position["lat"])):
                    self.error(
                        row, "lng", _("The position lies outside grid %(code)s.") % {"code": grid.code}
                    )
                    ok = False
            existing = self.existing.get(rec.get("code", ""))
            if ok and existing is not None:
                if grid is not None and existing.grid_id != grid.pk:
                    self.error(
                        row,
                        "grid",
                        _("Building %(code)s lies in grid %(grid)s; it does not move to another grid.")
                        % {"code": existing.code, "grid": existing.grid.code},
                    )
                    continue
                self.compare_building(row, rec, existing, position, compound, floors, entrances)
                continue
            if ok:
                self.plan.append(
                    (
                        row,
                        {"grid": grid, "compound": compound, "floors": floors, "entrances": entrances}
                        | {key: rec[key] for key in ("code", "name", "address")}
                        | position,
                    )
                )

    def compare_building(
        self,
        row: int,
        rec: dict[str, str],
        b: Building,
        position: dict[str, float],
        compound: Any,
        floors: int,
        entrances: int,
    ) -> None:
        proposed: dict[str, tuple[Any, Any]] = {
            "name": (b.name, rec["name"]),
            "address": (b.address, rec["address"]),
            "lng": ((b.lng, b.lat), (position["lng"], position["lat"])),
        }
        kwargs: dict[str, Any] = {
            "name": {"name": rec["name"]},
            "address": {"address": rec["address"]},
            "lng": position,
        }
        if rec.get("compound"):
            proposed["compound"] = (b.compound, compound)
            kwargs["compound"] = {"compound": compound}
        if rec.get("floors"):
            proposed["floors"] = (b.floors, floors)
            kwargs["floors"] = {"floors": floors}
        if rec.get("entrances"):
            proposed["entrances"] = (len(b.entrances.all()), entrances)
            kwargs["entrances"] = {"entrances": entrances}
        self.compare(row, b.code, b, proposed, kwargs)

    def update(self, obj: Building, changes: dict[str, Any]) -> None:
        merged = {k: v for part in changes.values() for k, v in part.items()}
        services.building_update(actor=self.user, building=obj, **merged)

    def create(self, **kwargs: Any) -> Building:
        return services.building_create(actor=self.user, **kwargs)
