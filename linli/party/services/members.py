"""Party members: join a branch, transfer between branches, leave, take a position. Each step is an event row
in the member's history (never edited) and an audit row."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import invalid
from linli.core.validators import checked, validate_phone
from linli.territory.models import Resident
from linli.territory.selectors import residents_visible_to

from .. import permissions, selectors
from ..choices import MemberEventKind, MemberPosition, MemberStatus, PartyOrgKind
from ..models import BeaconHousehold, PartyMember, PartyMemberEvent, PartyOrg
from ._common import Actor, audit, in_scope, person, seen, text

# Positions of which an organisation has one: naming a new holder makes the old one a committee member.
SINGLE_POSITIONS = frozenset({MemberPosition.SECRETARY})


def _event(
    *,
    actor: Actor,
    member: PartyMember,
    kind: str,
    on: dt.date,
    from_org: PartyOrg | None = None,
    to_org: PartyOrg | None = None,
    position: str = "",
    note: str = "",
) -> PartyMemberEvent:
    return PartyMemberEvent.objects.create(
        member=member,
        kind=kind,
        on=on,
        from_org=from_org,
        to_org=to_org,
        position=position,
        note=note,
        actor=person(actor),
    )


def _date(field: str, value: dt.date | None, *, after: dt.date | None = None) -> dt.date:
    today = timezone.localdate()
    value = value or today
    if value > today:
        raise invalid(field, _("The date cannot be in the future."))
    if after is not None and value < after:
        raise invalid(field, _("The date cannot be before %(date)s.") % {"date": after.isoformat()})
    return value


def _keeps_members(org: PartyOrg, field: str) -> None:
    if org.kind == PartyOrgKind.GROUP:
        raise invalid(field, _("A member's organisation is a branch; a party group is only a part of one."))


def _managed(actor: Actor, member: PartyMember) -> PartyMember:
    """The member locked for a change, still active, and the actor one who may manage their organisation's
    members."""
    member = PartyMember.objects.select_for_update().select_related("party_org__org_node").get(pk=member.pk)
    if member.status != MemberStatus.ACTIVE:
        raise invalid("member", _("%(name)s has left and cannot be changed.") % {"name": member.name})
    permissions.require(actor, "member_manage", member.party_org.org_node.path)
    return member


@transaction.atomic
def party_member_create(
    *,
    actor: Actor,
    name: str,
    party_org: PartyOrg,
    resident: Resident | None = None,
    phone: str = "",
    joined_on: dt.date | None = None,
    workplace: str = "",
    is_demo: bool = False,
) -> PartyMember:
    """A member joins a branch (or a general branch or committee that keeps members directly)."""
    name = text(
        "name", name, limit=50, required=True, message=_("A name is required (at most 50 characters).")
    )
    party_org = seen(actor, selectors.party_orgs_visible_to(actor), party_org, "party_org")
    resident = in_scope(actor, residents_visible_to(actor), resident, "resident")
    permissions.require(actor, "member_manage", party_org.org_node.path)
    _keeps_members(party_org, "party_org")
    clean_phone = checked("phone", validate_phone, phone) if phone else ""
    if joined_on is not None and joined_on > timezone.localdate():
        raise invalid("joined_on", _("The date of joining cannot be in the future."))
    if resident is not None and PartyMember.objects.filter(resident=resident).exists():
        raise invalid("resident", _("This resident is already registered as a party member."))
    member = PartyMember.objects.create(
        name=name,
        party_org=party_org,
        resident=resident,
        phone=clean_phone,
        joined_on=joined_on,
        workplace=text("workplace", workplace, limit=120),
        is_demo=is_demo,
    )
    on = min(joined_on or timezone.localdate(), timezone.localdate())
    _event(actor=actor, member=member, kind=MemberEventKind.JOINED, on=on, to_org=party_org)
    audit(actor, "party_member_create", member, party_org=party_org.pk)
    return member


@transaction.atomic
def party_member_update(
    *,
    actor: Actor,
    member: PartyMember,
    name: str | None = None,
    phone: str | None = None,
    workplace: str | None = None,
    joined_on: dt.date | None = None,
    resident: Resident | None = None,
) -> PartyMember:
    """A member's name, phone, employer, date of joining and the resident record they are linked to (None = as
    is); audited with the fields changed. A member whose household is a beacon household keeps their record."""
    member = _managed(actor, member)
    changes: dict[str, object] = {}
    if resident is not None and resident.pk != member.resident_id:
        resident = in_scope(actor, residents_visible_to(actor), resident, "resident")
        if PartyMember.objects.filter(resident=resident).exclude(pk=member.pk).exists():
            raise invalid("resident", _("This resident is already registered as a party member."))
        if BeaconHousehold.objects.filter(member=member).exists():
            raise invalid(
                "resident",
                _(
                    "%(name)s's household is a beacon household: revoke the beacon household first, then link "
                    "the member to another resident record."
                )
                % {"name": member.name},
            )
        changes["resident"] = resident
    if name is not None:
        changes["name"] = text(
            "name", name, limit=50, required=True, message=_("A name is required (at most 50 characters).")
        )
    if phone is not None:
        changes["phone"] = checked("phone", validate_phone, phone) if phone.strip() else ""
    if workplace is not None:
        changes["workplace"] = text("workplace", workplace, limit=120)
    if joined_on is not None:
        if joined_on > timezone.localdate():
            raise invalid("joined_on", _("The date of joining cannot be in the future."))
        changes["joined_on"] = joined_on
    changed = [f for f, v in changes.items() if getattr(member, f) != v]
    for field in changed:
        setattr(member, field, changes[field])
    if changed:
        member.save(update_fields=[*changed, "updated_at"])
        audit(actor, "party_member_update", member, fields=changed)
    return member


@transaction.atomic
def party_member_transfer(
    *, actor: Actor, member: PartyMember, to_org: PartyOrg, on: dt.date | None = None, note: str = ""
) -> PartyMember:
    """A member's organisation relation moves to another branch; their position in the old one ends."""
    member = _managed(actor, member)
    to_org = seen(actor, selectors.party_orgs_visible_to(actor), to_org, "to_org")
    _keeps_members(to_org, "to_org")
    if to_org.pk == member.party_org_id:
        raise invalid("to_org", _("The member already belongs to %(org)s.") % {"org": to_org.name})
    on = _date("on", on)
    note = text("note", note, limit=200)
    from_org = member.party_org
    _vacate(from_org, member)
    member.party_org = to_org
    member.position = MemberPosition.MEMBER
    member.save(update_fields=["party_org", "position", "updated_at"])
    _event(
        actor=actor,
        member=member,
        kind=MemberEventKind.TRANSFERRED,
        on=on,
        from_org=from_org,
        to_org=to_org,
        note=note,
    )
    audit(actor, "party_member_transfer", member, **{"from": from_org.pk, "to": to_org.pk, "on": str(on)})
    return member


@transaction.atomic
def party_member_leave(
    *, actor: Actor, member: PartyMember, reason: str, on: dt.date | None = None
) -> PartyMember:
    """A member leaves the organisation (moved away, transferred out of the district, died). The record and its
    history stay; a beacon household of theirs ends."""
    member = _managed(actor, member)
    reason = text("reason", reason, limit=200, required=True, message=_("Say why the member leaves."))
    on = _date("on", on, after=member.joined_on)
    _vacate(member.party_org, member)
    member.status = MemberStatus.LEFT
    member.left_on = on
    member.position = MemberPosition.MEMBER
    member.save(update_fields=["status", "left_on", "position", "updated_at"])
    BeaconHousehold.objects.filter(member=member).delete()
    _event(
        actor=actor, member=member, kind=MemberEventKind.LEFT, on=on, from_org=member.party_org, note=reason
    )
    audit(actor, "party_member_leave", member, on=str(on), reason=reason)
    return member


@transaction.atomic
def party_member_set_position(*, actor: Actor, member: PartyMember, position: str) -> PartyMember:
    """Give a member a position in their organisation (secretary, deputy, committee member) or take it away.
    An organisation has one secretary: the one before becomes a committee member."""
    member = _managed(actor, member)
    if position not in MemberPosition.values:
        raise invalid("position", _("Choose a position from the list."))
    if position == member.position:
        return member
    org = PartyOrg.objects.select_for_update().get(pk=member.party_org_id)
    today = timezone.localdate()
    if position in SINGLE_POSITIONS:
        for holder in org.members.filter(position=position, status=MemberStatus.ACTIVE).exclude(pk=member.pk):
            holder.position = MemberPosition.COMMITTEE_MEMBER
            holder.save(update_fields=["position", "updated_at"])
            _event(
                actor=actor,
                member=holder,
                kind=MemberEventKind.POSITION,
                on=today,
                to_org=org,
                position=holder.position,
            )
    if position == MemberPosition.SECRETARY:
        org.secretary = member.name
        org.save(update_fields=["secretary", "updated_at"])
    elif member.position == MemberPosition.SECRETARY:
        _vacate(org, member)
    before = member.position
    member.position = position
    member.save(update_fields=["position", "updated_at"])
    _event(actor=actor, member=member, kind=MemberEventKind.POSITION, on=today, to_org=org, position=position)
    audit(actor, "party_member_set_position", member, **{"from": before, "to": position, "org": org.pk})
    return member


def _vacate(org: PartyOrg, member: PartyMember) -> None:
    """The member no longer holds the organisation's secretary post it names."""
    if member.position == MemberPosition.SECRETARY and org.secretary == member.name:
        PartyOrg.objects.filter(pk=org.pk).update(secretary="")
        org.secretary = ""
