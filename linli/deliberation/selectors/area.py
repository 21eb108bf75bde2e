"""Where a reader stands: the community of a resident's verified household, the households and residents
who vote in a community, and the area of meetings, topics and votes each reader sees."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from linli.accounts.models import User
from linli.accounts.selectors import verified_household
from linli.core.roles import Role
from linli.core.scoping import Viewer, is_staff_member, scope_by_org
from linli.territory.models import Household, OrgNode
from linli.territory.selectors import community_of, grids_visible_to, own_grids_only


def household_node(household: Household) -> OrgNode:
    """The org node a household lives in (its grid's community or compound)."""
    return household.building.grid.org_node


def resident_community(user: Viewer) -> OrgNode | None:
    household = verified_household(user)
    if household is None:
        return None
    node = household_node(household)
    return community_of(node) or node


def household_in(household: Household, node: OrgNode) -> bool:
    return household_node(household).path.startswith(node.path)


def households_of(node: OrgNode) -> QuerySet[Household]:
    """The households living in a community or compound (the voters of its votes)."""
    return Household.objects.filter(building__grid__org_node__path__startswith=node.path)


def _verified_residents(**where: Any) -> QuerySet[User]:
    """Residents' accounts, active, whose household is verified, narrowed by `where`."""
    return User.objects.filter(
        is_active=True, is_superuser=False, role=Role.RESIDENT, household_verified_at__isnull=False, **where
    )


def residents_of(node: OrgNode) -> QuerySet[User]:
    """The verified residents of a community or compound (the voters of its per-resident votes)."""
    return _verified_residents(household__building__grid__org_node__path__startswith=node.path)


def residents_of_household(household: Household) -> QuerySet[User]:
    """A household's verified residents, by name (who may sign a per-resident paper ballot)."""
    return _verified_residents(household=household).order_by("display_name", "pk")


def resident_area(qs: QuerySet[Any], user: Viewer, field_name: str) -> QuerySet[Any]:
    """Staff: their subtree. A verified resident: their community. Others: nothing."""
    if is_staff_member(user):
        return scope_by_org(qs, user, f"{field_name}__path")
    community = resident_community(user)
    if community is None:
        return qs.none()
    return qs.filter(**{f"{field_name}__path__startswith": community.path})


def _grid_communities(user: Viewer) -> set[int]:
    """The communities the grids of a grid worker (full- or part-time, a grid leader, a building captain) lie in."""
    if not own_grids_only(user):
        return set()
    communities = set()
    for kind, node, parent in grids_visible_to(user).values_list(
        "org_node__kind", "org_node_id", "org_node__parent_id"
    ):
        if kind == "community":
            communities.add(node)
        elif kind == "compound" and parent is not None:
            communities.add(parent)
    return communities


def meeting_area(qs: QuerySet[Any], user: Viewer, field_name: str) -> QuerySet[Any]:
    """The meetings (or their decisions and results) the reader sees: their area's (`resident_area`), and for a
    grid worker whose grids lie in a compound also the joint meetings held by the community above it. Grid workers
    collect its topics on their rounds, sit in it and carry out its decisions in their grids (docs/deliberation.md,
    "Who may do what"); they read these meetings, while running one or reporting on its results stays with the
    workers of its area (permissions.ACTION_RULES)."""
    area = resident_area(qs, user, field_name)
    communities = _grid_communities(user)
    if not communities:
        return area
    return area | qs.filter(**{f"{field_name}_id__in": communities})


def communities_for(user: Viewer) -> QuerySet[OrgNode]:
    """Communities and compounds a staff member may hold meetings and votes in."""
    return scope_by_org(OrgNode.objects.filter(kind__in=["community", "compound"]), user, "path").order_by(
        "path"
    )
