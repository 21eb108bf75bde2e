"""Imports of the territory: grids from GeoJSON, buildings, households and residents from CSV/XLSX.

Apps above territory add their own kinds with `register_kind` (party members: linli/party/imports.py). One module
per kind (`grids`, `buildings`, `households`, `residents`); what they share (reading files, matching headers,
parsing cells, the `Importer` base) is in `base`, the columns and the words accepted in cells in `columns`.

An import validates EVERY row first and writes nothing unless all rows are valid; the writes run in one
transaction, so an unexpected error (or data changed by someone else meanwhile) leaves the database as it was.

Import is an update as well as an insert: a row naming what is already registered in the user's area (the code
of a grid, building or household; a person's ID number, or their name and birth date in the same household;
a party member's resident) changes it instead of failing, through the same services as the pages (audited; a
resident placed in another household moves, with a life event). An empty or masked cell leaves the stored value
as it is. `territory_import(preview=True)` checks only and lists what would be added, changed (field by field)
and left alone; the pages show that preview and write only once the user confirms. The result lists, per row, the column
and what is wrong, in the user's language. Rows whose parent lies outside the importing user's scope are
reported as "unknown parent": a community worker cannot import into another community.

Import in this order, each kind referring to the one before by its code:
grids → buildings → households → residents (→ party members).

Files
- CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (what Chinese Excel writes); detected.
- XLSX: the first sheet; the first row holds the column headers.
- Grids: a GeoJSON FeatureCollection of Polygon features whose properties use the keys below, or a CSV/XLSX
  with a "boundary" column holding each Polygon geometry as GeoJSON text (what the grid export writes).
  Roads (linli/territory/roads.py) likewise, as LineString features, one per stretch between junctions.
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
households  户编码/code*, 楼栋编码/building*, 单元/entrance, 房号/room*, 自住/出租/rented (自住/出租)
residents   姓名/name*, 性别/gender (男/女), 出生日期/birth_date, 身份证号/id_number, 联系电话/phone,
            户编码/household, 网格编码/grid, 与户主关系/relation, 标签/tags (独居老人、残疾人…), 关爱等级/care_level
            (红码/黄码/绿码). Gender and birth date may be left empty when the ID number is given; a household or a
            grid is required.
The headers and the words in cells are those the register's pages show (关爱等级, 3岁以下婴幼儿, 红码); a file
from an older template, with 是否出租, 手机号, 照护等级 (`Column.former`) and 是/否, 三岁以下儿童, 红/黄/绿, is
read as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.scoping import Account, ScopedUser, Viewer

from ..models import PendingImport
from .base import (
    FieldChange,
    Importer,
    ImportResult,
    Records,
    RowError,
    RowPlan,
    chunked,
    display,
    is_masked,
    read_rows,
    table_records,
)
from .buildings import BuildingImporter
from .columns import (
    CARE_ZH,
    COLUMNS,
    GENDER_ZH,
    GRID_KIND_ZH,
    KIND_LABELS,
    KINDS,
    TAG_ZH,
    Column,
)
from .grids import GridImporter, geojson_records
from .households import HouseholdImporter
from .residents import ResidentImporter

__all__ = [
    "CARE_ZH",
    "COLUMNS",
    "GENDER_ZH",
    "GRID_KIND_ZH",
    "IMPORTERS",
    "KINDS",
    "KIND_LABELS",
    "TAG_ZH",
    "Column",
    "FieldChange",
    "ImportResult",
    "Importer",
    "Records",
    "ResidentImporter",
    "RowError",
    "RowPlan",
    "chunked",
    "display",
    "import_confirm",
    "import_preview",
    "is_masked",
    "may_import",
    "register_kind",
    "territory_import",
]

IMPORTERS: dict[str, Callable[[ScopedUser], Importer]] = {
    "grids": GridImporter,
    "buildings": BuildingImporter,
    "households": HouseholdImporter,
    "residents": ResidentImporter,
}
# The kinds that also read a GeoJSON FeatureCollection (.geojson or .json): its features' records.
GEOJSON_READERS: dict[str, Callable[[bytes], tuple[Records, list[RowError]]]] = {"grids": geojson_records}


def register_kind(
    kind: str,
    *,
    label: Any,
    columns: list[Column],
    importer: Callable[[ScopedUser], Importer],
    geojson: Callable[[bytes], tuple[Records, list[RowError]]] | None = None,
) -> None:
    """Add an import kind (territory's roads, an app above territory's party members…), imported after the
    territory's own; `geojson` reads the kind's records from a GeoJSON file too."""
    if kind not in KINDS:
        KINDS.append(kind)
    KIND_LABELS[kind] = label
    COLUMNS[kind] = columns
    IMPORTERS[kind] = importer
    if geojson is not None:
        GEOJSON_READERS[kind] = geojson


def may_import(user: Viewer, kind: str) -> bool:
    """Whether `user` may import `kind` (its importer's `may_import`; by default those who keep the register)."""
    factory = IMPORTERS.get(kind)
    return factory is not None and getattr(factory, "may_import", Importer.may_import)(user)


def territory_import(
    *, actor: ScopedUser, kind: str, data: bytes, filename: str, preview: bool = False
) -> ImportResult:
    """Validate every row of the file and, only if all are valid, write them in one transaction: new rows
    created, existing ones changed. `preview`: check and list what would be written, write nothing."""
    if kind not in IMPORTERS:
        raise ValidationFailed(_("Unknown import kind."), extra={"field": "kind"})
    if not may_import(actor, kind):
        raise PermissionDenied(_("Your role may export this list but not import it."))
    result = ImportResult(kind=kind, preview=preview)
    if kind in GEOJSON_READERS and filename.lower().endswith((".geojson", ".json")):
        records, errors = GEOJSON_READERS[kind](data)
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
    result.new_rows = importer.planned_new()
    result.changed_rows = importer.changed_rows
    result.unchanged = importer.unchanged
    if preview:
        return result
    try:
        with transaction.atomic():
            result.created = importer.write()
            result.updated = importer.write_updates()
    except ValidationFailed as exc:
        result.created = result.updated = 0
        column = importer.cols.get(str(exc.extra.get("field", "")))
        result.errors = [RowError(importer.current_row, column.label() if column else "", str(exc.message))]
    except IntegrityError:
        result.created = result.updated = 0
        result.errors = [
            RowError(0, "", _("The data changed while the file was being checked; upload it again."))
        ]
    return result


# A preview waits this long for its confirmation; older ones are dropped.
PENDING_FOR = dt.timedelta(hours=12)


def _audit(actor: Account, result: ImportResult, filename: str, action: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=result.kind,
        detail={
            "file": filename,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "errors": len(result.errors),
        },
    )


def import_preview(
    *, actor: Account, kind: str, data: bytes, filename: str
) -> tuple[ImportResult, PendingImport | None]:
    """Check a file and list what it would add, change and leave alone; the file waits (for this user only) for
    `import_confirm` when there is something to write and no row is wrong."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    result = territory_import(actor=actor, kind=kind, data=data, filename=filename, preview=True)
    _audit(actor, result, filename, "territory_import_preview")
    if not result.ok or not result.writes:
        return result, None
    pending = PendingImport.objects.create(actor_id=actor.pk, kind=kind, filename=filename[:200], data=data)
    return result, pending


def import_confirm(*, actor: Account, pending_id: int) -> ImportResult:
    """Write a previewed file: every row checked again against the register as it is now, then all or nothing."""
    pending = PendingImport.objects.filter(
        pk=pending_id, actor_id=actor.pk, created_at__gte=timezone.now() - PENDING_FOR
    ).first()
    if pending is None:
        raise NotFound(_("This preview has expired or was already imported: upload the file again."))
    result = territory_import(
        actor=actor, kind=pending.kind, data=bytes(pending.data), filename=pending.filename
    )
    _audit(actor, result, pending.filename, "territory_import")
    if result.ok:
        pending.delete()
    return result
