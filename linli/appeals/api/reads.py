"""Reading appeals: the scoped, masked list; the category and transition tables; the assessment figures; the
open whistle requests; one appeal's detail, photo and trace. The literal paths come before "/{appeal_id}",
which would take them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from linli.core.api_paging import limit_param, offset_param, window
from linli.core.errors import NotFound, ValidationFailed
from linli.core.files import file_response

from .. import figures_api, selectors
from ..filters import AppealFilters
from ..schemas import ERRORS, AppealDetailOut, AppealPage, EventOut, WhistleRequestPage
from ..workflow import TRANSITIONS
from .common import appeal_detail, appeal_for, appeal_row, operation_id, router


@router.get("/", response={200: AppealPage, **ERRORS}, operation_id=operation_id("list_appeals"))
def list_appeals(
    request: HttpRequest,
    state: str = "",
    open: bool | None = None,
    kind: str = "",
    category: str = "",
    grid: str = "",
    outcome: str = "",
    tier: str = "",
    received_from: str = "",
    received_to: str = "",
    overdue: bool | None = None,
    q: str = "",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """Appeals visible to the caller, newest first; names and phone numbers are masked. The filters mean what
    they mean on the workbench (appeals/filters.py): state one or several joined by commas, category a category
    or a first-level group, tier the tier it was closed at, q the tracking number, title or address."""
    params = {
        "state": state,
        "open": "" if open is None else str(open).lower(),
        "kind": kind,
        "category": category,
        "grid": grid,
        "outcome": outcome,
        "tier": tier,
        "received_from": received_from,
        "received_to": received_to,
        "overdue": "on" if overdue else "",
        "q": q,
    }
    filters = AppealFilters(params, user=request.user, open_default=False, dropdowns=False)
    if not filters.is_valid():
        raise ValidationFailed(extra={"fields": filters.errors})
    qs = filters.apply(selectors.appeals_visible_to(request.user))
    rows, count = window(qs.order_by("-created_at", "-id"), limit, offset)
    now = timezone.now()
    return {"count": count, "items": [appeal_row(a, now=now) for a in rows]}


@router.get("/categories", auth=None, operation_id=operation_id("categories"))
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    """The active two-level category taxonomy."""
    return selectors.categories_tree()


@router.get("/transitions", auth=None, operation_id=operation_id("transitions"))
def transitions(request: HttpRequest) -> list[dict[str, Any]]:
    """The one table of allowed transitions: action, from states, to state (null: unchanged)."""
    return [
        {"action": name, "from": sorted(t.sources), "to": t.target, "label": str(t.label)}
        for name, t in TRANSITIONS.items()
    ]


# The assessment figures (figures_api.py), registered here: before "/{appeal_id}", which would take "figures".
router.get("/figures")(figures_api.figures_view)
router.get("/figures/units")(figures_api.figures_units)
router.get("/figures/departments")(figures_api.figures_departments)


@router.get(
    "/whistle-requests",
    response={200: WhistleRequestPage, **ERRORS},
    operation_id=operation_id("whistle_requests"),
)
def whistle_requests(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """Open whistle requests (网格吹哨) waiting for a community in the caller's area, the oldest first, a page at
    a time (`limit`, `offset`; `count` is all of them)."""
    rows, count = window(
        selectors.whistle_requests_for(request.user).order_by("raised_at", "pk"), limit, offset
    )
    items = [
        {
            "id": r.pk,
            "appeal_id": r.appeal_id,
            "tracking_number": r.appeal.tracking_number,
            "community": r.community.name,
            "raised_by": (r.raised_by.display_name or r.raised_by.get_username()) if r.raised_by else "",
            "raised_at": r.raised_at,
            "reason": r.reason,
            "status": r.status,
        }
        for r in rows
    ]
    return {"count": count, "items": items}


@router.get("/{appeal_id}", response={200: AppealDetailOut, **ERRORS}, operation_id=operation_id("detail"))
def detail(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    """One appeal with photos, whistle parts, the full trace and the actions the caller may take now."""
    return appeal_detail(request, selectors.appeal_detail(request.user, appeal_id))


@router.get(
    "/{appeal_id}/photos/{photo_id}",
    response=ERRORS,
    url_name="appeal_photo",
    operation_id=operation_id("photo"),
)
def photo(request: HttpRequest, appeal_id: int, photo_id: int) -> HttpResponseBase:
    """One photo of an appeal (the links in `photos`), to those who may see the appeal; JPEG, PNG or WebP,
    re-encoded at upload with no metadata."""
    appeal = appeal_for(request, appeal_id, write=False)
    item = appeal.photos.filter(pk=photo_id).first()
    if item is None:
        raise NotFound()
    return file_response(item.image)


@router.get(
    "/{appeal_id}/trace", response={200: list[EventOut], **ERRORS}, operation_id=operation_id("trace")
)
def trace(request: HttpRequest, appeal_id: int) -> list[Any]:
    return list(selectors.appeal_trace(appeal_for(request, appeal_id, write=False)))
