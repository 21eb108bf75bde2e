"""Imports of the territory: grids from GeoJSON, buildings, households and residents from CSV/XLSX.

Apps above territory add their own kinds with `register_kind` (party members: linli/party/imports.py).

An import validates EVERY row first and writes nothing unless all rows are valid; the writes run in one
transaction, so an unexpected error (or data changed by someone else meanwhile) leaves the database as it was. The result lists, per row, the column
and what is wrong, in the user's language. Rows whose parent lies outside the importing user's scope are
reported as "unknown parent": a community worker cannot import into another community.

Import in this order, each kind referring to the one before by its code:
grids → buildings → households → residents (→ party members).

Files
- CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (what Chinese Excel writes); detected.
- XLSX: the first sheet; the first row holds the column headers.
- Grids: a GeoJSON FeatureCollection of Polygon features whose properties use the keys below, or a CSV/XLSX
  with a "boundary" column holding each Polygon geometry as GeoJSON text (what the grid export writes).
- Headers may be the Chinese or the English name (case and spaces ignored, "姓名 (name)" works too).
  Columns marked * are required. Empty rows are skipped. Row numbers are spreadsheet rows (the header is row 1);
  for GeoJSON they are feature numbers (the first feature is 1).
- A value containing "*" is a masked value from an export (138****5678); it is left empty on import.

Columns (Chinese / English)
grids       网格编码/code*, 网格名称/name*, 所属区划代码/parent* (division code of a community or compound),
            类型/kind (网格 grid | 微网格 microgrid), 上级网格编码/parent_grid (micro-grids), 网格站/station,
            边界/boundary (GeoJSON Polygon; tabular files only)
buildings   楼栋编码/code*, 楼栋名称/name*, 地址/address*, 网格编码/grid*, 小区区划代码/compound, 经度/lng*,
            纬度/lat*, 层数/floors, 单元数/entrances
households  户编码/code*, 楼栋编码/building*, 单元/entrance, 房号/room*, 是否出租/rented (是/否)
residents   姓名/name*, 性别/gender (男/女), 出生日期/birth_date, 身份证号/id_number, 手机号/phone,
            户编码/household, 网格编码/grid, 与户主关系/relation, 标签/tags (独居老人、残疾人…), 照护等级/care_level
            (红/黄/绿). Gender and birth date may be left empty when the ID number is given; a household or a grid
            is required.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import STRtree
from shapely.geometry import Point, Polygon, shape
from shapely.validation import explain_validity

from linli.core.errors import ValidationFailed
from linli.core.validators import (
    birth_date_from_id,
    gender_from_id,
    validate_id_number,
)

from . import services
from .geometry import area_m2, polygon_from_geojson
from .models import Building, Grid, Household, Resident
from .selectors import buildings_visible_to, grids_visible_to, households_visible_to, org_nodes_visible_to

# The kinds in the order they are imported; apps above territory add theirs with `register_kind`.
KINDS = ["grids", "buildings", "households", "residents"]
KIND_LABELS: dict[str, Any] = {
    "grids": gettext_lazy("Grids"),
    "buildings": gettext_lazy("Buildings"),
    "households": gettext_lazy("Households"),
    "residents": gettext_lazy("Residents"),
}
# Interiors of two grids may share edges; an overlap smaller than this is rounding, not an overlap.
OVERLAP_TOLERANCE_M2 = 1.0
CHUNK = 500


@dataclass(frozen=True)
class Column:
    key: str  # also the English header
    zh: str  # the Chinese header
    required: bool
    help: Any
    example: str = ""
    values: str = ""  # the words accepted, for the import page

    @property
    def en(self) -> str:
        return self.key

    def label(self) -> str:
        """The header in the user's language."""
        return self.zh if (translation.get_language() or "zh").startswith("zh") else self.en


# Vocabulary accepted in cells (Chinese as written by the export, codes and English too).
GENDER_WORDS = {"男": "male", "男性": "male", "m": "male", "male": "male", "女": "female", "女性": "female"}
GENDER_WORDS |= {"f": "female", "female": "female"}
GENDER_ZH = {"male": "男", "female": "女"}
TAG_ZH = {
    "elderly_alone": "独居老人",
    "elderly": "老年人",
    "disabled": "残疾人",
    "child_under_3": "三岁以下儿童",
    "low_income": "低收入",
    "veteran": "退役军人",
    "tenant": "租户",
}
TAG_WORDS = {v: k for k, v in TAG_ZH.items()} | {k: k for k in TAG_ZH} | {"3岁以下儿童": "child_under_3"}
CARE_ZH = {"red": "红", "yellow": "黄", "green": "绿", "": ""}
CARE_WORDS = {"红": "red", "红色": "red", "黄": "yellow", "黄色": "yellow", "绿": "green", "绿色": "green"}
CARE_WORDS |= {"red": "red", "yellow": "yellow", "green": "green", "无": "", "none": ""}
GRID_KIND_ZH = {"grid": "网格", "microgrid": "微网格"}
GRID_KIND_WORDS = {"网格": "grid", "grid": "grid", "微网格": "microgrid", "microgrid": "microgrid"}
GRID_KIND_WORDS |= {"micro-grid": "microgrid"}
YES_WORDS = {"是", "y", "yes", "true", "1", "出租", "租住"}
NO_WORDS = {"否", "n", "no", "false", "0", "自住", ""}
_TAG_SPLIT = re.compile(r"[、,，;；|/\s]+")

_EXAMPLE_POLYGON = '{"type": "Polygon", "coordinates": [[[116.47, 39.92], [116.48, 39.92], [116.48, 39.93], [116.47, 39.92]]]}'
COLUMNS: dict[str, list[Column]] = {
    "grids": [
        Column("code", "网格编码", True, gettext_lazy("Unique grid code"), "G0101"),
        Column("name", "网格名称", True, gettext_lazy("Grid name"), "幸福一网格"),
        Column(
            "parent",
            "所属区划代码",
            True,
            gettext_lazy("Division code of its community or compound"),
            "110105001001",
        ),
        Column("kind", "类型", False, gettext_lazy("Grid (default) or micro-grid"), "网格", "网格 / 微网格"),
        Column(
            "parent_grid",
            "上级网格编码",
            False,
            gettext_lazy("For a micro-grid: the code of the grid it lies in"),
        ),
        Column("station", "网格站", False, gettext_lazy("Name of the grid station"), "幸福网格站"),
        Column(
            "boundary",
            "边界",
            True,
            gettext_lazy("GeoJSON Polygon in longitude/latitude (WGS 84)"),
            _EXAMPLE_POLYGON,
        ),
    ],
    "buildings": [
        Column("code", "楼栋编码", True, gettext_lazy("Unique building code"), "B0101-01"),
        Column("name", "楼栋名称", True, gettext_lazy("Building name"), "1号楼"),
        Column("address", "地址", True, gettext_lazy("Street address"), "和平路1号院1号楼"),
        Column("grid", "网格编码", True, gettext_lazy("Code of the grid the building stands in"), "G0101"),
        Column(
            "compound",
            "小区区划代码",
            False,
            gettext_lazy("Division code of its compound"),
            "110105001001001",
        ),
        Column("lng", "经度", True, gettext_lazy("Longitude (WGS 84)"), "116.4721"),
        Column("lat", "纬度", True, gettext_lazy("Latitude (WGS 84)"), "39.9234"),
        Column("floors", "层数", False, gettext_lazy("Number of floors (default 1)"), "6"),
        Column("entrances", "单元数", False, gettext_lazy("Number of entrances (default 0)"), "2"),
    ],
    "households": [
        Column("code", "户编码", True, gettext_lazy("Unique household code"), "B0101-01-1-101"),
        Column("building", "楼栋编码", True, gettext_lazy("Code of the building"), "B0101-01"),
        Column("entrance", "单元", False, gettext_lazy("Entrance number in the building"), "1"),
        Column("room", "房号", True, gettext_lazy("Room number"), "101"),
        Column("rented", "是否出租", False, gettext_lazy("Rented out or not (default no)"), "否", "是 / 否"),
    ],
    "residents": [
        Column("name", "姓名", True, gettext_lazy("Full name"), "张三"),
        Column(
            "gender", "性别", False, gettext_lazy("May be empty when the ID number is given"), "男", "男 / 女"
        ),
        Column(
            "birth_date",
            "出生日期",
            False,
            gettext_lazy("May be empty when the ID number is given"),
            "1950-03-01",
        ),
        Column("id_number", "身份证号", False, gettext_lazy("18-character resident ID number")),
        Column("phone", "手机号", False, gettext_lazy("Mobile or landline number"), "13812345678"),
        Column("household", "户编码", False, gettext_lazy("Code of the household"), "B0101-01-1-101"),
        Column("grid", "网格编码", False, gettext_lazy("Code of the grid (required without a household)")),
        Column("relation", "与户主关系", False, gettext_lazy("Relation to the head of household"), "户主"),
        Column(
            "tags",
            "标签",
            False,
            gettext_lazy("Tags, several separated by commas"),
            "独居老人",
            "、".join(TAG_ZH.values()),
        ),
        Column(
            "care_level",
            "照护等级",
            False,
            gettext_lazy("Care level of an elderly resident"),
            "黄",
            "红 / 黄 / 绿",
        ),
    ],
}


@dataclass
class RowError:
    row: int  # spreadsheet row (header = 1) or GeoJSON feature number; 0 = the file itself
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    masked_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------- reading files


def _decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.15g}"  # e.g. an ID number Excel stored as a number: 1.10105198001011e+17
    return str(value).strip()


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """All rows of a CSV or XLSX file as lists of text cells; raises ValueError with a user message."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ValueError(_("The file is not a readable XLSX workbook.")) from None
        try:
            sheet = wb.worksheets[0]
            return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            wb.close()
    if name.endswith((".csv", ".txt")):
        try:
            text = _decode_text(data)
        except UnicodeDecodeError:
            raise ValueError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from None
        first = text.split("\n", 1)[0]
        delimiter = max(",\t;", key=first.count) if first else ","
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise ValueError(_("Upload a CSV or XLSX file (grids also as GeoJSON)."))


def _header_key(text: str) -> str:
    return re.sub(r"[\s*_\-]", "", text.replace("\ufeff", "")).lower()


def _match_header(cell: str, columns: Sequence[Column]) -> Column | None:
    names = {_header_key(c.zh): c for c in columns} | {_header_key(c.en): c for c in columns}
    for part in [cell, *re.split(r"[()（）/]", cell)]:
        col = names.get(_header_key(part))
        if col:
            return col
    return None


def table_records(
    kind: str, rows: list[list[str]]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """Map the header to columns; return (row number, {key: text}) for each non-empty row, or header errors."""
    columns = COLUMNS[kind]
    if not rows or not any(rows[0]):
        return [], [RowError(1, "", _("The first row must hold the column headers."))]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for i, cell in enumerate(rows[0]):
        if not cell:
            continue
        col = _match_header(cell, columns)
        if col is None:
            errors.append(RowError(1, cell, _("Unknown column.")))
        elif col.key in positions:
            errors.append(RowError(1, cell, _("This column appears twice.")))
        else:
            positions[col.key] = i
    for col in columns:
        if col.required and col.key not in positions:
            errors.append(RowError(1, col.label(), _("This required column is missing.")))
    if errors:
        return [], errors
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        records.append((number, {k: (row[i] if i < len(row) else "").strip() for k, i in positions.items()}))
    return records, []


def geojson_records(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """Grid records from a GeoJSON FeatureCollection: properties mapped to columns, geometry as "boundary"."""
    try:
        doc = json.loads(_decode_text(data))
    except (UnicodeDecodeError, ValueError):
        return [], [RowError(0, "", _("The file is not valid GeoJSON (JSON could not be read)."))]
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        return [], [RowError(0, "", _("The GeoJSON must be a FeatureCollection of Polygon features."))]
    records: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    columns = COLUMNS["grids"]
    for number, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(RowError(number, "", _("This item is not a GeoJSON Feature.")))
            continue
        record: dict[str, Any] = {}
        for key, value in (feature.get("properties") or {}).items():
            col = _match_header(str(key), columns)
            if col is not None and col.key != "boundary":
                record[col.key] = _cell_text(value)
        record["boundary"] = feature.get("geometry")
        records.append((number, record))
    return records, errors


# ---------------------------------------------------------------------------------------------- cell parsing


def is_masked(value: str) -> bool:
    return "*" in value


_NUMBER_IN_E_NOTATION = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


def id_number_was_a_number(value: str) -> bool:
    """Excel keeps 15 significant digits of a number: an ID number typed into a number cell loses its tail."""
    return bool(_NUMBER_IN_E_NOTATION.fullmatch(value.strip()))


def parse_date(text: str) -> dt.date:
    """A date written as 2024-03-01, 2024/3/1, 2024.3.1, 20240301 or 2024年3月1日; ValueError otherwise."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?", text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _parse_int(text: str, default: int, low: int, high: int) -> int:
    if not text:
        return default
    value = float(text)
    if not value.is_integer() or not low <= value <= high:
        raise ValueError(text)
    return int(value)


# ---------------------------------------------------------------------------------------------- importers


class Importer:
    """Validates all records (collecting errors), then writes them; subclasses per kind."""

    kind = ""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.errors: list[RowError] = []
        self.masked_skipped = 0
        self.current_row = 0
        self.cols = {c.key: c for c in COLUMNS[self.kind]}

    def error(self, row: int, key: str, message: str) -> None:
        col = self.cols.get(key)
        self.errors.append(RowError(row, col.label() if col else key, message))

    def required(self, row: int, rec: dict[str, Any], *keys: str) -> bool:
        ok = True
        for key in keys:
            if not str(rec.get(key) or "").strip():
                self.error(row, key, _("A value is required."))
                ok = False
        return ok

    def too_long(self, row: int, rec: dict[str, str], key: str, limit: int) -> bool:
        if len(rec.get(key, "")) > limit:
            self.error(row, key, _("At most %(n)d characters.") % {"n": limit})
            return True
        return False

    def unmask(self, rec: dict[str, str], key: str) -> str:
        value = rec.get(key, "")
        if value and is_masked(value):
            self.masked_skipped += 1
            return ""
        return value

    def unknown_parent(self, row: int, key: str, code: str) -> None:
        self.error(row, key, _("Unknown parent %(code)s (not found in your area).") % {"code": code})

    def check_codes(
        self, records: list[tuple[int, dict[str, str]]], model: Any, limit: int
    ) -> dict[int, str]:
        """Required, length, duplicates in the file and against the database; returns row → code of valid ones."""
        seen: dict[str, int] = {}
        codes: dict[int, str] = {}
        for row, rec in records:
            code = rec.get("code", "")
            if not self.required(row, rec, "code") or self.too_long(row, rec, "code", limit):
                continue
            if code in seen:
                self.error(row, "code", _("Duplicate code: also in row %(row)d.") % {"row": seen[code]})
                continue
            seen[code] = row
            codes[row] = code
        taken: set[str] = set()
        values = list(codes.values())
        for i in range(0, len(values), CHUNK):
            taken.update(model.objects.filter(code__in=values[i : i + CHUNK]).values_list("code", flat=True))
        for row, code in list(codes.items()):
            if code in taken:
                self.error(row, "code", _("The code %(code)s is already used.") % {"code": code})
                del codes[row]
        return codes

    @staticmethod
    def lookup(qs: Any, values: Iterable[str], field_name: str = "code") -> dict[str, Any]:
        wanted = sorted({v for v in values if v})
        found: dict[str, Any] = {}
        for i in range(0, len(wanted), CHUNK):
            for obj in qs.filter(**{f"{field_name}__in": wanted[i : i + CHUNK]}):
                found[getattr(obj, field_name)] = obj
        return found

    def validate(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        raise NotImplementedError

    def write(self) -> int:
        raise NotImplementedError


class GridImporter(Importer):
    kind = "grids"

    def validate(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        codes = self.check_codes(records, Grid, 32)
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
        self.plan: list[dict[str, Any]] = []
        polygons: dict[int, Polygon] = {}
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "name", "parent")
            ok &= not self.too_long(row, rec, "name", 100) and not self.too_long(row, rec, "station", 100)
            kind = GRID_KIND_WORDS.get(rec.get("kind", "").strip().lower() or "grid")
            if kind is None:
                self.error(row, "kind", _("Unknown kind: use grid or micro-grid."))
                ok = False
            node = nodes.get(rec.get("parent", ""))
            if rec.get("parent") and node is None:
                self.unknown_parent(row, "parent", rec["parent"])
                ok = False
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
            if ok:
                self.plan.append(
                    {
                        "row": row,
                        "code": rec["code"],
                        "name": rec["name"],
                        "kind": kind,
                        "node": node,
                        "parent_grid": parent_grid,
                        "boundary": self.boundary,
                        "station": rec.get("station", ""),
                    }
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
        if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
            self.error(row, "boundary", _("The geometry must be a GeoJSON Polygon."))
            return None
        rings = geometry.get("coordinates")
        if not isinstance(rings, list) or not rings or not all(isinstance(r, list) for r in rings):
            self.error(row, "boundary", _("The polygon has no coordinates."))
            return None
        for ring in rings:
            if not all(
                isinstance(p, list | tuple)
                and len(p) >= 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p[:2])
                for p in ring
            ):
                self.error(row, "boundary", _("Each position must be [longitude, latitude]."))
                return None
            if len(ring) < 4:
                self.error(row, "boundary", _("A polygon ring needs at least 4 positions."))
                return None
            if list(ring[0][:2]) != list(ring[-1][:2]):
                self.error(
                    row, "boundary", _("The ring is not closed: its last position must repeat the first.")
                )
                return None
            for p in ring:
                if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                    self.error(
                        row,
                        "boundary",
                        _("Position (%(lng)s, %(lat)s) is not a longitude/latitude.")
                        % {"lng": p[0], "lat": p[1]},
                    )
                    return None
        poly = shape(geometry)
        if not poly.is_valid:
            reason = explain_validity(poly)
            m = re.search(r"\[([-\d.eE]+) ([-\d.eE]+)\]", reason)
            where = f"({float(m.group(1)):.6f}, {float(m.group(2)):.6f})" if m else ""
            if "Self-intersection" in reason or "Ring Self" in reason:
                self.error(
                    row, "boundary", _("The polygon intersects itself at %(where)s.") % {"where": where}
                )
            else:
                self.error(row, "boundary", _("The polygon is not valid near %(where)s.") % {"where": where})
            return None
        try:
            polygon_from_geojson(geometry)  # the service's own check, so the write cannot fail on it
        except ValueError as exc:
            self.error(row, "boundary", str(exc))
            return None
        self.boundary = geometry
        return poly

    def check_overlaps(
        self,
        records: list[tuple[int, dict[str, Any]]],
        polygons: dict[int, Polygon],
        parent_grids: dict[str, Grid],
    ) -> None:
        """Interiors must not overlap (other grids in the file or in the database); a micro-grid lies in its parent."""
        by_row = dict(records)
        items: list[tuple[str, Polygon, str, int]] = []  # code, polygon, parent grid code, row (0 = database)
        for g in Grid.objects.values("code", "boundary", "parent_grid__code"):
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

    def write(self) -> int:
        created: dict[str, Grid] = {}
        # Grids before micro-grids, so a micro-grid can name a grid from the same file.
        for item in sorted(self.plan, key=lambda p: p["kind"] == "microgrid"):
            self.current_row = item["row"]
            parent = None
            if item["parent_grid"]:
                parent = created.get(item["parent_grid"]) or Grid.objects.get(code=item["parent_grid"])
            created[item["code"]] = services.grid_create(
                actor=self.user,
                code=item["code"],
                name=item["name"],
                org_node=item["node"],
                boundary=item["boundary"],
                kind=item["kind"],
                parent_grid=parent,
                station_name=item["station"],
            )
        return len(created)


def area_m2_of(geom: Any) -> float:
    """Area in square metres of any (multi)polygon result of an intersection."""
    if geom.is_empty or geom.area == 0:
        return 0.0
    polys = [geom] if isinstance(geom, Polygon) else [g for g in getattr(geom, "geoms", []) if g.area > 0]
    return sum(area_m2(p) if isinstance(p, Polygon) else area_m2_of(p) for p in polys)


class BuildingImporter(Importer):
    kind = "buildings"

    def validate(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        codes = self.check_codes(records, Building, 40)
        grids = self.lookup(grids_visible_to(self.user), (r.get("grid", "") for _row, r in records))
        compounds = self.lookup(
            org_nodes_visible_to(self.user).filter(kind="compound"),
            (r.get("compound", "") for _row, r in records),
        )
        shapes: dict[str, Polygon] = {}
        self.plan: list[dict[str, Any]] = []
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "name", "address", "grid", "lng", "lat")
            for key, limit in (("name", 100), ("address", 200)):
                ok &= not self.too_long(row, rec, key, limit)
            grid = grids.get(rec.get("grid", ""))
            if rec.get("grid") and grid is None:
                self.unknown_parent(row, "grid", rec["grid"])
                ok = False
            compound = compounds.get(rec.get("compound", ""))
            if rec.get("compound") and compound is None:
                self.unknown_parent(row, "compound", rec["compound"])
                ok = False
            position: dict[str, float] = {}
            for key, limit in (("lng", 180), ("lat", 90)):
                if not rec.get(key):
                    continue
                try:
                    position[key] = _parse_float(rec[key])
                    if abs(position[key]) > limit:
                        raise ValueError(rec[key])
                except ValueError:
                    self.error(row, key, _("Not a valid coordinate."))
                    ok = False
            floors = entrances = 0
            try:
                floors = _parse_int(rec.get("floors", ""), 1, 1, 200)
            except ValueError:
                self.error(
                    row,
                    "floors",
                    _("Enter a whole number from %(low)d to %(high)d.") % {"low": 1, "high": 200},
                )
                ok = False
            try:
                entrances = _parse_int(rec.get("entrances", ""), 0, 0, 99)
            except ValueError:
                self.error(
                    row,
                    "entrances",
                    _("Enter a whole number from %(low)d to %(high)d.") % {"low": 0, "high": 99},
                )
                ok = False
            if grid is not None and len(position) == 2:
                poly = shapes.get(grid.code) or shapes.setdefault(grid.code, shape(grid.boundary))
                if not poly.buffer(1e-7).covers(Point(position["lng"], position["lat"])):
                    self.error(
                        row, "lng", _("The position lies outside grid %(code)s.") % {"code": grid.code}
                    )
                    ok = False
            if ok:
                self.plan.append(
                    {"row": row, "rec": rec, "grid": grid, "compound": compound, "floors": floors}
                    | {"entrances": entrances, **position}
                )

    def write(self) -> int:
        for item in self.plan:
            self.current_row = item["row"]
            rec = item["rec"]
            services.building_create(
                actor=self.user,
                grid=item["grid"],
                compound=item["compound"],
                code=rec["code"],
                name=rec["name"],
                address=rec["address"],
                lng=item["lng"],
                lat=item["lat"],
                floors=item["floors"],
                entrances=item["entrances"],
            )
        return len(self.plan)


class HouseholdImporter(Importer):
    kind = "households"

    def validate(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        codes = self.check_codes(records, Household, 48)
        buildings = self.lookup(
            buildings_visible_to(self.user).prefetch_related("entrances"),
            (r.get("building", "") for _row, r in records),
        )
        self.plan: list[dict[str, Any]] = []
        for row, rec in records:
            ok = row in codes
            ok &= self.required(row, rec, "building", "room")
            ok &= not self.too_long(row, rec, "room", 20)
            building = buildings.get(rec.get("building", ""))
            if rec.get("building") and building is None:
                self.unknown_parent(row, "building", rec["building"])
                ok = False
            entrance = None
            if rec.get("entrance"):
                try:
                    number = _parse_int(rec["entrance"], 0, 1, 99)
                except ValueError:
                    self.error(
                        row,
                        "entrance",
                        _("Enter a whole number from %(low)d to %(high)d.") % {"low": 1, "high": 99},
                    )
                    ok = False
                else:
                    if building is not None:
                        entrance = next((e for e in building.entrances.all() if e.number == number), None)
                        if entrance is None:
                            self.error(
                                row,
                                "entrance",
                                _("Building %(code)s has no entrance %(n)d.")
                                % {"code": building.code, "n": number},
                            )
                            ok = False
            rented = rec.get("rented", "").strip().lower()
            if rented not in YES_WORDS | NO_WORDS:
                self.error(row, "rented", _("Write yes or no."))
                ok = False
            if ok:
                self.plan.append(
                    {"row": row, "rec": rec, "building": building, "entrance": entrance}
                    | {"rented": rented in YES_WORDS}
                )

    def write(self) -> int:
        for item in self.plan:
            self.current_row = item["row"]
            services.household_create(
                actor=self.user,
                building=item["building"],
                code=item["rec"]["code"],
                room=item["rec"]["room"],
                entrance=item["entrance"],
                is_rented=item["rented"],
            )
        return len(self.plan)


def id_as_number_message() -> str:
    return _("Excel stored the ID number as a number and lost its last digits: format the column as text.")


# Messages for the fields resident_clean names, in the user's language (its own messages are for logs).
def _resident_field_message(field_name: str, raw: str, service_message: str) -> str:
    if field_name == "name":
        return _("A name is required (at most 50 characters).")
    if field_name == "gender":
        return _("Unknown gender %(value)s: write male or female.") % {"value": raw}
    if field_name == "birth_date":
        return _("A value is required.")
    if field_name == "tags":
        return _("Unknown tag %(value)s.") % {"value": raw}
    if field_name == "care_level":
        return _("Unknown care level %(value)s: write red, yellow, green or leave empty.") % {"value": raw}
    return service_message  # ID number and phone: already translated by linli.core.validators


_CLEAN_PLACEHOLDER: dict[str, Any] = {
    "name": "-",
    "gender": "male",
    "birth_date": dt.date(2000, 1, 1),
    "phone": "",
    "id_number": "",
    "tags": (),
    "care_level": "",
}


def clean_resident_fields(values: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Run the service's resident_clean; on a failure, blank the failing field and rerun to find every error.

    Returns (cleaned values or None, {field: message from the service})."""
    values = dict(values)
    failures: dict[str, str] = {}
    for _attempt in range(len(_CLEAN_PLACEHOLDER)):
        try:
            cleaned = services.resident_clean(**values)
        except ValidationFailed as exc:
            name = str(exc.extra.get("field", "name"))
            if name in failures or name not in _CLEAN_PLACEHOLDER:
                failures.setdefault(name, str(exc.message))
                return None, failures
            failures[name] = str(exc.message)
            values[name] = _CLEAN_PLACEHOLDER[name]
            continue
        return (None if failures else cleaned), failures
    return None, failures


def _person_key_of(household_id: int | None, grid_id: int, name: str, birth: dt.date) -> tuple[Any, ...]:
    return (household_id, None if household_id else grid_id, name, birth)


def _person_key(resident: Resident) -> tuple[Any, ...]:
    return _person_key_of(resident.household_id, resident.grid_id, resident.name, resident.birth_date)


class ResidentImporter(Importer):
    kind = "residents"

    def validate(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        households = self.lookup(
            households_visible_to(self.user).select_related("building__grid"),
            (r.get("household", "") for _row, r in records),
        )
        grids = self.lookup(grids_visible_to(self.user), (r.get("grid", "") for _row, r in records))
        today = timezone.localdate()
        self.plan: list[Resident] = []
        self.plan_rows: list[int] = []
        seen_ids: dict[str, int] = {}
        seen_people: dict[tuple[Any, ...], int] = {}
        for row, rec in records:
            ok = True
            household = households.get(rec.get("household", ""))
            if rec.get("household") and household is None:
                self.unknown_parent(row, "household", rec["household"])
                ok = False
            grid = grids.get(rec.get("grid", ""))
            if rec.get("grid") and grid is None:
                self.unknown_parent(row, "grid", rec["grid"])
                ok = False
            if not rec.get("household") and not rec.get("grid"):
                self.error(row, "household", _("Give a household or a grid."))
                ok = False
            if household is not None and grid is not None and household.building.grid_id != grid.pk:
                self.error(
                    row,
                    "grid",
                    _("The household lies in grid %(code)s.") % {"code": household.building.grid.code},
                )
                ok = False
            if self.too_long(row, rec, "relation", 20):
                ok = False
            id_number = self.unmask(rec, "id_number")
            if id_number_was_a_number(id_number):
                self.error(row, "id_number", id_as_number_message())
                ok = False
                id_number = ""
            phone = self.unmask(rec, "phone")
            gender_raw = rec.get("gender", "")
            gender = GENDER_WORDS.get(gender_raw.strip().lower(), gender_raw)
            birth: dt.date | None = None
            if rec.get("birth_date"):
                try:
                    birth = parse_date(rec["birth_date"])
                except ValueError:
                    self.error(row, "birth_date", _("Not a date: write it as 1980-01-31."))
                    ok = False
                else:
                    if birth > today or birth.year < 1890:
                        self.error(row, "birth_date", _("The date is not plausible."))
                        ok = False
            id_valid = ""
            if id_number:
                with contextlib.suppress(ValidationError):  # resident_clean reports it
                    id_valid = validate_id_number(id_number)
            if id_valid:
                if birth is not None and birth != birth_date_from_id(id_valid):
                    self.error(row, "birth_date", _("The birth date does not match the ID number."))
                    ok = False
                if gender in ("male", "female") and gender != gender_from_id(id_valid):
                    self.error(row, "gender", _("The gender does not match the ID number."))
                    ok = False
                birth = birth or birth_date_from_id(id_valid)
                gender = gender or gender_from_id(id_valid)
            tags_raw = [t for t in _TAG_SPLIT.split(rec.get("tags", "")) if t]
            tags = [TAG_WORDS.get(t.lower(), t) for t in tags_raw]
            care_raw = rec.get("care_level", "").strip()
            care = CARE_WORDS.get(care_raw.lower(), care_raw)
            if not gender_raw and not id_valid:
                self.error(row, "gender", _("A value is required."))
                ok = False
                gender = "male"  # reported; let the service check the rest
            values = {
                "name": rec.get("name", ""),
                "gender": gender,
                "birth_date": birth if (birth or not rec.get("birth_date")) else dt.date(2000, 1, 1),
                "phone": phone,
                "id_number": id_number,
                "tags": tags,
                "care_level": care,
            }
            cleaned, failures = clean_resident_fields(values)
            raw = {
                "gender": gender_raw,
                "tags": "、".join(t for t, c in zip(tags_raw, tags, strict=True) if c not in TAG_ZH),
                "care_level": care_raw,
            }
            for name, message in failures.items():
                self.error(row, name, _resident_field_message(name, raw.get(name, ""), message))
            if cleaned is None or not ok:
                continue
            if cleaned["id_number"]:
                first = seen_ids.setdefault(cleaned["id_number"], row)
                if first != row:
                    self.error(
                        row, "id_number", _("Duplicate ID number: also in row %(row)d.") % {"row": first}
                    )
                    continue
            resident = services.resident_build(
                grid=grid or household.building.grid,  # type: ignore[union-attr]
                household=household,
                cleaned=cleaned,
            )
            resident.relation = rec.get("relation", "")
            person = _person_key(resident)
            if person in seen_people:
                self.error(
                    row, "name", _("The same person is also in row %(row)d.") % {"row": seen_people[person]}
                )
                continue
            seen_people[person] = row
            self.plan.append(resident)
            self.plan_rows.append(row)
        self.check_registered_ids()
        self.check_registered_people()

    def check_registered_people(self) -> None:
        """A resident of the same name and birth date already in the household (or grid): a file uploaded twice."""
        planned = {_person_key(r): row for r, row in zip(self.plan, self.plan_rows, strict=True)}
        household_ids = sorted({k[0] for k in planned if k[0] is not None})
        grid_ids = sorted({k[1] for k in planned if k[0] is None})
        existing: set[tuple[Any, ...]] = set()
        for ids, lookup in ((household_ids, "household_id__in"), (grid_ids, "grid_id__in")):
            for i in range(0, len(ids), CHUNK):
                qs = Resident.objects.filter(**{lookup: ids[i : i + CHUNK]})
                if lookup == "grid_id__in":
                    qs = qs.filter(household__isnull=True)
                for values in qs.values_list("household_id", "grid_id", "name", "birth_date"):
                    existing.add(_person_key_of(*values))
        for key in sorted(existing & planned.keys(), key=planned.__getitem__):
            self.error(
                planned[key], "name", _("This person is already registered here (same name and birth date).")
            )

    def check_registered_ids(self) -> None:
        by_hash: dict[str, int] = {
            r.id_number_hash: row
            for r, row in zip(self.plan, self.plan_rows, strict=True)
            if r.id_number_hash
        }
        hashes = list(by_hash)
        taken: set[str] = set()
        for i in range(0, len(hashes), CHUNK):
            found = Resident.objects.filter(id_number_hash__in=hashes[i : i + CHUNK])
            taken.update(h for h in found.values_list("id_number_hash", flat=True) if h)
        for h in sorted(taken, key=by_hash.__getitem__):
            self.error(by_hash[h], "id_number", _("A resident with this ID number is already registered."))

    def write(self) -> int:
        Resident.objects.bulk_create(self.plan, batch_size=1000)
        return len(self.plan)


IMPORTERS: dict[str, Callable[[Any], Importer]] = {
    "grids": GridImporter,
    "buildings": BuildingImporter,
    "households": HouseholdImporter,
    "residents": ResidentImporter,
}


def register_kind(
    kind: str, *, label: Any, columns: list[Column], importer: Callable[[Any], Importer]
) -> None:
    """Add an import kind from an app above territory (party members…), imported after the territory's own."""
    if kind not in KINDS:
        KINDS.append(kind)
    KIND_LABELS[kind] = label
    COLUMNS[kind] = columns
    IMPORTERS[kind] = importer


def territory_import(*, actor: Any, kind: str, data: bytes, filename: str) -> ImportResult:
    """Validate every row of the file and, only if all are valid, write them in one transaction."""
    if kind not in IMPORTERS:
        raise ValidationFailed(_("Unknown import kind."), extra={"field": "kind"})
    result = ImportResult(kind=kind)
    if kind == "grids" and filename.lower().endswith((".geojson", ".json")):
        records, errors = geojson_records(data)
    else:
        try:
            records, errors = table_records(kind, read_rows(data, filename))
        except ValueError as exc:
            records, errors = [], [RowError(0, "", str(exc))]
    result.rows = len(records)
    if errors:
        result.errors = errors
        return result
    if not records:
        result.errors = [RowError(0, "", _("The file holds no rows to import."))]
        return result
    importer = IMPORTERS[kind](actor)
    # Checking only reads, so it runs before the write transaction: SQLite's write lock is held for the writes
    # alone. Anything that changed in between is caught by the services or the unique constraints, and then
    # the whole transaction is undone.
    importer.validate(records)
    result.masked_skipped = importer.masked_skipped
    if importer.errors:
        result.errors = sorted(importer.errors, key=lambda e: e.row)
        return result
    try:
        with transaction.atomic():
            result.created = importer.write()
    except ValidationFailed as exc:
        result.created = 0
        column = importer.cols.get(str(exc.extra.get("field", "")))
        result.errors = [RowError(importer.current_row, column.label() if column else "", str(exc.message))]
    except IntegrityError:
        result.created = 0
        result.errors = [
            RowError(0, "", _("The data changed while the file was being checked; upload it again."))
        ]
    return result
