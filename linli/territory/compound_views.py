"""Pages that keep a community's layout: a community's page (its compounds, the way down to their grids and
buildings), a compound (小区) added from the org tree, its page (its grids and buildings) where it is renamed,
and a building (楼栋) added on its grid's page with its position picked on the grid's map. Objects come through the scoping selectors (outside the scope: 404); every write is a service call that
checks the scope again; a form the service refuses is shown again with its error and what was typed (422)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.core.pages import form_submit, posted_form, staff_page, success_redirect
from linli.core.scoping import get_or_404

from . import selectors, services
from .choices import NodeKind
from .crumbs import Crumb, node_crumbs
from .models import Building, OrgNode
from .register_forms import BuildingNewForm, CompoundForm, CompoundNewForm
from .services.common import may_maintain
from .services.compounds import may_shape
from .views import communities_for, compounds_for, grid_page, tree_page


def _compound_url(compound: OrgNode) -> str:
    return reverse("territory:compound", args=[compound.pk])


def _node(request: HttpRequest, pk: int, kind: str = NodeKind.COMPOUND) -> OrgNode:
    return get_or_404(selectors.org_nodes_visible_to(request.user).filter(kind=kind), pk=pk)


@staff_page
@posted_form("territory:tree")
def compound_add(request: HttpRequest) -> HttpResponse:
    form = CompoundNewForm(request.POST, communities=communities_for(request.user))

    def add(*, community: int, **data: Any) -> OrgNode:
        return services.compound_add(
            actor=request.user, community=_node(request, community, NodeKind.COMMUNITY), **data
        )

    then = success_redirect(
        request, lambda c: _("Compound %(name)s added.") % {"name": c.name}, _compound_url
    )
    return form_submit(request, form, add, then) or tree_page(request, form, status=422)


def _compound_page(
    request: HttpRequest, compound: OrgNode, form: CompoundForm | None = None, status: int = 200
) -> HttpResponse:
    grids = selectors.grids_visible_to(request.user).filter(org_node=compound).order_by("code")
    buildings = (
        selectors.buildings_visible_to(request.user)
        .filter(compound=compound)
        .annotate(n_households=Count("households"))
        .order_by("code")
    )
    context = {
        "compound": compound,
        "crumbs": _tree_crumbs(request, compound),
        "grids": list(grids),
        "buildings": list(buildings),
        "may_shape": may_shape(request.user),
        "may_maintain": may_maintain(request.user),
        "form": form or CompoundForm(initial={"name": compound.name, "code": compound.code}),
        "open": status != 200,
    }
    return render(request, "territory/compound_detail.html", context, status=status)


def _tree_crumbs(request: HttpRequest, node: OrgNode) -> list[Crumb]:
    """The org tree, then the nodes over `node` (its page's own name follows them)."""
    above = node_crumbs(request.user, node.parent) if node.parent else []
    return [Crumb(str(_("Org tree")), reverse("territory:tree")), *above]


@staff_page
@require_GET
def compound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _compound_page(request, _node(request, pk))


@staff_page
@require_GET
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A community's page, one step down the tree from it: its compounds (小区), each leading to its own page of
    grids and buildings, then what lies in none of them (grids kept by the community itself, buildings of no
    compound). The org tree and every trail lead here."""
    community = _node(request, pk, NodeKind.COMMUNITY)
    context = {
        "community": community,
        "crumbs": _tree_crumbs(request, community),
        "may_shape": may_shape(request.user),
        **selectors.community_overview(request.user, community),
    }
    return render(request, "territory/community_detail.html", context)


@staff_page
@posted_form("territory:compound")
def compound_edit(request: HttpRequest, pk: int) -> HttpResponse:
    compound = _node(request, pk)
    form = CompoundForm(request.POST)

    def update(**data: Any) -> OrgNode:
        return services.compound_update(actor=request.user, compound=compound, **data)

    then = success_redirect(request, _("Saved."), _compound_url)
    return form_submit(request, form, update, then) or _compound_page(request, compound, form, status=422)


@staff_page
@posted_form("territory:grid")
def building_add(request: HttpRequest, pk: int) -> HttpResponse:
    grid = selectors.grid_get_for(request.user, pk)
    form = BuildingNewForm(request.POST, compounds=compounds_for(request.user, grid))

    def add(*, compound: int | None, **data: Any) -> Building:
        node = _node(request, compound) if compound else None
        return services.building_add(actor=request.user, grid=grid, compound=node, **data)

    then = success_redirect(
        request,
        lambda b: _("%(name)s added: add its households on its page.") % {"name": b.name},
        lambda b: reverse("territory:building", args=[b.pk]),
    )
    return form_submit(request, form, add, then) or grid_page(request, grid, form, status=422)
