"""Projects' milestones, partner units' commitments, published stars, and the co-building figures of the overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Sum
from django.db.models.functions import Coalesce

from linli.core.scoping import Viewer, get_or_404
from linli.party.models import PartnerPairing
from linli.territory.models import OrgNode
from linli.territory.selectors import community_above

from ..choices import FundAccountKind, NeedState, OrderState
from ..models import (
    Commitment,
    FundEntry,
    Milestone,
    Need,
    Order,
    Project,
    StarsRelease,
)
from .fund import ZERO
from .needs import needs_visible_to, projects_visible_to


def milestone_get(pk: int) -> Milestone:
    """A milestone, as anyone sees it on its community's public page."""
    return get_or_404(Milestone.objects.all(), pk=pk)


def milestones_of(projects: list[Project]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {p.pk: [] for p in projects}
    for m in Milestone.objects.filter(project__in=projects).order_by("due_on", "pk"):
        out[m.project_id].append(m)
    return out


def commitment_lists(pairings: list[Any], year: int) -> list[dict[str, Any]]:
    """Each pairing's commitment list for the year and how much of it is fulfilled."""
    lines: dict[int, list[Any]] = {p.pk: [] for p in pairings}
    for c in Commitment.objects.filter(pairing__in=pairings, year=year).select_related("need", "project"):
        lines[c.pairing_id].append(c)
    rows = []
    for p in pairings:
        items = lines[p.pk]
        done = sum(c.done_on is not None for c in items)
        rows.append({"pairing": p, "items": items, "done": done, "total": len(items)})
    return rows


def commitments_openable(user: Viewer, rows: list[dict[str, Any]]) -> tuple[set[int], set[int]]:
    """Of the needs and projects the commitment lists claim, those the user may open (their pages link them): a
    partner unit's account reads its list but the needs and projects are the community's."""
    claimed = [c for row in rows for c in row["items"]]
    needs = needs_visible_to(user).filter(pk__in=[c.need_id for c in claimed if c.need_id])
    projects = projects_visible_to(user).filter(pk__in=[c.project_id for c in claimed if c.project_id])
    return set(needs.values_list("pk", flat=True)), set(projects.values_list("pk", flat=True))


def pairings_of(community: OrgNode) -> list[Any]:
    return list(
        PartnerPairing.objects.filter(community=community, ended_on__isnull=True)
        .select_related("partner", "community")
        .order_by("partner__name")
    )


def stars_released(community: OrgNode, *, limit: int = 4) -> list[Any]:
    return list(StarsRelease.objects.filter(community=community).order_by("-quarter_start")[:limit])


@dataclass(frozen=True)
class Overview:
    needs_raised: int
    needs_met: int
    orders_done: int
    orders_on_time: int
    orders_rated: int
    rating_avg: float | None
    projects: int
    projects_progress: float | None
    fund_balance: Decimal
    fund_in: Decimal
    fund_out: Decimal
    # The community whose figures these are when the area asked for lies below it (a compound, or a grid's
    # compound): needs, orders, projects and funds are a community's, so a compound has none of its own.
    community: OrgNode | None = None


def overview(path: str, start: dt.date, end: dt.date) -> Overview:
    """Co-building in an area (org path prefix, "" for all) over a period [start, end]: needs raised and met, orders
    done and done before their step's deadline (no breach recorded), their ratings, the projects' mean progress,
    the funds' balance now and what came in and went out in the period. Below a community the figures are its
    community's, named in `community`."""
    community = community_above(path)
    if community is not None:
        path = community.path
    needs = Need.objects.filter(community__path__startswith=path, created_at__date__range=(start, end))
    done = Order.objects.filter(community__path__startswith=path, done_at__date__range=(start, end))
    breached = set(
        done.filter(events__action="breach", events__from_state__in=[OrderState.ORDERED, OrderState.ASSIGNED])
        .values_list("pk", flat=True)
        .distinct()
    )
    done_ids = list(done.values_list("pk", flat=True))
    rated = done.filter(state=OrderState.RATED).aggregate(n=Count("pk"), avg=Avg("rating"))
    projects = Project.objects.filter(community__path__startswith=path).aggregate(
        n=Count("pk"), avg=Avg("progress")
    )
    fund_entries = FundEntry.objects.filter(
        account__kind=FundAccountKind.FUND, account__community__path__startswith=path
    )
    period = fund_entries.filter(transfer__occurred_on__range=(start, end))
    return Overview(
        needs_raised=needs.count(),
        needs_met=needs.filter(state=NeedState.MET).count(),
        orders_done=len(done_ids),
        orders_on_time=len([pk for pk in done_ids if pk not in breached]),
        orders_rated=rated["n"],
        rating_avg=rated["avg"],
        projects=projects["n"],
        projects_progress=projects["avg"],
        fund_balance=fund_entries.aggregate(s=Coalesce(Sum("amount"), ZERO))["s"],
        fund_in=period.filter(amount__gt=0).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"],
        fund_out=-period.filter(amount__lt=0).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"],
        community=community,
    )
