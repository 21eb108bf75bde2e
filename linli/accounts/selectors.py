"""Reads of accounts: household claims in a verifier's scope, a resident's own claims, the household a resident
is verified in."""

from __future__ import annotations

import unicodedata

from django.db.models import Exists, OuterRef, QuerySet

from linli.core.roles import Role
from linli.core.scoping import Viewer, get_or_404, is_admin, is_signed_in, is_staff_member, scope_by_org
from linli.territory.models import Building, Household, Resident

from .choices import ClaimStatus
from .models import HouseholdClaim, User


def household_claims_visible_to(user: Viewer) -> QuerySet[HouseholdClaim]:
    """Claims on households in the user's subtree (community workers and administrators only)."""
    qs = HouseholdClaim.objects.select_related("account", "household__building__grid", "decided_by").annotate(
        name_matches=Exists(
            Resident.objects.filter(household_id=OuterRef("household_id"), name=OuterRef("claimant_name"))
        )
    )
    if not (is_admin(user) or (is_signed_in(user) and user.role == Role.COMMUNITY_WORKER)):
        return qs.none()
    return scope_by_org(qs, user, "household__building__grid__org_node__path")


def household_claims_pending_for(user: Viewer) -> QuerySet[HouseholdClaim]:
    return household_claims_visible_to(user).filter(status=ClaimStatus.PENDING).order_by("created_at", "id")


def household_claim_get_for(user: Viewer, pk: int) -> HouseholdClaim:
    return get_or_404(household_claims_visible_to(user), pk=pk)


def claims_of_account(user: User) -> QuerySet[HouseholdClaim]:
    """A resident's own claims, newest first."""
    return HouseholdClaim.objects.filter(account=user).select_related("household").order_by("-created_at")


def _room_key(room: str) -> str:
    key = unicodedata.normalize("NFKC", room or "").strip().upper().replace(" ", "")
    for suffix in ("室", "房", "号"):
        key = key.removesuffix(suffix)
    return key


def households_matching_room(building: Building, room: str, unit: int | None = None) -> list[Household]:
    """Households of a building whose room number is `room` (101, 101室), in one entrance if `unit` is given.

    Used when a resident claims a household: they name their building and room, and see nothing else of it.
    """
    qs = Household.objects.filter(building=building).select_related("entrance", "building")
    if unit:
        qs = qs.filter(entrance__number=unit)
    key = _room_key(room)
    return [h for h in qs if _room_key(h.room) == key] if key else []


def verified_household(user: Viewer) -> Household | None:
    """The household a resident account has been verified in (None for staff and unverified accounts), with its
    building, grid and node (and the node's parent) read in the same query."""
    if not is_signed_in(user) or is_staff_member(user):
        return None
    household_id = getattr(user, "household_id", None)
    if not household_id or getattr(user, "household_verified_at", None) is None:
        return None
    return (
        Household.objects.select_related("building__grid__org_node__parent").filter(pk=household_id).first()
    )
