"""/api/dashboard: the overview's figures, scoped to the signed-in user (API key or session)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from . import selectors
from .periods import DEFAULT_KIND, Period, period_for

router = Router(tags=["dashboard"])


class Filters(Schema):
    """Which unit, period and category every dashboard endpoint reports on."""

    unit: str = Field("", description='"n<id>" an org node, "g<id>" a grid; empty: your own area')
    period: str = Field(
        DEFAULT_KIND,
        description="30d (the last 30 days, as the page opens on), day, week, month, year or custom",
    )
    date: str = Field(
        "", description="a date inside the period, the last day for 30d (YYYY-MM-DD; empty: today)"
    )
    start: str = Field("", description="first day of a custom period")
    end: str = Field("", description="last day of a custom period")
    category: str = Field("", description="category code (empty: all)")


def _params(request: HttpRequest, q: Filters) -> tuple[selectors.Scope, Period, int | None]:
    scope = selectors.scope_for(request.user, q.unit)
    p = period_for(q.period, q.date, q.start, q.end)
    cat = selectors.category_for(q.category)
    return scope, p, cat.pk if cat else None


def _unit(scope: selectors.Scope, period: Period) -> dict[str, Any]:
    return {
        "unit": scope.key,
        "name": scope.name,
        "level": scope.level,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


@router.get("/overview", summary="All figures, trend, categories and ranking for a unit and period")
def overview(request: HttpRequest, q: Query[Filters], step: str = "") -> dict[str, Any]:
    scope, p, cat = _params(request, q)
    data = selectors.overview(scope, p, request.user, category=cat, step=step)
    data["as_of"] = data["as_of"].isoformat() if data["as_of"] else None
    data["ranking_via"] = [{"unit": key, "name": name} for key, name in data["ranking_via"]]
    return {**_unit(scope, p), **data}


@router.get("/figures", summary="The figures of one unit and period")
def figures(request: HttpRequest, q: Query[Filters]) -> dict[str, Any]:
    scope, p, cat = _params(request, q)
    return {**_unit(scope, p), "figures": selectors.figures(scope, p, category=cat)}


@router.get("/ranking", summary="The same figures for each unit one level down")
def ranking(request: HttpRequest, q: Query[Filters]) -> dict[str, Any]:
    scope, p, cat = _params(request, q)
    return {**_unit(scope, p), "units": selectors.ranking(scope, p, request.user, category=cat)}


@router.get("/grids", summary="Figures per grid (for the map)")
def grids(request: HttpRequest, q: Query[Filters]) -> dict[str, Any]:
    scope, p, cat = _params(request, q)
    values = selectors.grid_map(scope, p, request.user, category=cat)
    return {**_unit(scope, p), "grids": [{"id": k, **v} for k, v in sorted(values.items())]}


@router.get("/breached", summary="Appeals that missed their deadline (masked)")
def breached(request: HttpRequest, q: Query[Filters]) -> dict[str, Any]:
    scope, p, cat = _params(request, q)
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
