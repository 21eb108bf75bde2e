"""The indicators of the branch star rating (星级党支部): a registry party owns.

Each indicator reads what Linli records about a branch in a year and answers a value between 0 and 1 with the
evidence behind it. Party registers what it records itself (meetings held, members registered, members active);
a higher app registers what it records (appeals closed on time and satisfaction in the branch's area) from its
AppConfig.ready(), as `core.jobs` takes jobs. Weights are configurable (`StarIndicatorWeight`), the defaults
below apply otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import MeetingKind, MemberStatus, RegistrationStatus
from .models import BranchMeeting, MemberPointsEntry, PartyMember, PartyOrg


@dataclass(frozen=True)
class Reading:
    """An indicator's value for a branch and year (0 to 1) and the evidence a reviewer checks."""

    value: float
    evidence: list[str]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    weight: int
    read: Callable[[PartyOrg, int], Reading]


_registry: dict[str, Indicator] = {}


def register(code: str, label: Any, weight: int, read: Callable[[PartyOrg, int], Reading]) -> None:
    _registry[code] = Indicator(code, label, weight, read)


def registered() -> list[Indicator]:
    return list(_registry.values())


# How many meetings of each kind a branch holds in a year (三会一课: assembly quarterly, committee monthly,
# a party lesson each quarter).
MEETINGS_EXPECTED: dict[str, int] = {"assembly": 4, "committee": 12, "lesson": 4}
# Points in a year above which a member counts as active.
ACTIVE_MEMBER_POINTS = 20


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def members_of(branch: PartyOrg, year: int) -> list[PartyMember]:
    """Members of the branch during the year (joined by its end, not left before its start)."""
    start, end = year_bounds(year)
    return list(
        PartyMember.objects.filter(party_org=branch)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=end))
        .filter(Q(status=MemberStatus.ACTIVE) | Q(left_on__gte=start))
        .order_by("id")
    )


def meetings_held(branch: PartyOrg, year: int) -> Reading:
    start, end = year_bounds(year)
    held = dict.fromkeys(MEETINGS_EXPECTED, 0)
    for kind in BranchMeeting.objects.filter(branch=branch, held_on__range=(start, end)).values_list(
        "kind", flat=True
    ):
        if kind in held:
            held[kind] += 1
    parts = [min(1.0, held[kind] / expected) for kind, expected in MEETINGS_EXPECTED.items()]
    evidence = [
        _("%(kind)s: %(held)d held of %(expected)d expected")
        % {"kind": MeetingKind(kind).label, "held": held[kind], "expected": expected}
        for kind, expected in MEETINGS_EXPECTED.items()
    ]
    return Reading(sum(parts) / len(parts), evidence)


def members_registered(branch: PartyOrg, year: int) -> Reading:
    members = members_of(branch, year)
    if not members:
        return Reading(0.0, [_("The branch has no members.")])
    _start, end = year_bounds(year)
    registered = set(
        PartyMember.objects.filter(
            pk__in=[m.pk for m in members],
            registrations__registered_on__lte=end,
            registrations__status__in=(RegistrationStatus.ACTIVE, RegistrationStatus.ENDED),
        ).values_list("pk", flat=True)
    )
    evidence = [
        _("%(n)d of %(total)d members registered with the community they live in")
        % {"n": len(registered), "total": len(members)}
    ]
    return Reading(len(registered) / len(members), evidence)


def members_active(branch: PartyOrg, year: int) -> Reading:
    members = members_of(branch, year)
    if not members:
        return Reading(0.0, [_("The branch has no members.")])
    start, end = year_bounds(year)
    totals = dict(
        MemberPointsEntry.objects.filter(member__in=members, on__range=(start, end))
        .values("member")
        .annotate(total=Sum("points"))
        .values_list("member", "total")
    )
    active = [m for m in members if (totals.get(m.pk) or 0) >= ACTIVE_MEMBER_POINTS]
    evidence = [
        _("%(n)d of %(total)d members earned at least %(points)d points in the year")
        % {"n": len(active), "total": len(members), "points": ACTIVE_MEMBER_POINTS}
    ]
    return Reading(len(active) / len(members), evidence)


register("meetings", gettext_lazy("Branch meetings held"), 30, meetings_held)
register("registered", gettext_lazy("Members registered with their community"), 20, members_registered)
register("active", gettext_lazy("Members active"), 20, members_active)
