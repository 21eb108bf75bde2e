"""Beacon households (党员中心户): a member's own household that serves the households around it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import invalid
from linli.territory.models import Household

from .. import permissions, selectors
from ..choices import MemberStatus
from ..models import BeaconHousehold, PartyMember
from ._common import Actor, audit, seen, text


@transaction.atomic
def beacon_household_designate(
    *,
    actor: Actor,
    member: PartyMember,
    household: Household | None = None,
    households_served: int = 10,
) -> BeaconHousehold:
    """Make a member's own household a beacon household (党员中心户) serving its neighbours."""
    member = seen(actor, selectors.party_members_visible_to(actor), member, "member")
    resident = member.resident
    if member.status != MemberStatus.ACTIVE:
        raise invalid("member", _("%(name)s has left and cannot be designated.") % {"name": member.name})
    if resident is None or resident.household_id is None:
        raise invalid(
            "member",
            _("A beacon household is the member's own household; first link the member to a resident."),
        )
    if household is None:
        household = resident.household
    elif household.pk != resident.household_id:
        raise invalid("household", _("A beacon household must be the member's own household."))
    assert household is not None
    grid = household.building.grid
    permissions.require(actor, "beacon_manage", grid.org_node.path)
    if not 1 <= households_served <= 200:
        raise invalid("households_served", _("A beacon household serves between 1 and 200 households."))
    if BeaconHousehold.objects.filter(member=member).exists():
        raise invalid("member", _("This member's household is already a beacon household."))
    beacon = BeaconHousehold.objects.create(
        member=member, household=household, grid=grid, households_served=households_served
    )
    audit(actor, "beacon_household_designate", beacon, member=member.pk, household=household.pk)
    return beacon


@transaction.atomic
def beacon_household_revoke(*, actor: Actor, beacon: BeaconHousehold, reason: str) -> None:
    """The household is no longer a beacon household (the plaque comes down); the audit row keeps why."""
    beacon = seen(actor, selectors.beacon_households_visible_to(actor), beacon, "beacon")
    permissions.require(actor, "beacon_manage", beacon.grid.org_node.path)
    reason = text("reason", reason, limit=200, required=True, message=_("Say why the plaque comes down."))
    audit(actor, "beacon_household_revoke", beacon, member=beacon.member_id, reason=reason)
    beacon.delete()
