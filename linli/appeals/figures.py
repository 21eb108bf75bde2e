"""The assessment figures (三率 and more) per unit and period. Definitions: docs/figures-appeals.md.

Computed from the appeal rows themselves (one query for the appeals, one for their latest ratings), so the same
function serves the API, the dashboard and the tests. Closed-without-fix outcomes are never counted as fixed.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from linli.core.workdays import working_days_between

from .choices import OPEN_STATE_VALUES, RESOLVE_OUTCOMES, SOLVED_OUTCOMES, Outcome, Rating, Tier
from .models import Appeal, AppealRating

_CONCLUDED = {str(o) for o in RESOLVE_OUTCOMES}
_SOLVED = {str(o) for o in SOLVED_OUTCOMES}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    received: int = 0
    counted: int = 0
    open: int = 0
    overdue_open: int = 0
    concluded: int = 0
    fixed: int = 0
    closed_without_fix: int = 0
    duplicates: int = 0
    withdrawn: int = 0
    rated: int = 0
    response_rate: float | None = None
    resolution_rate: float | None = None
    satisfaction_rate: float | None = None
    satisfied_rate: float | None = None
    on_time_rate: float | None = None
    avg_handling_days: float | None = None
    median_handling_days: float | None = None
    return_rate: float | None = None
    rework_rate: float | None = None
    closed_at_tier: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        return data


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def compute(qs: QuerySet[Appeal], *, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> Figures:
    """Figures for the appeals of `qs` received from `start` to `end` (local dates, inclusive)."""
    lo, hi = day_bounds(start, end)
    now = now or dt.datetime.now(tz=ZoneInfo(settings.TIME_ZONE))
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in qs.filter(created_at__gte=lo, created_at__lt=hi)
        .order_by()
        .values(
            "id",
            "state",
            "outcome",
            "created_at",
            "acknowledged_at",
            "ack_due_at",
            "dispatched_at",
            "resolved_at",
            "resolve_due_at",
            "resolved_on_time",
            "resolved_tier",
            "return_count",
            "rework_count",
        )
    ]
    f = Figures(start=start, end=end, received=len(rows))
    f.duplicates = sum(r["outcome"] == Outcome.DUPLICATE for r in rows)
    f.withdrawn = sum(r["outcome"] == Outcome.WITHDRAWN for r in rows)
    # Duplicates are counted through their primary; withdrawn appeals were never the unit's to solve.
    counted = [r for r in rows if r["outcome"] not in (Outcome.DUPLICATE, Outcome.WITHDRAWN)]
    f.counted = len(counted)
    f.open = sum(r["state"] in OPEN_STATE_VALUES for r in counted)
    f.overdue_open = sum(
        r["state"] in OPEN_STATE_VALUES and r["resolve_due_at"] is not None and r["resolve_due_at"] < now
        for r in counted
    )
    concluded = [r for r in counted if r["outcome"] in _CONCLUDED]
    f.concluded = len(concluded)
    f.fixed = sum(r["outcome"] in _SOLVED for r in concluded)
    f.closed_without_fix = f.concluded - f.fixed

    def responded(r: dict[str, Any]) -> bool:
        if r["outcome"] == Outcome.ANSWERED and r["dispatched_at"] is None:
            return True  # answered at first contact
        ack = r["acknowledged_at"]
        return ack is not None and (r["ack_due_at"] is None or ack <= r["ack_due_at"])

    reached = [r for r in counted if r["dispatched_at"] is not None or r["outcome"] == Outcome.ANSWERED]
    f.response_rate = _ratio(sum(responded(r) for r in reached), len(reached))
    f.resolution_rate = _ratio(f.fixed, f.concluded)
    f.on_time_rate = _ratio(sum(bool(r["resolved_on_time"]) for r in concluded), f.concluded)
    days = [working_days_between(r["created_at"], r["resolved_at"]) for r in concluded if r["resolved_at"]]
    if days:
        f.avg_handling_days = round(statistics.fmean(days), 2)
        f.median_handling_days = round(statistics.median(days), 2)
    dispatched = [r for r in counted if r["dispatched_at"] is not None]
    f.return_rate = _ratio(sum(r["return_count"] > 0 for r in dispatched), len(dispatched))
    ever_resolved = [r for r in counted if r["outcome"] in _CONCLUDED or r["rework_count"] > 0]
    f.rework_rate = _ratio(sum(r["rework_count"] > 0 for r in ever_resolved), len(ever_resolved))
    tiers = Counter(r["resolved_tier"] or "" for r in concluded)
    f.closed_at_tier = {t: _ratio(tiers[t], f.concluded) or 0.0 for t in [*Tier.values, ""] if tiers.get(t)}
    # Satisfaction: the latest rating of each appeal.
    latest: dict[int, str] = {}
    for appeal_id, value in (
        AppealRating.objects.filter(appeal_id__in=[r["id"] for r in counted])
        .order_by("at", "id")
        .values_list("appeal_id", "value")
    ):
        latest[appeal_id] = value
    f.rated = len(latest)
    values = Counter(latest.values())
    f.satisfaction_rate = _ratio(values[Rating.SATISFIED] + values[Rating.BASICALLY], f.rated)
    f.satisfied_rate = _ratio(values[Rating.SATISFIED], f.rated)
    return f


def compute_by_unit(
    qs: QuerySet[Appeal], *, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> list[tuple[str, Figures]]:
    """Figures per responsible unit (the unit the appeal sits with now, or where it was resolved)."""
    groups: dict[str, list[int]] = {}
    for a in qs.select_related("grid", "unit_node", "unit_org").order_by():
        groups.setdefault(a.unit_name or "—", []).append(a.pk)
    return [
        (name, compute(Appeal.objects.filter(pk__in=ids), start=start, end=end, now=now))
        for name, ids in sorted(groups.items())
    ]
