"""Reads of accounts: household claims in a verifier's scope, a resident's own claims, the household a resident
is verified in."""

from __future__ import annotations

import unicodedata

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from linli.core.errors import PermissionDenied, invalid
from linli.core.lookup import people_found
from linli.core.roles import TREE_ROLES, Role
from linli.core.scoping import Viewer, get_or_404, is_admin, is_signed_in, is_staff_member, scope_by_org
from linli.territory.models import Building, Grid, Household, Resident

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
    """A resident's own claims, newest first, with each household's entrance (a rejected claim fills the form
    again)."""
    return (
        HouseholdClaim.objects.filter(account=user)
        .select_related("household__entrance")
        .order_by("-created_at", "-id")
    )


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


def household_for_claim(address: str, room: str, unit: int | None = None) -> Household:
    """The one household a resident's claim names by its building's address, its room and, where the room number
    repeats, its entrance, as on the door plate (the claim page and the API); ValidationFailed naming the field
    to correct otherwise. The resident sees nothing of the building's other households."""
    from linli.territory.locator import locate_address

    building = locate_address((address or "").strip())
    if building is None:
        raise invalid("address", _("No building matches this address. Write it as on your door plate."))
    matches = households_matching_room(building, room, unit)
    if not matches:
        raise invalid("room", _("This building has no such room. Check the room number and entrance."))
    if len(matches) > 1:
        raise invalid("unit", _("This room number exists in several entrances. Say which entrance (unit)."))
    return matches[0]


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


# Who reads the staff accounts of their area (a community's grid workers and colleagues, a street's communities'):
# those who run a community or more. Grid workers and units see no list of accounts.
STAFF_READERS = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_LEADER})


def staff_visible_to(user: Viewer) -> QuerySet[User]:
    """The staff accounts placed in the reader's subtree (switched off ones too), with their node, the building a
    captain looks after and the grids each works in, by place, role and user name; PermissionDenied for a reader
    who is not one of STAFF_READERS (or an administrator)."""
    if not (is_admin(user) or (is_signed_in(user) and user.role in STAFF_READERS)):
        raise PermissionDenied(_("Only community workers and those above them see the staff accounts."))
    qs = (
        User.objects.filter(role__in=TREE_ROLES - {Role.ADMIN}, org_node__isnull=False)
        .select_related("org_node", "building")
        .prefetch_related(
            Prefetch("grids", queryset=Grid.objects.order_by("code").only("id", "name", "code", "kind"))
        )
        .order_by("org_node__path", "role", "username")
    )
    return scope_by_org(qs, user, "org_node__path")


# The roles a staff list may be narrowed to, in Role's order: those staff_visible_to lists.
STAFF_ROLES = [(value, label) for value, label in Role.choices if value in TREE_ROLES - {Role.ADMIN}]
# A staff list's accounts by whether they are on: 在用 (can sign in) or 已停用 (switched off).
STAFF_STATES = {"on": True, "off": False}


def staff_found(rows: QuerySet[User], *, text: str = "", role: str = "", state: str = "") -> QuerySet[User]:
    """The staff `rows` a list's filters keep: `text` a part of the name or user name, a whole mobile number or its
    last four digits or more (core.lookup, as staff find people everywhere); `role` one of STAFF_ROLES; `state` one
    of STAFF_STATES. An empty filter keeps every row."""
    if text.strip():
        rows = people_found(rows, text, names=("display_name", "username"), phone="phone", by_phone_end=True)
    if role:
        rows = rows.filter(role=role)
    if state in STAFF_STATES:
        rows = rows.filter(is_active=STAFF_STATES[state])
    return rows
