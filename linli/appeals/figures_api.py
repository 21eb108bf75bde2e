"""The appeals' assessment figures over the API (/api/appeals/figures/…; api.py registers them on its router):
the figures for the appeals in the caller's scope, per responsible unit, and the summoned departments' ranking
(吹哨报到) — the same figures module the dashboard reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from linli.core.api_refs import not_found_words
from linli.core.errors import ValidationFailed
from linli.territory.models import Organisation, OrgNode
from linli.territory.selectors import org_nodes_visible_to

from . import figures, selectors


def figures_view(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    node: int | None = None,
    organisation: int | None = None,
) -> dict[str, Any]:
    """The assessment figures for appeals created in [start, end] within the caller's scope (see docs): `node` an
    org node the caller sees, `organisation` a unit holding appeals the caller sees; one that names nothing such is
    refused as a parameter (422 naming it), not answered as an address that names nothing (404)."""
    qs = selectors.appeals_visible_to(request.user)
    refused: dict[str, list[str]] = {}
    if node is not None:
        found = org_nodes_visible_to(request.user).filter(pk=node).first()
        if found is None:
            refused["node"] = [not_found_words([node], OrgNode)]
        else:
            qs = qs.filter(org_path__startswith=found.path)
    if organisation is not None:
        if not qs.filter(unit_org_id=organisation).exists() and not _unit_in_reach(request, organisation):
            refused["organisation"] = [not_found_words([organisation], Organisation)]
        qs = qs.filter(unit_org_id=organisation)
    if refused:
        raise ValidationFailed(extra={"fields": refused})
    return figures.compute(qs, start=start, end=end).as_dict()


def _unit_in_reach(request: HttpRequest, organisation: int) -> bool:
    """A unit the caller may see figures of although none of its appeals is in view: one they may dispatch to or
    summon, or their own."""
    own = getattr(request.user, "organisation_id", None)
    return own == organisation or selectors.organisations_for(request.user).filter(pk=organisation).exists()


def figures_units(request: HttpRequest, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The same figures per responsible unit, for the appeals in the caller's scope."""
    qs = selectors.appeals_visible_to(request.user)
    return [{"unit": name, **f.as_dict()} for name, f in figures.compute_by_unit(qs, start=start, end=end)]


def figures_departments(request: HttpRequest, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """吹哨报到: summoned units ranked by report-in on time, parts finished on time and satisfaction, over the
    parts summoned in the period on the appeals in the caller's scope (the dashboard's ranking, same figures)."""
    qs = selectors.appeals_visible_to(request.user)
    return [r.as_dict() for r in figures.department_ranking(qs, start=start, end=end)]
