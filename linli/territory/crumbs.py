"""The trail at the top of the territory's pages, down the tree as it is governed: district → street → community →
compound → grid → building → household. A community and a compound link to their pages when the reader may open
them (a grid worker's scope starts at their compound: their community is named, not linked); the district and
the street have no page here and are named."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from linli.core.orgpath import path_covers
from linli.core.scoping import Viewer, tree_scope_path

from .choices import NodeKind
from .models import Building, Grid, Household, OrgNode

NODE_PAGES = {NodeKind.COMMUNITY: "territory:community", NodeKind.COMPOUND: "territory:compound"}


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str = ""


def node_crumbs(user: Viewer, node: OrgNode, *, from_community: bool = False) -> list[Crumb]:
    """`node` and the nodes over it, top first (from its community on, with `from_community`), each a link to its
    page where it has one the user may open."""
    prefix = tree_scope_path(user)
    chain = node.chain()
    if from_community:
        chain = [n for n in chain if n.kind in NODE_PAGES] or chain[-1:]
    crumbs = []
    for n in chain:
        page = NODE_PAGES.get(NodeKind(n.kind))
        opens = page is not None and prefix is not None and (prefix == "" or path_covers(prefix, n.path))
        crumbs.append(Crumb(n.name, reverse(page, args=[n.pk]) if opens and page else ""))
    return crumbs


def grid_crumbs(user: Viewer, grid: Grid, *, from_community: bool = True) -> list[Crumb]:
    """The nodes over a grid (its community, its compound), then the grid, linked."""
    return [
        *node_crumbs(user, grid.org_node, from_community=from_community),
        Crumb(grid.name, reverse("territory:grid", args=[grid.pk])),
    ]


def building_crumbs(user: Viewer, building: Building) -> list[Crumb]:
    return [
        *grid_crumbs(user, building.grid),
        Crumb(building.name, reverse("territory:building", args=[building.pk])),
    ]


def household_crumbs(user: Viewer, household: Household) -> list[Crumb]:
    return [
        *building_crumbs(user, household.building),
        Crumb(household.room, reverse("territory:household", args=[household.pk])),
    ]
