"""What deliberation adds to party through the registry party owns (`party.results`): the results of the joint
meetings' decisions, due and delivered, for the branch star indicator "results delivered" and for the member
points of the party members who delivered them (`party.result_points`).

A decision names the unit responsible for it, not party members. Who is credited when its result is delivered:
the party members of the branches answerable for the decision who took part in the meeting that made it. The
branches answerable are the responsible unit's own branch (a 红色物业 branch of that property company), the
party organisation that convened the meeting, and the branches laid over the meeting's community or compound. A
member took part when a participant signed in at the meeting (by QR code or marked present) is them: the same
mobile number (the participant's, or their account's), or, for a participant without a number, the same name
when exactly one member of those branches bears it. Members who were not there, and participants who are not
members of those branches, earn nothing from it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Q
from django.utils import timezone

from linli.party import results
from linli.party.choices import MemberStatus, PartyOrgKind
from linli.party.models import PartyMember, PartyOrg

from .choices import ResultStatus
from .models import Meeting, Result, ResultUpdate


def _branches(meeting: Meeting, responsible_id: int | None) -> set[int]:
    wanted = Q(org_node_id=meeting.node_id, kind__in=(PartyOrgKind.BRANCH, PartyOrgKind.GENERAL_BRANCH))
    if meeting.convener_id:
        wanted |= Q(pk=meeting.convener_id)
    if responsible_id:
        wanted |= Q(property_company_id=responsible_id)
    return set(PartyOrg.objects.filter(wanted).values_list("pk", flat=True))


def members_who_delivered(meeting: Meeting, responsible_id: int | None) -> tuple[int, ...]:
    """The members of the branches answerable for a decision of `meeting` who signed in at it (see the module)."""
    members = list(
        PartyMember.objects.filter(
            party_org_id__in=_branches(meeting, responsible_id), status=MemberStatus.ACTIVE
        ).only("pk", "name", "phone")
    )
    if not members:
        return ()
    by_phone: dict[str, set[int]] = defaultdict(set)
    by_name: dict[str, set[int]] = defaultdict(set)
    for m in members:
        if m.phone:
            by_phone[m.phone].add(m.pk)
        by_name[m.name].add(m.pk)
    found: set[int] = set()
    for p in meeting.participants.filter(signed_in_at__isnull=False).select_related("user"):
        phone = p.phone or (getattr(p.user, "phone", "") if p.user_id else "")
        if phone:
            found |= by_phone.get(phone, set())
        elif len(by_name.get(p.name, ())) == 1:
            found |= by_name[p.name]
    return tuple(sorted(found))


def results_due(path: str, start: dt.date, end: dt.date) -> list[results.Result]:
    """The decisions' results (the root of each decision's tree; dropped ones left out) due in the period in the
    area, each delivered on the day of the last progress report when it is done."""
    roots = list(
        Result.objects.filter(
            parent__isnull=True,
            decision__isnull=False,
            meeting__node__path__startswith=path,
            due_on__range=(start, end),
        )
        .exclude(status=ResultStatus.DROPPED)
        .select_related("meeting", "decision")
        .order_by("due_on", "id")
    )
    done = [r.decision_id for r in roots if r.status == ResultStatus.DONE and r.decision_id is not None]
    last_report = dict(
        ResultUpdate.objects.filter(result__decision_id__in=done)
        .values("result__decision_id")
        .annotate(last=Max("at"))
        .values_list("result__decision_id", "last")
    )
    meetings = {r.meeting_id: r.meeting for r in roots}
    node_paths = dict(Meeting.objects.filter(pk__in=list(meetings)).values_list("pk", "node__path"))
    credited: dict[tuple[int, int | None], tuple[int, ...]] = {}
    out: list[results.Result] = []
    for root in roots:
        decision = root.decision
        assert decision is not None
        delivered = None
        if root.status == ResultStatus.DONE:
            at = last_report.get(decision.pk) or root.updated_at
            delivered = timezone.localdate(at)
        members: tuple[int, ...] = ()
        if delivered is not None:
            key = (root.meeting_id, decision.responsible_id)
            if key not in credited:
                credited[key] = members_who_delivered(meetings[root.meeting_id], decision.responsible_id)
            members = credited[key]
        out.append(
            results.Result(
                source=f"deliberation.result:{root.pk}",
                title=root.title,
                org_path=node_paths[root.meeting_id],
                due_on=root.due_on,
                done_on=delivered,
                members=members,
            )
        )
    return out


def register() -> None:
    results.register("deliberation", results_due)
