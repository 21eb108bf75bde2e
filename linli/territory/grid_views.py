"""Pages that draw grids: a grid added to a community (or one of its compounds) with its boundary drawn on the map,
and a grid's boundary redrawn with its name, code, station and grid workers (territory/draw.js draws; the services
in `services.grids` check). Community workers and administrators (`SHAPERS`); others do not see the links, and the
pages refuse them (403). A form the service refuses comes back (422) with its error and the shape as drawn."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.core.pages import form_submit, refused_status, staff_page, success_redirect
from linli.core.scoping import Viewer, get_or_404

from . import selectors, services
from .choices import NodeKind
from .models import Grid, OrgNode
from .register_forms import GridForm
from .services.grids import may_draw


def _grid_url(grid: Grid) -> str:
    return reverse("territory:grid", args=[grid.pk])


def grid_nodes_for(user: Viewer) -> list[tuple[int, str]]:
    """The communities a grid may be added to, each followed by its compounds."""
    nodes = selectors.org_nodes_visible_to(user).filter(kind__in=[NodeKind.COMMUNITY, NodeKind.COMPOUND])
    return [
        (n.pk, n.name if n.kind == NodeKind.COMMUNITY else f"{n.parent.name if n.parent else ''} · {n.name}")
        for n in nodes.select_related("parent").order_by("path")
    ]


def _focus_bounds(user: Viewer) -> dict[int, list[list[float]]]:
    """For each community and compound offered, the box around its community's grids (south-west, north-east):
    the map opens on the one chosen."""
    boxes: dict[int, list[float]] = {}
    for g in selectors.grids_visible_to(user).select_related("org_node"):
        community = selectors.community_of(g.org_node) or g.org_node
        box = boxes.get(community.pk, [g.min_lat, g.min_lng, g.max_lat, g.max_lng])
        boxes[community.pk] = [
            min(box[0], g.min_lat),
            min(box[1], g.min_lng),
            max(box[2], g.max_lat),
            max(box[3], g.max_lng),
        ]
    out: dict[int, list[list[float]]] = {}
    nodes = list(
        selectors.org_nodes_visible_to(user).filter(kind__in=[NodeKind.COMMUNITY, NodeKind.COMPOUND])
    )
    # A community without grids yet opens on its street's (or district's) grids, near which its first goes.
    streets = selectors.grids_boxes_around(
        [n for n in nodes if (n.parent_id if n.kind == NodeKind.COMPOUND else n.pk) not in boxes]
    )
    for node in nodes:
        around = boxes.get((node.parent_id if node.kind == NodeKind.COMPOUND else node.pk) or 0)
        if not around and node.pk in streets:
            street = streets[node.pk][1]
            around = [street[1], street[0], street[3], street[2]]
        if around:
            out[node.pk] = [[around[0], around[1]], [around[2], around[3]]]
    return out


def _page(request: HttpRequest, form: GridForm, grid: Grid | None, status: int = 200) -> HttpResponse:
    # The neighbours nearest what is drawn: the grid redrawn, or the community (compound) chosen.
    node = None if grid else _int(str(form["org_node"].value() or ""))
    near = {"grid_id": grid.pk} if grid else {"org_node_id": node} if node else {}
    context: dict[str, Any] = {
        "form": form,
        "grid": grid,
        "neighbours_url": reverse("territory:grid_neighbours") + (f"?{urlencode(near)}" if near else ""),
        "focus_bounds": "" if grid else json.dumps(_focus_bounds(request.user)),
    }
    return render(request, "territory/grid_form.html", context, status=status)


def _int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None


def _drawer(request: HttpRequest) -> None:
    if not may_draw(request.user):
        raise PermissionDenied


@staff_page
@require_GET
def grid_neighbours(request: HttpRequest) -> JsonResponse:
    """The other communities' grids around the drawer's street, outline and name only, the nearest what is drawn
    (`?grid_id=`, `?org_node_id=`) first: the drawing map shows them to snap to, as the service checks a boundary
    against them."""
    _drawer(request)
    ids = {key: request.GET.get(key, "") for key in ("grid_id", "org_node_id")}
    if any(value and _int(value) is None for value in ids.values()):
        raise Http404
    near = selectors.drawn_near(request.user, **{key: _int(value) for key, value in ids.items()})
    return JsonResponse(selectors.neighbours_geojson(request.user, near=near))


@staff_page
def grid_add(request: HttpRequest) -> HttpResponse:
    _drawer(request)
    nodes = grid_nodes_for(request.user)
    # The community chosen (posted, or named by the link: ?node=), else the user's own, else the first offered.
    ids = [pk for pk, _name in nodes]
    chosen = request.POST.get("org_node") or request.GET.get("org_node") or request.GET.get("node") or ""
    own = getattr(request.user, "org_node_id", None)
    node_id = next((pk for pk in (_int(chosen), own) if pk in ids), ids[0] if ids else None)
    if node_id is None:
        raise PermissionDenied
    node = get_or_404(selectors.org_nodes_visible_to(request.user), pk=node_id)
    workers = selectors.grid_worker_candidates(node)
    data = request.POST if request.method == "POST" else None
    form = GridForm(data, nodes=nodes, workers=workers, initial={"org_node": node_id})
    # Another community chosen: its grid workers are offered in place of the first one's, the drawing kept.
    form.fields["org_node"].widget.attrs.update(
        {
            "hx-get": reverse("territory:grid_add"),
            "hx-trigger": "change",
            "hx-target": "#grid-workers",
            "hx-select": "#grid-workers",
            "hx-swap": "outerHTML",
        }
    )

    def add(*, org_node: int, **data: Any) -> Grid:
        node: OrgNode = get_or_404(selectors.org_nodes_visible_to(request.user), pk=org_node)
        return services.grid_add(actor=request.user, org_node=node, **data)

    then = success_redirect(request, lambda g: _("Grid %(name)s added.") % {"name": g.name}, _grid_url)
    return form_submit(request, form, add, then) or _page(request, form, None, refused_status(request))


@staff_page
def grid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _drawer(request)
    grid = selectors.grid_get_for(request.user, pk)
    workers = selectors.grid_worker_candidates(grid.org_node)
    initial = {
        "name": grid.name,
        "code": grid.code,
        "station_name": grid.station_name,
        "workers": list(grid.workers.values_list("pk", flat=True)),
        "boundary": grid.boundary,
    }
    data = request.POST if request.method == "POST" else None
    form = GridForm(data, nodes=None, workers=workers, initial=initial)

    def change(**data: Any) -> Grid:
        return services.grid_change(actor=request.user, grid=grid, **data)

    then = success_redirect(request, _("Saved."), _grid_url)
    return form_submit(request, form, change, then) or _page(request, form, grid, refused_status(request))
