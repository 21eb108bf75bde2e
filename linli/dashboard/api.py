"""/api/dashboard: the overview's figures, scoped to the signed-in user (session auth)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from . import selectors

router = Router(tags=["dashboard"])


def _params(
    request: HttpRequest, unit: str, period: str, date: str, start: str, end: str, category: str
) -> tuple[selectors.Scope, selectors.Period, int | None]:
    scope = selectors.scope_for(request.user, unit)
    p = selectors.period_for(period, date, start, end)
    cat = selectors.category_for(category)
    return scope, p, cat.pk if cat else None


def _unit(scope: selectors.Scope, period: selectors.Period) -> dict[str, Any]:
    return {
        "unit": scope.key,
        "name": scope.name,
        "level": scope.level,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


@router.get("/overview", summary="All figures, trend, categories and ranking for a unit and period")
def overview(
    request: HttpRequest,
    unit: str = "",
    period: str = "month",
    date: str = "",
    start: str = "",
    end: str = "",
    category: str = "",
    step: str = "",
) -> dict[str, Any]:
    scope, p, cat = _params(request, unit, period, date, start, end, category)
    data = selectors.overview(scope, p, request.user, category=cat, step=step)
    data["as_of"] = data["as_of"].isoformat() if data["as_of"] else None
    return {**_unit(scope, p), **data}


@router.get("/figures", summary="The figures of one unit and period")
def figures(
    request: HttpRequest,
    unit: str = "",
    period: str = "month",
    date: str = "",
    start: str = "",
    end: str = "",
    category: str = "",
) -> dict[str, Any]:
    scope, p, cat = _params(request, unit, period, date, start, end, category)
    return {**_unit(scope, p), "figures": selectors.figures(scope, p, category=cat)}


@router.get("/ranking", summary="The same figures for each unit one level down")
def ranking(
    request: HttpRequest,
    unit: str = "",
    period: str = "month",
    date: str = "",
    start: str = "",
    end: str = "",
    category: str = "",
) -> dict[str, Any]:
    scope, p, cat = _params(request, unit, period, date, start, end, category)
    return {**_unit(scope, p), "units": selectors.ranking(scope, p, request.user, category=cat)}


@router.get("/grids", summary="Figures per grid (for the map)")
def grids(
    request: HttpRequest,
    unit: str = "",
    period: str = "month",
    date: str = "",
    start: str = "",
    end: str = "",
    category: str = "",
) -> dict[str, Any]:
    scope, p, cat = _params(request, unit, period, date, start, end, category)
    values = selectors.grid_map(scope, p, request.user, category=cat)
    return {**_unit(scope, p), "grids": [{"id": k, **v} for k, v in sorted(values.items())]}


@router.get("/breached", summary="Appeals that missed their deadline (masked)")
def breached(
    request: HttpRequest,
    unit: str = "",
    period: str = "month",
    date: str = "",
    start: str = "",
    end: str = "",
    category: str = "",
) -> dict[str, Any]:
    scope, p, cat = _params(request, unit, period, date, start, end, category)
    rows = selectors.breached_appeals(scope, p, category=cat)
    return {
        **_unit(scope, p),
        "appeals": [
            {
                "id": a.pk,
                "tracking_number": a.tracking_number,
                "title": a.title,
                "category": str(a.category) if a.category_id else "",
                "unit": a.unit_name,
                "state": a.state,
                "breached_at": a.breached_at.isoformat() if a.breached_at else None,
            }
            for a in rows
        ],
    }
