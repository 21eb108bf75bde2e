"""Exports of the territory to XLSX (and grids to GeoJSON), in the columns of the import templates.

Every import kind has its export, also those that apps above territory register (party members).

An export is a list, so personal data is masked (phone 138****5678, ID number 1101**********1234); on re-import
masked values are left empty. Every export covers only what the user may see (the territory selectors).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from linli.core.masking import mask_phone

from .imports import CARE_ZH, COLUMNS, GENDER_ZH, GRID_KIND_ZH, KIND_LABELS, TAG_ZH
from .selectors import (
    Viewer,
    buildings_visible_to,
    grids_visible_to,
    households_visible_to,
    residents_visible_to,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def _tags_zh(tags: str) -> str:
    return "、".join(TAG_ZH.get(t, t) for t in tags.split())


def _grid_rows(user: Viewer) -> Iterator[list[Any]]:
    for g in grids_visible_to(user).select_related("parent_grid").order_by("code").iterator(chunk_size=500):
        yield [
            g.code,
            g.name,
            g.org_node.code,
            GRID_KIND_ZH.get(g.kind, g.kind),
            g.parent_grid.code if g.parent_grid else "",
            g.station_name,
            json.dumps(g.boundary, ensure_ascii=False),
        ]


def _building_rows(user: Viewer) -> Iterator[list[Any]]:
    buildings = buildings_visible_to(user).annotate(entrance_count=Count("entrances")).order_by("code")
    for b in buildings.iterator(chunk_size=2000):
        compound = b.compound.code if b.compound else ""
        yield [b.code, b.name, b.address, b.grid.code, compound, b.lng, b.lat, b.floors, b.entrance_count]


def _household_rows(user: Viewer) -> Iterator[list[Any]]:
    households = households_visible_to(user).select_related("entrance").order_by("code")
    for h in households.iterator(chunk_size=2000):
        entrance = h.entrance.number if h.entrance else ""
        yield [h.code, h.building.code, entrance, h.room, "出租" if h.is_rented else "自住"]


def _resident_rows(user: Viewer) -> Iterator[list[Any]]:
    for r in residents_visible_to(user).order_by("id").iterator(chunk_size=2000):
        yield [
            r.name,
            GENDER_ZH.get(r.gender, r.gender),
            r.birth_date,
            r.id_number_masked,
            mask_phone(r.phone),
            r.household.code if r.household else "",
            r.grid.code,
            r.relation,
            _tags_zh(r.tags),
            CARE_ZH.get(r.care_level, r.care_level),
        ]


# The rows of each kind's export; apps above territory add theirs with `register_kind`.
ROWS: dict[str, Callable[[Viewer], Iterator[list[Any]]]] = {
    "grids": _grid_rows,
    "buildings": _building_rows,
    "households": _household_rows,
    "residents": _resident_rows,
}


def register_kind(
    kind: str,
    *,
    rows: Callable[[Viewer], Iterator[list[Any]]],
    geojson: Callable[[Viewer], dict[str, Any]] | None = None,
) -> None:
    """Add the export of an import kind registered with `imports.register_kind` (territory's roads, an app above
    territory's party members…); `geojson` writes it as a FeatureCollection too."""
    ROWS[kind] = rows
    if geojson is not None:
        GEOJSON[kind] = geojson


def export_rows(kind: str, user: Viewer) -> Iterator[list[Any]]:
    """The rows of an export, in the order of COLUMNS[kind], for everything of that kind the user may see."""
    if kind not in ROWS:
        raise ValueError(kind)
    return ROWS[kind](user)


def _header_cells(ws: Any, kind: str) -> list[WriteOnlyCell]:
    cells = []
    for col in COLUMNS[kind]:
        cell = WriteOnlyCell(ws, value=col.label())
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        cells.append(cell)
    return cells


def _set_widths(ws: Any, kind: str) -> None:
    for i, col in enumerate(COLUMNS[kind], start=1):
        ws.column_dimensions[get_column_letter(i)].width = 40 if col.key == "boundary" else 16


def export_workbook(kind: str, user: Viewer) -> bytes:
    """An XLSX of everything of `kind` the user may see; the first sheet re-imports as it is."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(KIND_LABELS[kind]))
    _set_widths(ws, kind)
    ws.append(_header_cells(ws, kind))
    for row in export_rows(kind, user):
        ws.append([_date_cell(ws, v) if isinstance(v, dt.date) else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _date_cell(ws: Any, value: dt.date) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def template_workbook(kind: str) -> bytes:
    """An empty import template: headers on the first sheet, an explanation of each column on the second."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(KIND_LABELS[kind]))
    _set_widths(ws, kind)
    ws.append(_header_cells(ws, kind))
    notes = wb.create_sheet(_("Instructions"))
    for letter, width in zip("ABCDEF", (16, 16, 10, 50, 30, 30), strict=True):
        notes.column_dimensions[letter].width = width
    heads = [_("Column"), _("English header"), _("Required"), _("Description"), _("Values"), _("Example")]
    notes.append([_bold(notes, h) for h in heads])
    for col in COLUMNS[kind]:
        notes.append(
            [col.zh, col.en, _("yes") if col.required else _("no"), str(col.help), col.values, col.example]
        )
    notes.append([])
    notes.append([_("Fill in the first sheet from its second row; do not rename the headers.")])
    notes.append([_("Rows are checked all together: if any row is wrong, nothing is imported.")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bold(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = _HEADER_FONT
    cell.alignment = Alignment(vertical="top")
    return cell


def grids_geojson_export(user: Viewer) -> dict[str, Any]:
    """Visible grids as a GeoJSON FeatureCollection with the import's property names; it re-imports as it is."""
    features = []
    for g in grids_visible_to(user).select_related("parent_grid").order_by("code"):
        features.append(
            {
                "type": "Feature",
                "geometry": g.boundary,
                "properties": {
                    "code": g.code,
                    "name": g.name,
                    "parent": g.org_node.code,
                    "kind": g.kind,
                    "parent_grid": g.parent_grid.code if g.parent_grid else "",
                    "station": g.station_name,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# The kinds also exported as GeoJSON (each re-imports as it is); `register_kind` adds more.
GEOJSON: dict[str, Callable[[Viewer], dict[str, Any]]] = {"grids": grids_geojson_export}
