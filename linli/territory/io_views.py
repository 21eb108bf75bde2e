"""Import and export pages of the territory (/territory/io/): staff with a part of the org tree only."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_POST

from linli.core.audit import audit_record
from linli.core.pages import staff_page
from linli.core.scoping import Account, tree_scope_path

from . import exports
from .exports import XLSX_TYPE, export_workbook, template_workbook
from .imports import (
    COLUMNS,
    KIND_LABELS,
    KINDS,
    ImportResult,
    RowError,
    import_confirm,
    import_preview,
    may_import,
)

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".geojson", ".json")

View = Callable[..., HttpResponse]


def io_staff(view: View) -> View:
    """Staff pages (core.pages.staff_page) for those who govern part of the org tree: not department handlers."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if tree_scope_path(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_page(wrapped)


def _staff_user(request: HttpRequest) -> Account:
    """The signed-in member of staff that `io_staff` let through."""
    user = request.user
    if isinstance(user, AnonymousUser):  # io_staff has sent visitors to the login page already
        raise PermissionDenied
    return user


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What to import"), choices=lambda: [(k, KIND_LABELS[k]) for k in KINDS]
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8 or GB18030) or XLSX; grids and roads also as GeoJSON."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 30 MB; split it into several files."))
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(_("Upload a CSV or XLSX file (grids and roads also as GeoJSON)."))
        return upload


def _kind(value: str, kinds: Any = KINDS) -> str:
    if value not in kinds:
        raise Http404
    return value


def _page_context(
    request: HttpRequest, kind: str, form: ImportForm | None, result: ImportResult | None = None
) -> dict[str, Any]:
    """The page of one kind (`kind`: its upload, template and columns), or the overview of every kind ("").
    The upload is offered only to those who may import the kind; the others (who read) export."""
    return {
        "kind": kind,
        "may_import": bool(kind) and may_import(request.user, kind),
        "kinds": [(k, KIND_LABELS[k]) for k in KINDS],
        # The order to import in is the registered kinds' order, so a kind an app registers later is named too.
        "import_order": pgettext("between the items of a list", ", ").join(
            str(KIND_LABELS[k]) for k in KINDS
        ),
        # An import kind an app registers without rows to export (sensors' devices) is offered no export button.
        "export_kinds": [(k, KIND_LABELS[k]) for k in KINDS if k in exports.ROWS],
        "columns": COLUMNS[kind] if kind else [],
        "form": form,
        "result": result,
        "overview": [] if kind else _overview(),
    }


def _overview() -> list[dict[str, Any]]:
    """Each kind in the order to import them: what a row must give (its required columns) and its export."""
    return [
        {
            "kind": k,
            "label": KIND_LABELS[k],
            "required": [str(c.label()) for c in COLUMNS[k] if c.required],
            "exported": k in exports.ROWS,
        }
        for k in KINDS
    ]


@io_staff
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The kind asked for (`?kind=`), or, opened from the navigation, what can be imported and exported."""
    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        return render(request, "territory/io/index.html", _page_context(request, "", None))
    form = ImportForm(initial={"kind": kind})
    return render(request, "territory/io/index.html", _page_context(request, kind, form))


def _answer(
    request: HttpRequest, kind: str, form: ImportForm, result: ImportResult, pending_id: int | None = None
) -> HttpResponse:
    status = 200 if result.ok else 422
    context = {"result": result, "kind_label": KIND_LABELS[kind], "pending_id": pending_id}
    if request.headers.get("HX-Request"):
        # htmx swaps 2xx responses only by default; the result panel is the answer either way.
        return render(request, "territory/io/result.html", context)
    return render(
        request,
        "territory/io/index.html",
        _page_context(request, kind, form, result) | context,
        status=status,
    )


@io_staff
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Check the file and show its preview: rows to add, rows to change (field by field), rows left alone, and
    every problem by row; nothing is written before the user confirms."""
    form = ImportForm(request.POST, request.FILES)
    kind = request.POST.get("kind", "residents")
    kind = kind if kind in KINDS else "residents"
    if not form.is_valid():
        errors = [
            RowError(0, str(form.fields[f].label) if f in form.fields else "", str(m))
            for f, msgs in form.errors.items()
            for m in msgs
        ]
        return _answer(request, kind, form, ImportResult(kind=kind, errors=errors))
    kind = form.cleaned_data["kind"]
    upload_file = form.cleaned_data["file"]
    result, pending = import_preview(
        actor=_staff_user(request), kind=kind, data=upload_file.read(), filename=upload_file.name
    )
    return _answer(request, kind, form, result, pending.pk if pending else None)


@io_staff
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Write the previewed file (checked again: all or nothing)."""
    try:
        pending_id = int(request.POST.get("pending", ""))
    except ValueError:
        raise Http404 from None
    result = import_confirm(actor=_staff_user(request), pending_id=pending_id)
    kind = result.kind if result.kind in KINDS else "residents"
    return _answer(request, kind, ImportForm(initial={"kind": kind}), result)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@io_staff
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    return _attachment(template_workbook(kind), XLSX_TYPE, f"linli-{kind}-template.xlsx")


@io_staff
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind, exports.ROWS)
    content = export_workbook(kind, request.user)
    audit_record(actor=request.user, action="territory_export", object_type=kind, detail={"masked": True})
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _attachment(content, XLSX_TYPE, f"linli-{kind}-{stamp}.xlsx")


@io_staff
@require_GET
def export_geojson(request: HttpRequest, kind: str) -> HttpResponse:
    content = json.dumps(exports.GEOJSON[kind](request.user), ensure_ascii=False).encode()
    audit_record(
        actor=request.user, action="territory_export", object_type=kind, detail={"format": "geojson"}
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _attachment(content, "application/geo+json", f"linli-{kind}-{stamp}.geojson")
