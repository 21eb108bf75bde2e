"""The overview's co-governance panel over an area and a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from linli.core.orgpath import path_ids
from linli.territory.models import OrgNode
from linli.territory.selectors import community_above

from ..choices import Stage, VoteStatus
from ..models import Ballot, Meeting, MeetingRating, Result, Vote


@dataclass
class Overview:
    units: list[dict[str, Any]]  # per community: meetings held, filed
    meetings: int
    decisions_due: int
    decisions_on_time: int
    households_voting: int
    households_asked: int
    ratings: dict[str, int]
    # The community whose figures these are when the area asked for lies below it (a compound, or a grid's
    # compound): meetings are mostly a community's, and a compound's own meetings and votes count in it.
    community: OrgNode | None = None

    @property
    def on_time_rate(self) -> float | None:
        return self.decisions_on_time / self.decisions_due if self.decisions_due else None

    @property
    def participation(self) -> float | None:
        return self.households_voting / self.households_asked if self.households_asked else None

    @property
    def satisfaction(self) -> float | None:
        total = sum(self.ratings.values())
        return (self.ratings["satisfied"] + self.ratings["basic"]) / total if total else None


def overview(path: str, start: dt.date, end: dt.date) -> Overview:
    """Co-governance in an area (org path prefix, "" for all) over a period: meetings held per community,
    decisions due in the period and done by their due date, households voting among those asked (votes closed
    in the period), and the residents' ratings of outcomes (meetings that reached 评价反馈 in the period). Below a
    community the figures are its community's (its compounds' included), named in `community`."""
    above = community_above(path)
    if above is not None:
        path = above.path
    held = Meeting.objects.filter(
        node__path__startswith=path, scheduled_at__date__range=(start, end)
    ).exclude(stage=Stage.COLLECT)
    communities = dict(OrgNode.objects.filter(kind="community").values_list("pk", "name"))
    per_unit: dict[int, dict[str, Any]] = {}
    for node_path, stage in held.values_list("node__path", "stage"):
        community = next((pk for pk in path_ids(node_path) if pk in communities), None)
        if community is None:
            continue
        row = per_unit.setdefault(community, {"name": communities[community], "held": 0, "filed": 0})
        row["held"] += 1
        row["filed"] += stage == Stage.FILED
    due = Result.objects.filter(
        meeting__node__path__startswith=path, parent__isnull=True, due_on__range=(start, end)
    ).exclude(status="dropped")
    done_in_time = 0
    for result in due.filter(status="done").prefetch_related("updates", "children__updates"):
        # Done when its last step was reported: its own, or its parts' when its progress rolls up from them.
        finished = max((u.at for u in result.updates.all()), default=None) or max(
            (u.at for c in result.children.all() for u in c.updates.all()), default=None
        )
        if finished is not None and timezone.localtime(finished).date() <= result.due_on:
            done_in_time += 1
    closed = Vote.objects.filter(
        node__path__startswith=path, status=VoteStatus.CLOSED, closed_at__date__range=(start, end)
    )
    figures = closed.aggregate(asked=Sum("base_households"))
    # Households voting: a per-resident vote's household counts once however many of its residents voted.
    figures["voting"] = (
        Ballot.objects.filter(vote__in=closed).values("vote_id", "household_id").distinct().count()
    )
    rated = MeetingRating.objects.filter(meeting__node__path__startswith=path, at__date__range=(start, end))
    counts = dict(rated.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    return Overview(
        units=sorted(per_unit.values(), key=lambda r: -r["held"]),
        meetings=held.count(),
        decisions_due=due.count(),
        decisions_on_time=done_in_time,
        households_voting=figures["voting"] or 0,
        households_asked=figures["asked"] or 0,
        ratings={key: counts.get(key, 0) for key in ("satisfied", "basic", "unsatisfied")},
        community=above,
    )
