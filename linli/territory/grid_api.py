"""Grids added and redrawn through the API (`POST /api/grids`, `PATCH /api/grids/{id}`), the boundary as GeoJSON:
the same services as the pages (`services.grids`), which check who may, the scope and the boundary's place and
answer a refusal with its field and a message in the caller's language (422)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from linli.core.api_access import staff_caller
from linli.core.api_refs import body_ref, body_refs
from linli.core.errors import invalid

from . import selectors, services
from .api import ERRORS, grid_detail_out, router
from .models import OrgNode
from .register_schemas import GridEdit, GridNew
from .schemas import GridDetail


def _workers(node: OrgNode, ids: list[int]) -> list[Any]:
    """The grid workers named, looked up among those the community may give a grid only (an id outside them is
    refused without saying whose it is)."""
    return body_refs("worker_ids", selectors.grid_worker_candidates(node), ids)


@router.post("/grids", response={201: GridDetail, **ERRORS}, summary="Add a grid, its boundary drawn")
def grid_add(request: HttpRequest, payload: GridNew) -> Any:
    """A grid of a community (or compound) you govern; community workers and administrators only. The boundary
    must be a valid polygon of at least 100 m², overlap no other grid and lie near the community's other grids (a
    community's first grid: near its street's, else its district's)."""
    user = staff_caller(request)
    data = payload.dict()
    node = body_ref("org_node_id", selectors.org_nodes_visible_to(user), data.pop("org_node_id"))
    workers = _workers(node, data.pop("worker_ids"))
    grid = services.grid_add(actor=user, org_node=node, workers=workers, **data)
    return 201, grid_detail_out(grid)


@router.patch("/grids/{grid_id}", response={200: GridDetail, **ERRORS}, summary="Redraw or change a grid")
def grid_change(request: HttpRequest, grid_id: int, payload: GridEdit) -> Any:
    """A grid's boundary redrawn (it must still hold the grid's buildings and micro-grids), its name, code,
    station or grid workers; community workers and administrators only."""
    user = staff_caller(request)
    grid = selectors.grid_get_for(user, grid_id)
    data = payload.dict(exclude_unset=True)
    ids = data.pop("worker_ids", None)
    if ids is not None:  # null, as for the other fields, is "as is"; [] takes every worker off
        data["workers"] = _workers(grid.org_node, ids)
    if data.get("boundary", 0) is None:
        raise invalid("boundary", _("The geometry must be a GeoJSON Polygon."))
    return grid_detail_out(services.grid_change(actor=user, grid=grid, **data))
