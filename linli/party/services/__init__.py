"""Every write to party organisation, one room per noun: organisations, members, member registration
(双报到), beacon households, partner units, member points and branch meetings, branch stars. Services are `<entity>_<verb>(*, actor, …)`; who may act is the
one table in `party.permissions`; each change is audited (`core.audit`)."""

from .beacons import beacon_household_designate, beacon_household_revoke
from .members import (
    party_member_create,
    party_member_leave,
    party_member_set_position,
    party_member_transfer,
    party_member_update,
)
from .orgs import PARTY_PARENT_KINDS, party_org_create, party_org_update
from .partners import partner_pairing_create, partner_pairing_end, partner_pairing_update
from .points import (
    branch_meeting_record,
    member_points_credit,
    member_points_grant,
    member_points_per_unit,
    member_points_rates,
)
from .registrations import (
    REGISTRATION_TRANSITIONS,
    member_registration_apply,
    member_registration_approve,
    member_registration_assign_post,
    member_registration_end,
    member_registration_refuse,
    member_registration_register,
)
from .stars import (
    REMIND_EVERY,
    STAR_STEPS,
    STAR_TRANSITIONS,
    branch_score,
    branch_stars_approve,
    branch_stars_compute,
    branch_stars_remind,
    branch_stars_return,
    branch_stars_submit,
    indicator_weights,
    star_rules_set,
    stars_for,
)

__all__ = [
    "PARTY_PARENT_KINDS",
    "REGISTRATION_TRANSITIONS",
    "REMIND_EVERY",
    "STAR_STEPS",
    "STAR_TRANSITIONS",
    "beacon_household_designate",
    "beacon_household_revoke",
    "branch_meeting_record",
    "branch_score",
    "branch_stars_approve",
    "branch_stars_compute",
    "branch_stars_remind",
    "branch_stars_return",
    "branch_stars_submit",
    "indicator_weights",
    "member_points_credit",
    "member_points_grant",
    "member_points_per_unit",
    "member_points_rates",
    "member_registration_apply",
    "member_registration_approve",
    "member_registration_assign_post",
    "member_registration_end",
    "member_registration_refuse",
    "member_registration_register",
    "partner_pairing_create",
    "partner_pairing_end",
    "partner_pairing_update",
    "party_member_create",
    "party_member_leave",
    "party_member_set_position",
    "party_member_transfer",
    "party_member_update",
    "party_org_create",
    "party_org_update",
    "star_rules_set",
    "stars_for",
]
