"""The appeals' assessment figures over the API (/api/appeals/figures/…; api.py registers them on its router):
the figures for the appeals in the caller's scope, per responsible unit, and the summoned departments' ranking
(吹哨报到) — the same figures module the dashboard reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from linli.core.scoping import get_or_404
from linli.territory.selectors import org_nodes_visible_to

from . import figures, selectors


def figures_view(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    node: int | None = None,
    organisation: int | None = None,
) -> dict[str, Any]:
    """The assessment figures for appeals created in [start, end] within the caller's scope (see docs)."""
    qs = selectors.appeals_visible_to(request.user)
    if node:
        found = get_or_404(org_nodes_visible_to(request.user), pk=node)
        qs = qs.filter(org_path__startswith=found.path)
    if organisation:
        qs = qs.filter(unit_org_id=organisation)
    return figures.compute(qs, start=start, end=end).as_dict()


def figures_units(request: HttpRequest, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The same figures per responsible unit, for the appeals in the caller's scope."""
    qs = selectors.appeals_visible_to(request.user)
    return [{"unit": name, **f.as_dict()} for name, f in figures.compute_by_unit(qs, start=start, end=end)]


def figures_departments(request: HttpRequest, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """吹哨报到: summoned units ranked by report-in on time, parts finished on time and satisfaction, over the
    parts summoned in the period on the appeals in the caller's scope (the dashboard's ranking, same figures)."""
    qs = selectors.appeals_visible_to(request.user)
    return [r.as_dict() for r in figures.department_ranking(qs, start=start, end=end)]
