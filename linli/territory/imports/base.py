"""What every import kind shares: reading the file, matching the headers, parsing cells, and the `Importer`
that checks every record (collecting the errors per row and column) before it writes any."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.masking import mask_phone
from linli.core.scoping import ScopedUser, Viewer

from ..services.common import may_maintain
from .columns import COLUMNS, Column

CHUNK = 500
# One record: its row number (spreadsheet row, header = 1; GeoJSON feature number) and {column key: cell}.
Records = list[tuple[int, dict[str, Any]]]


@dataclass
class RowError:
    row: int  # spreadsheet row (header = 1) or GeoJSON feature number; 0 = the file itself
    column: str
    message: str


@dataclass
class FieldChange:
    column: str  # the column's label
    old: str
    new: str


@dataclass
class RowPlan:
    """What a valid row will do: add a new row (`changes` empty) or change an existing one (`changes`)."""

    row: int
    label: str  # what the row names: a code, or a person's name
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    masked_skipped: int = 0
    preview: bool = False  # True: checked only, nothing written yet
    new_rows: list[RowPlan] = field(default_factory=list)
    changed_rows: list[RowPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def writes(self) -> int:
        """Rows the confirmation will write (or wrote): the new and the changed ones."""
        return len(self.new_rows) + len(self.changed_rows)


# ---------------------------------------------------------------------------------------------- reading files


def decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def cell_text(value: Any) -> str:
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
            return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            wb.close()
    if name.endswith((".csv", ".txt")):
        try:
            text = decode_text(data)
        except UnicodeDecodeError:
            raise ValueError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from None
        first = text.split("\n", 1)[0]
        delimiter = max(",\t;", key=first.count) if first else ","
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise ValueError(_("Upload a CSV or XLSX file (grids and roads also as GeoJSON)."))


def _header_key(text: str) -> str:
    return re.sub(r"[\s*_\-]", "", text.replace("\ufeff", "")).lower()


def match_header(cell: str, columns: Sequence[Column]) -> Column | None:
    names = {_header_key(header): c for c in columns for header in c.headers()}
    for part in [cell, *re.split(r"[()（）/]", cell)]:
        col = names.get(_header_key(part))
        if col:
            return col
    return None


def table_records(kind: str, rows: list[list[str]]) -> tuple[Records, list[RowError]]:
    """Map the header to columns; return (row number, {key: text}) for each non-empty row, or header errors."""
    columns = COLUMNS[kind]
    if not rows or not any(rows[0]):
        return [], [RowError(1, "", _("The first row must hold the column headers."))]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for i, cell in enumerate(rows[0]):
        if not cell:
            continue
        col = match_header(cell, columns)
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


def parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_int(text: str, default: int, low: int, high: int) -> int:
    if not text:
        return default
    value = float(text)
    if not value.is_integer() or not low <= value <= high:
        raise ValueError(text)
    return int(value)


def chunked[T](values: Sequence[T]) -> Iterator[Sequence[T]]:
    """`values` in slices short enough for one `__in` lookup."""
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


# ---------------------------------------------------------------------------------------------- importers


class Importer:
    """Validates all records (collecting errors), then writes them; subclasses per kind.

    A kind whose rows are each written by one service puts (row, the service's arguments) in `plan` and
    defines `create`; the default `write` calls it for each row.

    Import is also an update: a row naming an existing object (its code; a person's ID number) is compared with
    it. `compare` plans the change of the fields that differ (written by the kind's `update`, through the
    services) or counts the row as unchanged. An empty cell leaves the stored value as it is."""

    kind = ""

    @classmethod
    def may_import(cls, user: Viewer) -> bool:
        """Who may import this kind: those who keep the register (`services.common.MAINTAINERS`), as on the pages;
        street officers and district leaders, who read, export only. A kind may say otherwise."""
        return may_maintain(user)

    def __init__(self, user: ScopedUser) -> None:
        self.user = user
        self.errors: list[RowError] = []
        self.masked_skipped = 0
        self.current_row = 0
        self.cols = {c.key: c for c in COLUMNS[self.kind]}
        self.plan: Records = []
        # Changes of existing rows: (row, the object, {field: new value}); and what the preview shows.
        self.updates: list[tuple[int, Any, dict[str, Any]]] = []
        self.changed_rows: list[RowPlan] = []
        self.unchanged = 0

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
        """The code in column `key` names nothing in the user's area: said with the column's header (户编码“H9”…),
        not as a "parent", which only a grid's community is."""
        column = self.cols[key].label() if key in self.cols else key
        message = _("Unknown %(column)s %(code)s (not found in your area).") % {
            "column": column,
            "code": code,
        }
        self.error(row, key, message)

    def known[T](self, row: int, rec: dict[str, str], key: str, found: dict[str, T]) -> tuple[T | None, bool]:
        """The object the cell names (None when empty); a name not found in the user's area is reported."""
        obj = found.get(rec.get(key, ""))
        if rec.get(key) and obj is None:
            self.unknown_parent(row, key, rec[key])
            return None, False
        return obj, True

    def whole_number(
        self, row: int, rec: dict[str, str], key: str, default: int, low: int, high: int
    ) -> tuple[int, bool]:
        """The cell as a whole number from low to high (`default` when empty)."""
        try:
            return parse_int(rec.get(key, ""), default, low, high), True
        except ValueError:
            self.error(
                row, key, _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
            )
            return default, False

    def date(
        self, row: int, rec: dict[str, str], key: str, earliest_year: int
    ) -> tuple[dt.date | None, bool]:
        """The cell as a date not in the future nor before `earliest_year` (None when empty)."""
        if not rec.get(key):
            return None, True
        try:
            value = parse_date(rec[key])
        except ValueError:
            self.error(row, key, _("Not a date: write it as 1980-01-31."))
            return None, False
        if value > timezone.localdate() or value.year < earliest_year:
            self.error(row, key, _("The date is not plausible."))
            return value, False
        return value, True

    def id_number(self, row: int, rec: dict[str, str]) -> tuple[str, bool]:
        """The ID number cell: empty when masked, reported (and empty) when Excel turned it into a number."""
        value = self.unmask(rec, "id_number")
        if id_number_was_a_number(value):
            self.error(
                row,
                "id_number",
                _(
                    "Excel stored the ID number as a number and lost its last digits: format the column as text."
                ),
            )
            return "", False
        return value, True

    def validated(self, row: int, key: str, value: str, validator: Callable[[str], str]) -> tuple[str, bool]:
        """`validator(value)` (a linli.core.validators check); its message is reported on the column."""
        try:
            return validator(value), True
        except ValidationError as exc:
            self.error(row, key, str(exc.messages[0]))
            return value, False

    def planned_new(self) -> list[RowPlan]:
        """The rows that will be added, named by their code (or name)."""
        return [RowPlan(row, str(kw.get("code") or kw.get("name") or "")) for row, kw in self.plan]

    def compare(
        self,
        row: int,
        label: str,
        obj: Any,
        proposed: dict[str, tuple[Any, Any]],
        kwargs: dict[str, Any],
        phones: frozenset[str] = frozenset({"phone"}),
    ) -> None:
        """Plan the change of `obj`: `proposed` maps a column key to (current value, value in the file), compared
        as they are; `kwargs` maps the same keys to what the kind's `update` receives for a changed column. The
        preview shows the columns in `phones` masked (a preview is no place to read a number in clear)."""
        changed = [key for key, (old, new) in proposed.items() if old != new]
        if not changed:
            self.unchanged += 1
            return
        self.updates.append((row, obj, {key: kwargs[key] for key in changed}))
        self.changed_rows.append(
            RowPlan(
                row,
                label,
                [
                    FieldChange(
                        self.cols[key].label(),
                        *(display(mask_phone(v) if key in phones else v) for v in proposed[key]),
                    )
                    for key in changed
                ],
            )
        )

    def check_codes(self, records: Records, model: Any, limit: int, visible: Any = None) -> dict[int, str]:
        """Required, length, duplicates in the file and against the database; returns row → code of valid ones.

        With `visible` (the kind's scoped queryset), a code already registered in the user's area is an update:
        its object goes to `self.existing`; a code used outside it stays an error."""
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
        for chunk in chunked(values):
            taken.update(model.objects.filter(code__in=chunk).values_list("code", flat=True))
        self.existing: dict[str, Any] = self.lookup(visible, taken) if visible is not None else {}
        for row, code in list(codes.items()):
            if code in taken and code not in self.existing:
                self.error(row, "code", _("The code %(code)s is already used.") % {"code": code})
                del codes[row]
        return codes

    @staticmethod
    def lookup(qs: Any, values: Iterable[str], field_name: str = "code") -> dict[str, Any]:
        wanted = sorted({v for v in values if v})
        found: dict[str, Any] = {}
        for chunk in chunked(wanted):
            for obj in qs.filter(**{f"{field_name}__in": chunk}):
                found[getattr(obj, field_name)] = obj
        return found

    def validate(self, records: Records) -> None:
        raise NotImplementedError

    def create(self, **kwargs: Any) -> Any:
        raise NotImplementedError

    def update(self, obj: Any, changes: dict[str, Any]) -> None:
        raise NotImplementedError

    def write(self) -> int:
        for row, kwargs in self.plan:
            self.current_row = row
            self.create(**kwargs)
        return len(self.plan)

    def write_updates(self) -> int:
        for row, obj, changes in self.updates:
            self.current_row = row
            self.update(obj, changes)
        return len(self.updates)


def display(value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, list):  # a boundary's rings
        return _("a polygon of %(n)d points") % {"n": sum(len(r) for r in value if isinstance(r, list))}
    if isinstance(value, tuple):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "code") and hasattr(value, "name"):
        return f"{value.name}（{value.code}）"
    return str(value)
