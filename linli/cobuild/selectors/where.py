"""Who is where: a resident's community, the communities a staff member works in, the map a staff form opens on, and the one scoping of a list to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from linli.accounts.selectors import verified_household
from linli.core.orgpath import path_ids
from linli.core.scoping import Viewer, is_staff_member, scope_by_org
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import community_of


def home_community(user: Viewer) -> OrgNode | None:
    """A verified resident's community."""
    household = verified_household(user)
    if household is None:
        return None
    node = household.building.grid.org_node
    return community_of(node) or node


def communities_for(user: Viewer) -> QuerySet[OrgNode]:
    """The communities a staff member works in."""
    return scope_by_org(OrgNode.objects.filter(kind="community"), user, "path").order_by("path")


def map_areas(communities: list[OrgNode]) -> tuple[str, dict[int, list[list[float]]]]:
    """What a staff form's picking map (`cobuild/partials/map_pick.html`) opens on, from one read of the grids of
    the communities the form offers: the grid codes drawn bold and fitted to when it offers one (a community
    worker's own; "" for several or none), and where each community lies, its grids' bounds [[south, west],
    [north, east]] by its id, so the map opens on the community chosen and moves to the next (a street's form)."""
    if not communities:
        return "", {}
    ids = {c.pk for c in communities}
    grids = Grid.objects.filter(parent_grid__isnull=True)
    if (
        len(communities) <= 50
    ):  # a street's: only their grids; more (an administrator's): every grid, one read
        grids = grids.filter(Q(*[Q(org_node__path__startswith=c.path) for c in communities], _connector=Q.OR))
    codes: list[str] = []
    areas: dict[int, list[list[float]]] = {}
    fields = ("code", "org_node__path", "min_lng", "min_lat", "max_lng", "max_lat")
    for code, path, w, s, e, n in grids.order_by("code").values_list(*fields):
        for pk in ids.intersection(path_ids(path)):
            codes.append(code)
            if not (w or e):  # a grid without a boundary has no place
                continue
            (sw, ne) = areas.setdefault(pk, [[s, w], [n, e]])
            sw[:] = [min(sw[0], s), min(sw[1], w)]
            ne[:] = [max(ne[0], n), max(ne[1], e)]
    return (",".join(codes) if len(communities) == 1 else ""), areas


def _pk(user: Viewer) -> int | None:
    return getattr(user, "pk", None)


def _area(qs: QuerySet[Any], user: Viewer) -> QuerySet[Any]:
    if is_staff_member(user):
        return scope_by_org(qs, user, "community__path")
    community = home_community(user)
    return qs.filter(community=community) if community is not None else qs.none()
