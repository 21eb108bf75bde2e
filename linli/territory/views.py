"""Staff pages of the territory: org tree, grid map, grid detail and the resident registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from linli.core.clientip import client_ip
from linli.core.masking import mask_address
from linli.core.pages import staff_page
from linli.core.scoping import Viewer, may_see_personal_data

from . import grid_parts, roads, selectors, services
from .choices import CareLevel, NodeKind, ResidentTag
from .crumbs import node_crumbs
from .models import Grid, Resident
from .register_forms import BuildingNewForm, CompoundNewForm
from .services.common import may_maintain, may_visit
from .services.compounds import may_shape

RESIDENTS_PER_PAGE = 50


def _attach_grids(nodes: list[dict[str, Any]], grids_by_node: dict[int, list[dict[str, Any]]]) -> int:
    """Put each node's grids on it and sum grid counts up the tree; returns the subtree's grid total."""
    total = 0
    for node in nodes:
        node["grids"] = grids_by_node.get(node["id"], [])
        node["subtree_grid_count"] = node["grid_count"] + _attach_grids(node["children"], grids_by_node)
        total += node["subtree_grid_count"]
    return total


@staff_page
@require_GET
def org_tree(request: HttpRequest) -> HttpResponse:
    return tree_page(request)


def tree_page(
    request: HttpRequest, compound_form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    """The visible part of the org tree with its grids, and for those who shape the communities the form adding a
    compound (`compound_form` bound, when refused)."""
    roots = selectors.org_tree_for(request.user)
    grids_by_node: dict[int, list[dict[str, Any]]] = {}
    for g in (
        selectors.grids_visible_to(request.user)
        .order_by("code")
        .values("id", "code", "name", "kind", "org_node_id")
    ):
        grids_by_node.setdefault(g["org_node_id"], []).append(dict(g))
    total = _attach_grids(roots, grids_by_node)
    context: dict[str, Any] = {
        "roots": roots,
        "total_grids": total,
        "may_shape": may_shape(request.user),
        "open": "compound" if status != 200 else "",
    }
    if context["may_shape"]:
        context["compound_form"] = compound_form or CompoundNewForm(communities=communities_for(request.user))
    return render(request, "territory/tree.html", context, status=status)


def communities_for(user: Viewer) -> list[tuple[int, str]]:
    """The communities a compound may be added to: those the user governs."""
    nodes = selectors.org_nodes_visible_to(user).filter(kind=NodeKind.COMMUNITY).order_by("code")
    return list(nodes.values_list("pk", "name"))


@staff_page
@require_GET
def grid_map(request: HttpRequest) -> HttpResponse:
    return render(request, "territory/map.html", {})


@staff_page
@require_GET
def grid_map_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.grids_geojson(request.user))


@staff_page
@require_GET
def road_map_data(request: HttpRequest) -> JsonResponse:
    """The street network the maps draw under the grids (no tile server needed)."""
    return JsonResponse(roads.roads_geojson(request.user))


@staff_page
@require_GET
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return grid_page(request, selectors.grid_get_for(request.user, pk))


def grid_page(
    request: HttpRequest, grid: Grid, building_form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    """A grid's profile, boundary, things and events and buildings; for those who keep the register the form
    adding a building (`building_form` bound, when refused)."""
    buildings = grid.buildings.select_related("compound").annotate(n_households=Count("households"))
    context = {
        "grid": grid,
        "crumbs": node_crumbs(request.user, grid.org_node),
        "workers": list(grid.workers.all()),
        "profile": selectors.grid_profile(grid),
        "buildings": list(buildings.order_by("code")),
        "parts": [(part, part.context(grid)) for part in grid_parts.registered()],
        "boundary": grid.boundary,
        "may_visit": may_visit(request.user),
        "may_maintain": may_maintain(request.user),
        "may_draw": may_shape(request.user),
        "building_form": building_form or BuildingNewForm(compounds=compounds_for(request.user, grid)),
        "open": status != 200,
    }
    return render(request, "territory/grid_detail.html", context, status=status)


def compounds_for(user: Viewer, grid: Grid) -> list[tuple[int, str]]:
    """The compounds a new building of `grid` may belong to: the grid's own, or those of its community."""
    if grid.org_node.kind == NodeKind.COMPOUND:
        return [(grid.org_node.pk, grid.org_node.name)]
    nodes = selectors.org_nodes_visible_to(user).filter(kind=NodeKind.COMPOUND, parent=grid.org_node_id)
    return list(nodes.order_by("code").values_list("pk", "name"))


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _decorate(resident: Resident, today: dt.date) -> Resident:
    """Display attributes for a row: age, masked address, and tag labels."""
    labels = dict(ResidentTag.choices)
    address = resident.household.address if resident.household else ""
    room = resident.household.room if resident.household else ""
    keep = max(len(address) - len(room), 0) if room and address.endswith(room) else 6
    resident.age = _age(resident.birth_date, today)  # type: ignore[attr-defined]
    resident.address_masked = mask_address(address, keep=keep) if address else ""  # type: ignore[attr-defined]
    resident.tag_labels = [labels.get(t, t) for t in resident.tag_list]  # type: ignore[attr-defined]
    return resident


@staff_page
@require_GET
def resident_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    q = request.GET.get("q", "").strip()[:50]
    grid_id = _int_or_none(request.GET.get("grid"))
    tag = request.GET.get("tag", "")
    tag = tag if tag in ResidentTag.values else ""
    care = request.GET.get("care", "")
    care = care if care in CareLevel.values else ""
    qs = selectors.residents_search(user, q=q, grid_id=grid_id, tag=tag, care_level=care)
    page = Paginator(qs, RESIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [_decorate(r, today) for r in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    grids = list(selectors.grids_visible_to(user).order_by("code").values("id", "code", "name"))
    context = {
        "page": page,
        "rows": rows,
        "q": q,
        "grid_id": grid_id,
        "tag": tag,
        "care": care,
        "grids": grids,
        # A grid worker of one grid reads its name on every card otherwise (a line of 50 on a phone's page).
        "one_grid": len(grids) == 1,
        "tags": ResidentTag.choices,
        "care_levels": [c for c in CareLevel.choices if c[0]],
        "may_reveal": may_see_personal_data(user),
        "querystring": params.urlencode(),
        "filtered": bool(q or grid_id or tag or care),
    }
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    template = "territory/partials/resident_results.html" if partial else "territory/residents.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_page
@require_POST
def resident_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one resident's phone and ID number in full; only for roles that need them, and always audited."""
    if not may_see_personal_data(request.user):
        raise PermissionDenied
    resident = selectors.resident_get_for(request.user, pk)
    revealed = services.resident_reveal(actor=request.user, resident=resident, ip=client_ip(request) or None)
    row = _decorate(resident, timezone.localdate())
    one_grid = selectors.grids_visible_to(request.user).count() == 1  # the row as the list drew it
    context = {"r": row, "revealed": revealed, "may_reveal": True, "one_grid": one_grid}
    if request.headers.get("HX-Request"):
        return render(request, "territory/partials/resident_row.html", context)
    return render(request, "territory/resident_reveal.html", context)
