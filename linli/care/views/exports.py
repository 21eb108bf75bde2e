"""The masked CSV exports (care plans, mediation cases, legal aid) of what the reader may see; each is audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from linli.core.pages import staff_page

from .. import exports


@staff_page
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in exports.KINDS:
        raise Http404
    return exports.export_csv(request.user, kind)
