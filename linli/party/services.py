"""Every write to party organisation: party organisations, members, beacon households and member
registration (双报到).

Registration is a small state machine,
pending → active (a community worker gave the member a post in a grid) → ended, written the house way:
compare-and-swap on the state, checked against `REGISTRATION_TRANSITIONS`, one audit row per transition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.orgpath import path_covers
from linli.core.roles import Role
from linli.core.scoping import ScopedUser, tree_scope_path
from linli.core.validators import validate_phone
from linli.territory.choices import NodeKind
from linli.territory.models import Grid, Household, OrgNode, Resident
from linli.territory.services import checked, invalid

from .choices import PartyOrgKind, RegistrationStatus, Specialty
from .models import BeaconHousehold, MemberRegistration, PartyMember, PartyOrg

# The kinds of parent each kind of party organisation may have (None: it may stand at the top).
# A committee may sit under a higher committee (街道党工委 → 社区党委); a group only ever under a branch.
PARTY_PARENT_KINDS: dict[str, set[str | None]] = {
    PartyOrgKind.COMMITTEE: {None, PartyOrgKind.COMMITTEE},
    PartyOrgKind.GENERAL_BRANCH: {PartyOrgKind.COMMITTEE},
    PartyOrgKind.BRANCH: {PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH},
    PartyOrgKind.GROUP: {PartyOrgKind.BRANCH},
}

REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationStatus.PENDING: {RegistrationStatus.ACTIVE, RegistrationStatus.ENDED},
    RegistrationStatus.ACTIVE: {RegistrationStatus.ENDED},
    RegistrationStatus.ENDED: set(),
}

# Roles that may give a registered member a post, within their own part of the tree.
POST_ASSIGNING_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.ADMIN})


def _already_registered() -> ValidationFailed:
    return invalid(
        "member", _("This member is already registered with a community; end that registration first.")
    )


def _kind_label(kind: str | None) -> str:
    return str(PartyOrgKind(kind).label) if kind in PartyOrgKind.values else _("none")


@transaction.atomic
def party_org_create(
    *,
    actor: ScopedUser | None,
    kind: str,
    name: str,
    org_node: OrgNode,
    parent: PartyOrg | None = None,
    grid: Grid | None = None,
    secretary: str = "",
) -> PartyOrg:
    """A party organisation laid over the org tree: committee → general branch → branch → group."""
    if kind not in PARTY_PARENT_KINDS:
        raise invalid("kind", _("Unknown kind of party organisation: %(kind)s.") % {"kind": kind})
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise invalid("name", _("A name is required (at most 120 characters)."))
    allowed = PARTY_PARENT_KINDS[kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        if parent is None:
            message = _("A %(kind)s must belong to a higher party organisation.") % {
                "kind": _kind_label(kind)
            }
        else:
            message = _("A %(kind)s cannot belong to a %(parent)s.") % {
                "kind": _kind_label(kind),
                "parent": _kind_label(parent_kind),
            }
        raise invalid("parent", message)
    if parent is not None and not path_covers(parent.org_node.path, org_node.path):
        raise invalid(
            "org_node",
            _("The organisation must sit in the area of its parent organisation (%(area)s).")
            % {"area": parent.org_node.name},
        )
    if grid is not None:
        if kind != PartyOrgKind.GROUP:
            raise invalid("grid", _("Only a party group is attached to a grid."))
        if not path_covers(org_node.path, grid.org_node.path):
            raise invalid(
                "grid",
                _("The grid %(grid)s is not inside %(area)s.") % {"grid": grid.name, "area": org_node.name},
            )
    return PartyOrg.objects.create(
        kind=kind, name=name, org_node=org_node, parent=parent, grid=grid, secretary=(secretary or "").strip()
    )


@transaction.atomic
def party_member_create(
    *,
    actor: ScopedUser | None,
    name: str,
    party_org: PartyOrg,
    resident: Resident | None = None,
    phone: str = "",
    joined_on: dt.date | None = None,
    workplace: str = "",
    is_demo: bool = False,
) -> PartyMember:
    """A party member, kept by a branch (or a general branch or committee that has members directly)."""
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise invalid("name", _("A name is required (at most 50 characters)."))
    if party_org.kind == PartyOrgKind.GROUP:
        raise invalid(
            "party_org",
            _("A member's organisation is a branch; a party group is only a part of one."),
        )
    clean_phone = checked("phone", validate_phone, phone) if phone else ""
    if joined_on is not None and joined_on > timezone.localdate():
        raise invalid("joined_on", _("The date of joining cannot be in the future."))
    if resident is not None and PartyMember.objects.filter(resident=resident).exists():
        raise invalid("resident", _("This resident is already registered as a party member."))
    return PartyMember.objects.create(
        name=name,
        party_org=party_org,
        resident=resident,
        phone=clean_phone,
        joined_on=joined_on,
        workplace=(workplace or "").strip(),
        is_demo=is_demo,
    )


@transaction.atomic
def beacon_household_designate(
    *,
    actor: ScopedUser | None,
    member: PartyMember,
    household: Household | None = None,
    households_served: int = 10,
) -> BeaconHousehold:
    """Make a member's own household a beacon household (党员中心户) serving its neighbours."""
    resident = member.resident
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
    if not 1 <= households_served <= 200:
        raise invalid("households_served", _("A beacon household serves between 1 and 200 households."))
    if BeaconHousehold.objects.filter(member=member).exists():
        raise invalid("member", _("This member's household is already a beacon household."))
    return BeaconHousehold.objects.create(
        member=member,
        household=household,
        grid=household.building.grid,
        households_served=households_served,
    )


def _check_actor_covers(actor: ScopedUser | None, community: OrgNode) -> None:
    """A person (not the system) giving a post must be a community worker or above whose area holds it."""
    if actor is None:
        return
    prefix = tree_scope_path(actor)
    if (
        prefix is None
        or not (actor.is_superuser or actor.role in POST_ASSIGNING_ROLES)
        or not community.path.startswith(prefix)
    ):
        raise PermissionDenied(_("Only a worker of this community may give its registered members a post."))


@transaction.atomic
def member_registration_register(
    *,
    actor: ScopedUser | None,
    member: PartyMember,
    community: OrgNode,
    workplace: str,
    specialty: str,
    registered_on: dt.date | None = None,
) -> MemberRegistration:
    """双报到: a member employed elsewhere registers with the community where they live; it starts pending."""
    if community.kind != NodeKind.COMMUNITY:
        raise invalid(
            "community",
            _("A member registers with a community, not with a %(kind)s.")
            % {"kind": community.get_kind_display()},
        )
    workplace = (workplace or "").strip()
    if not workplace or len(workplace) > 120:
        raise invalid("workplace", _("State where the member works (at most 120 characters)."))
    if specialty not in Specialty.values:
        raise invalid("specialty", _("Choose a specialty from the list."))
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        raise invalid("registered_on", _("The registration date cannot be in the future."))
    open_regs = MemberRegistration.objects.filter(member=member).exclude(status=RegistrationStatus.ENDED)
    if open_regs.exists():
        raise _already_registered()
    try:
        with transaction.atomic():
            registration = MemberRegistration.objects.create(
                member=member,
                community=community,
                workplace=workplace,
                specialty=specialty,
                registered_on=registered_on,
                status=RegistrationStatus.PENDING,
            )
    except IntegrityError:  # registered meanwhile by another request
        raise _already_registered() from None
    audit_record(
        actor=actor,
        action="member_registration_register",
        obj=registration,
        detail={"to": RegistrationStatus.PENDING, "community": community.pk, "specialty": specialty},
    )
    return registration


def _transition(
    *,
    actor: ScopedUser | None,
    registration: MemberRegistration,
    to: str,
    action: str,
    reason: str = "",
    **changes: Any,
) -> MemberRegistration:
    current = registration.status
    if to not in REGISTRATION_TRANSITIONS.get(current, set()):
        raise InvalidTransition(
            _("A registration that is %(state)s cannot become %(to)s.")
            % {"state": RegistrationStatus(current).label, "to": RegistrationStatus(to).label}
        )
    now = timezone.now()
    updated = MemberRegistration.objects.filter(pk=registration.pk, status=current).update(
        status=to, updated_at=now, **changes
    )
    if updated != 1:
        raise InvalidTransition()
    registration.status = to
    registration.updated_at = now
    for key, value in changes.items():
        setattr(registration, key, value)
    audit_record(
        actor=actor,
        action=f"member_registration_{action}",
        obj=registration,
        detail={
            "from": current,
            "to": to,
            "reason": reason,
            **{k: getattr(v, "pk", v) for k, v in changes.items()},
        },
    )
    return registration


@transaction.atomic
def member_registration_assign_post(
    *, actor: ScopedUser | None, registration: MemberRegistration, grid: Grid, post: str
) -> MemberRegistration:
    """A community worker gives a pending registered member a post in a grid of that community."""
    community = registration.community
    _check_actor_covers(actor, community)
    post = (post or "").strip()
    if not post or len(post) > 60:
        raise invalid("post", _("Name the post (at most 60 characters)."))
    if not path_covers(community.path, grid.org_node.path):
        raise invalid(
            "grid",
            _("The grid %(grid)s is not in %(community)s, where the member registered.")
            % {"grid": grid.name, "community": community.name},
        )
    return _transition(
        actor=actor,
        registration=registration,
        to=RegistrationStatus.ACTIVE,
        action="assign_post",
        grid=grid,
        post=post,
    )


@transaction.atomic
def member_registration_end(
    *, actor: ScopedUser | None, registration: MemberRegistration, reason: str = ""
) -> MemberRegistration:
    """End a registration (the member moved away or left the post); the member may register again."""
    _check_actor_covers(actor, registration.community)
    return _transition(
        actor=actor,
        registration=registration,
        to=RegistrationStatus.ENDED,
        action="end",
        reason=reason.strip(),
    )
