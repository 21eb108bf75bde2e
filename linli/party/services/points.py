"""Member points (党员积分): credited by rule from what Linli records (service hours of member registration,
branch meetings attended, …) and entered by the branch secretary with a reason (see `permissions.may_for`). Branch meetings (三会一课) are
recorded here. Each credit names its source, so nothing is credited twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import PermissionDenied
from linli.territory.services import invalid

from .. import permissions, selectors
from ..choices import MEMBER_POINTS_DEFAULTS, MeetingKind, MemberPointsKind, MemberStatus, PartyOrgKind
from ..models import BranchMeeting, MemberPointsEntry, MemberPointsRule, PartyMember, PartyOrg
from ._common import Actor, audit, person, seen, text


def member_points_per_unit(kind: str) -> int:
    rule = MemberPointsRule.objects.filter(kind=kind).first()
    return rule.points if rule is not None else MEMBER_POINTS_DEFAULTS.get(kind, 0)


def member_points_rates() -> dict[str, int]:
    """The points per unit of every kind credited by rule (`member_points_per_unit` of each), in one query."""
    rates = dict(MEMBER_POINTS_DEFAULTS)
    rates.update(MemberPointsRule.objects.filter(kind__in=list(rates)).values_list("kind", "points"))
    return rates


def member_points_credit(
    *,
    actor: Actor,
    member: PartyMember,
    kind: str,
    units: Decimal | int,
    on: dt.date,
    reason: str,
    source: str,
) -> MemberPointsEntry | None:
    """Credit `units` of `kind` (hours, meetings, appeals …) at the rule's points per unit; None when the source
    was credited before or the rule gives nothing. Called by the services that record the work (the system)."""
    if kind not in MemberPointsKind.values or kind == MemberPointsKind.SECRETARY:
        raise invalid("kind", _("Unknown kind of member points."))
    points = int((Decimal(units) * member_points_per_unit(kind)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if points == 0 or not source:
        return None
    try:
        with transaction.atomic():
            return MemberPointsEntry.objects.create(
                member=member,
                kind=kind,
                points=points,
                on=on,
                reason=reason[:200],
                source=source[:60],
                actor=person(actor),
            )
    except IntegrityError:
        return None  # credited already


@transaction.atomic
def member_points_grant(*, actor: Actor, member: PartyMember, points: int, reason: str) -> MemberPointsEntry:
    """An entry by the branch's secretary (or deputy, signed in themselves, for the branch they lead) or by a
    community or street worker on their word: points up or down, always with a reason. A secretary does not
    enter points for themselves."""
    member = seen(actor, selectors.party_members_in_reach(actor), member, "member")
    permissions.require_for(actor, "points_grant", member.party_org)
    if not permissions.may(actor, "points_grant", member.party_org.org_node.path) and (
        selectors.leading_posts(actor).filter(pk=member.pk).exists()
    ):
        raise PermissionDenied(_("Points for yourself are entered by another of the branch's leaders."))
    if member.status != MemberStatus.ACTIVE:
        raise invalid("member", _("%(name)s has left and cannot be changed.") % {"name": member.name})
    if not isinstance(points, int) or points == 0 or abs(points) > 100:
        raise invalid("points", _("Enter a number of points between -100 and 100, not zero."))
    reason = text(
        "reason", reason, limit=200, required=True, message=_("Give the reason (at most 200 characters).")
    )
    entry = MemberPointsEntry.objects.create(
        member=member,
        kind=MemberPointsKind.SECRETARY,
        points=points,
        on=timezone.localdate(),
        reason=reason,
        actor=person(actor),
    )
    audit(actor, "party.member_points_grant", member, points=points, reason=reason)
    return entry


@transaction.atomic
def branch_meeting_record(
    *,
    actor: Actor,
    branch: PartyOrg,
    kind: str,
    held_on: dt.date,
    topic: str,
    attendees: Iterable[PartyMember],
) -> BranchMeeting:
    """Record a meeting of the branch (三会一课), held this year or last, and credit each attending member."""
    branch = seen(actor, selectors.party_orgs_in_reach(actor), branch, "branch")
    permissions.require_for(actor, "meeting_record", branch)
    if branch.kind not in (PartyOrgKind.BRANCH, PartyOrgKind.GENERAL_BRANCH):
        raise invalid("branch", _("Meetings are recorded for a branch."))
    if kind not in MeetingKind.values:
        raise invalid("kind", _("Choose the kind of meeting."))
    today = timezone.localdate()
    if held_on > today:
        raise invalid("held_on", _("The date cannot be in the future."))
    # The points and the stars count this year's and last year's meetings: an older date is a mistyped year.
    earliest = dt.date(today.year - 1, 1, 1)
    if held_on < earliest:
        raise invalid(
            "held_on",
            _(
                "The meeting is dated before 1 January of last year (%(earliest)s): meetings that old are not "
                "counted in points or stars. Check the year."
            )
            % {"earliest": earliest.isoformat()},
        )
    topic = text(
        "topic", topic, limit=120, required=True, message=_("Give the topic (at most 120 characters).")
    )
    people = list(attendees)
    outside = [m.name for m in people if m.party_org_id != branch.pk or m.status != MemberStatus.ACTIVE]
    if outside:
        raise invalid("attendees", _("Not members of this branch: %(names)s") % {"names": "、".join(outside)})
    meeting = BranchMeeting.objects.create(
        branch=branch, kind=kind, held_on=held_on, topic=topic, recorded_by=person(actor)
    )
    meeting.attendees.set(people)
    label = MeetingKind(kind).label
    for member in people:
        member_points_credit(
            actor=actor,
            member=member,
            kind=MemberPointsKind.MEETING,
            units=1,
            on=held_on,
            reason=f"{label} · {topic}",
            source=f"meeting:{meeting.pk}",
        )
    audit(actor, "party.branch_meeting_record", branch, meeting=meeting.pk, attendees=len(people))
    return meeting
