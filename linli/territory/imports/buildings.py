"""Buildings: each in a grid (its position must lie inside), optionally in a compound, with its entrances."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, shape

from .. import services
from ..models import Building
from ..selectors import grids_visible_to, org_nodes_visible_to
from .base import Importer, Records, parse_float


class BuildingImporter(Importer):
    kind = "buildings"

    def validate(self, records: Records) -> None:
        codes = self.check_codes(records, Building, 40)
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
            if ok:
                self.plan.append(
                    (
                        row,
                        {"grid": grid, "compound": compound, "floors": floors, "entrances": entrances}
                        | {key: rec[key] for key in ("code", "name", "address")}
                        | position,
                    )
                )

    def create(self, **kwargs: Any) -> Building:
        return services.building_create(actor=self.user, **kwargs)
