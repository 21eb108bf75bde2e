"""CSV and XLSX export of a filtered appeal list, with personal data masked (core.masking)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.appeals.models import Appeal
from linli.core.masking import mask_address, mask_name, mask_phone

MAX_ROWS = 100_000


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def headers() -> list[str]:
    return [
        _("Tracking number"),
        _("Received at"),
        _("Category"),
        _("Kind"),
        _("Channel"),
        _("Title"),
        _("Grid"),
        _("Responsible unit"),
        _("State"),
        _("Outcome"),
        _("Resolved at"),
        _("On time"),
        _("Contact (masked)"),
        _("Phone (masked)"),
        _("Address (masked)"),
    ]


def rows(qs: QuerySet[Appeal]) -> Iterable[list[Any]]:
    yes, no = _("Yes"), _("No")
    for a in qs[:MAX_ROWS].iterator(chunk_size=2000):
        yield [
            a.tracking_number,
            _local(a.created_at),
            str(a.category) if a.category_id else "",
            a.get_kind_display(),
            a.get_channel_display(),
            a.title,
            a.grid.name if a.grid_id and a.grid else "",
            a.unit_name,
            a.get_state_display(),
            a.get_outcome_display() if a.outcome else "",
            _local(a.resolved_at),
            "" if a.resolved_on_time is None else (yes if a.resolved_on_time else no),
            mask_name(a.contact_name),
            mask_phone(a.contact_phone),
            mask_address(a.address),
        ]


def appeals_csv(qs: QuerySet[Appeal], *, filename: str) -> HttpResponse:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
    writer = csv.writer(buf)
    writer.writerow(headers())
    writer.writerows(rows(qs))
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def appeals_xlsx(qs: QuerySet[Appeal], *, filename: str, title: str) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Appeals")[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(headers())
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows(qs):
        ws.append(row)
    for col, width in zip(
        "ABCDEFGHIJKLMNO", [18, 17, 22, 10, 12, 30, 14, 18, 10, 12, 17, 8, 10, 14, 20], strict=True
    ):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
