"""Reads of the territory, always through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from linli.core.scoping import get_or_404, scope_by_org

from .models import Building, Grid, Household, OrgNode, Resident


def org_nodes_visible_to(user: Any) -> QuerySet[OrgNode]:
    return scope_by_org(OrgNode.objects.all(), user, "path")


def grids_visible_to(user: Any) -> QuerySet[Grid]:
    return scope_by_org(Grid.objects.select_related("org_node"), user, "org_node__path")


def grid_get_for(user: Any, pk: int) -> Grid:
    return get_or_404(grids_visible_to(user), pk=pk)


def buildings_visible_to(user: Any) -> QuerySet[Building]:
    return scope_by_org(Building.objects.select_related("grid", "compound"), user, "grid__org_node__path")


def households_visible_to(user: Any) -> QuerySet[Household]:
    return scope_by_org(Household.objects.select_related("building"), user, "building__grid__org_node__path")


def residents_visible_to(user: Any) -> QuerySet[Resident]:
    return scope_by_org(Resident.objects.select_related("grid", "household"), user, "grid__org_node__path")


def resident_get_for(user: Any, pk: int) -> Resident:
    return get_or_404(residents_visible_to(user), pk=pk)
