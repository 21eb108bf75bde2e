"""Imports through the API: upload a file for a preview (rows to add, to change field by field, unchanged, and
every problem by row), then confirm it to write. The same services as the import page (territory.imports)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Schema
from ninja.files import UploadedFile

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.scoping import Account, tree_scope_path

from .api import ERRORS, router
from .imports import KINDS, ImportResult, import_confirm, import_preview
from .io_views import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class FieldChangeOut(Schema):
    column: str
    old: str
    new: str


class RowPlanOut(Schema):
    row: int
    label: str
    changes: list[FieldChangeOut]


class ImportOut(Schema):
    kind: str
    preview: bool
    ok: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    masked_skipped: int
    new_rows: list[RowPlanOut]
    changed_rows: list[RowPlanOut]
    errors: list[RowErrorOut]
    pending_id: int | None = None


def _importer(request: HttpRequest) -> Account:
    """Staff who govern part of the org tree (as the import page): not department handlers nor residents."""
    user = request.user
    if tree_scope_path(user) is None:
        raise PermissionDenied(_("Only staff with an area of the org tree may import."))
    return user  # type: ignore[return-value]


def _out(result: ImportResult, pending_id: int | None = None) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "preview": result.preview,
        "ok": result.ok,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "masked_skipped": result.masked_skipped,
        "new_rows": result.new_rows,
        "changed_rows": result.changed_rows,
        "errors": result.errors,
        "pending_id": pending_id,
    }


@router.post("/imports/preview", response={200: ImportOut, **ERRORS}, summary="Preview an import")
def import_preview_api(request: HttpRequest, kind: Form[str], file: File[UploadedFile]) -> Any:
    """Check every row of a CSV/XLSX (grids also GeoJSON) file and list what it would add and change. Nothing
    is written: when the file is valid and changes something, `pending_id` names it for the confirmation.
    A file with problems answers 200 with `ok` false and the problems by row."""
    user = _importer(request)
    if kind not in KINDS:
        raise ValidationFailed(_("Unknown import kind."), extra={"field": "kind"})
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            _("The file is larger than 30 MB; split it into several files."), extra={"field": "file"}
        )
    if not (file.name or "").lower().endswith(UPLOAD_SUFFIXES):
        raise ValidationFailed(
            _("Upload a CSV or XLSX file (grids also as GeoJSON)."), extra={"field": "file"}
        )
    result, pending = import_preview(actor=user, kind=kind, data=file.read(), filename=file.name or "")
    return _out(result, pending.pk if pending else None)


@router.post(
    "/imports/{pending_id}/confirm", response={200: ImportOut, **ERRORS}, summary="Confirm an import"
)
def import_confirm_api(request: HttpRequest, pending_id: int) -> Any:
    """Write a previewed file: checked again against the register as it is now, then written all or nothing
    (`ok` false with the problems when something changed meanwhile). Only the uploader may confirm."""
    return _out(import_confirm(actor=_importer(request), pending_id=pending_id))
