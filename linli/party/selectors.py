"""Reads of party organisation, always through the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.scoping import scope_by_org
from linli.territory.models import Grid
from linli.territory.selectors import Viewer

from .choices import RegistrationStatus
from .models import BeaconHousehold, MemberRegistration, PartyMember, PartyOrg


def party_orgs_visible_to(user: Viewer) -> QuerySet[PartyOrg]:
    return scope_by_org(PartyOrg.objects.select_related("org_node", "parent"), user, "org_node__path")


def party_members_visible_to(user: Viewer) -> QuerySet[PartyMember]:
    return scope_by_org(
        PartyMember.objects.select_related("party_org", "resident"), user, "party_org__org_node__path"
    )


def grid_party_counts(grid: Grid) -> dict[str, int]:
    """The party side of a grid's profile: members living there, beacon households, members on post."""
    return {
        "party_members": PartyMember.objects.filter(resident__grid=grid).count(),
        "beacon_households": BeaconHousehold.objects.filter(grid=grid).count(),
        "member_posts": MemberRegistration.objects.filter(
            grid=grid, status=RegistrationStatus.ACTIVE
        ).count(),
    }


def grid_member_posts(grid: Grid) -> QuerySet[MemberRegistration]:
    """Registered members holding a post in the grid (双报到), by name."""
    return (
        MemberRegistration.objects.filter(grid=grid, status=RegistrationStatus.ACTIVE)
        .select_related("member", "community")
        .order_by("member__name")
    )


def grid_party_orgs(grid: Grid) -> QuerySet[PartyOrg]:
    """Party organisations attached to the grid (its party groups)."""
    return PartyOrg.objects.filter(grid=grid).order_by("name")
