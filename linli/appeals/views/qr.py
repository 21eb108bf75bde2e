"""Staff pages for grid-station QR codes: a list of the grids in my scope, each with a PNG and a printable sheet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.accounts.auth import request_account
from linli.core import printing as core_printing
from linli.core.links import public_origin
from linli.core.scoping import get_or_404
from linli.territory.models import Grid
from linli.territory.selectors import grids_visible_to

from .. import qr
from .common import tree_page
from .listing import address_notes, paged


def _grid(request: HttpRequest, code: str) -> Grid:
    """A grid in the user's scope by code; NotFound (the 404 page) otherwise."""
    grids = grids_visible_to(request_account(request)).select_related("org_node__parent__parent")
    return get_or_404(grids, code=code)


@tree_page
def qr_list(request: HttpRequest) -> HttpResponse:
    grids = grids_visible_to(request_account(request)).select_related("org_node").order_by("code")
    q = request.GET.get("q", "").strip()
    if q:
        grids = grids.filter(name__icontains=q) | grids.filter(code__icontains=q)
    page = paged(request, grids, 50)
    base = public_origin(request)
    rows = [(g, qr.grid_appeal_url(g, base)) for g in page.object_list]
    notes = address_notes(request, ["q", "page"], page)
    return render(
        request, "appeals/qr_list.html", {"page": page, "rows": rows, "q": q, "address_notes": notes}
    )


@tree_page
def qr_png(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    png = core_printing.qr_png(qr.grid_appeal_url(grid, public_origin(request)))
    response = HttpResponse(png, content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{grid.code}.png"'
    return response


@tree_page
def qr_sheet(request: HttpRequest, code: str) -> HttpResponse:
    grid = _grid(request, code)
    pdf = qr.grid_sheet_pdf(grid, qr.grid_appeal_url(grid, public_origin(request)))
    return core_printing.pdf_response(pdf, f"qr-sheet-{grid.code}.pdf")
