"""The assessment figures (三率 and more): the one place they are defined. Definitions: docs/figures-appeals.md,
docs/figures.md.

A figure is built in two steps, the same way wherever it is shown:

1. `appeal_measures()`: one appeal's 0/1 measures (counted, concluded, fixed, reached, responded, …) and its
   working seconds of handling;
2. `figures_from()`: the figures (the three rates and the others) from the sums of those measures over any set
   of appeals, plus a histogram of handling times for the median.

The appeal API sums the measures over the appeal rows themselves (`compute`); the dashboard keeps the same
measures per appeal in its facts, sums them in its rollups and applies `figures_from()` to the rollup sums.
Closed-without-fix outcomes are never counted as fixed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from linli.core.workdays import SECONDS_PER_DAY, working_seconds_between

from .choices import OPEN_STATE_VALUES, RESOLVE_OUTCOMES, SOLVED_OUTCOMES, Outcome, Rating, Tier
from .models import Appeal, AppealPart, AppealRating

TIERS = [str(t) for t in Tier.values]
TIER_MEASURES = [f"tier_{t}" for t in TIERS] + ["tier_none"]
# Every measure is an integer sum; the order matters only for display.
MEASURES = [
    "received",
    "counted",
    "duplicates",
    "withdrawn",
    "open",
    "overdue",
    "breached",
    "concluded",
    "fixed",
    "reached",
    "responded",
    "on_time",
    "handled",
    "handling_seconds",
    "dispatched",
    "returned",
    "ever_resolved",
    "reworked",
    "rated",
    "satisfied",
    "basically",
    "unsatisfied",
    *TIER_MEASURES,
]
# The headline figures (what the dashboard's grid map colours by) and the only measures they need.
HEADLINE_MEASURES = [
    "received",
    "open",
    "overdue",
    "reached",
    "responded",
    "concluded",
    "fixed",
    "on_time",
    "rated",
    "satisfied",
    "basically",
]
# The headline figures, in the order they are shown.
HEADLINE_FIGURES = [
    "received",
    "open",
    "overdue_open",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "on_time_rate",
]
# The appeal columns an appeal's measures are computed from.
MEASURE_COLUMNS = (
    "id",
    "created_at",
    "state",
    "outcome",
    "acknowledged_at",
    "ack_due_at",
    "dispatched_at",
    "resolved_at",
    "resolve_due_at",
    "resolved_on_time",
    "resolved_tier",
    "return_count",
    "rework_count",
    "breached_at",
)
# A histogram of handling times on a grid of 0.1 working day (3,240 working seconds): what the rollups keep.
BUCKET_SECONDS = SECONDS_PER_DAY // 10
BUCKETS_PER_DAY = 10

_CONCLUDED = {str(o) for o in RESOLVE_OUTCOMES}
_SOLVED = {str(o) for o in SOLVED_OUTCOMES}
_OPEN = set(OPEN_STATE_VALUES)


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = local_tz()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def latest_ratings(ids: Iterable[int]) -> dict[int, str]:
    """Each appeal's latest rating (by time, then id): after a rework, the second rating replaces the first."""
    latest: dict[int, str] = {}
    for appeal_id, value in (
        AppealRating.objects.filter(appeal_id__in=list(ids))
        .order_by("at", "id")
        .values_list("appeal_id", "value")
    ):
        latest[appeal_id] = value
    return latest


def appeal_measures(row: Mapping[str, Any], latest_rating: str | None, now: dt.datetime) -> dict[str, int]:
    """One appeal's contribution to every figure: its 0/1 measures and its working seconds of handling."""
    outcome = row["outcome"] or ""
    m = dict.fromkeys(MEASURES, 0)
    m["received"] = 1
    m["duplicates"] = int(outcome == Outcome.DUPLICATE)
    m["withdrawn"] = int(outcome == Outcome.WITHDRAWN)
    # Duplicates are counted through their primary, a split appeal through its parts; withdrawn appeals were
    # never the unit's to solve.
    if outcome in (Outcome.DUPLICATE, Outcome.WITHDRAWN, Outcome.SPLIT):
        return m
    m["counted"] = 1
    is_open = row["state"] in _OPEN
    m["open"] = int(is_open)
    due = row["resolve_due_at"]
    m["overdue"] = int(is_open and due is not None and due < now)
    # Missed the deadline at some point: marked by the worker, or open past it now (not yet marked), so 曾超期
    # always holds every appeal of 超期在办.
    m["breached"] = int(row["breached_at"] is not None or m["overdue"])
    concluded = outcome in _CONCLUDED
    m["concluded"] = int(concluded)
    m["fixed"] = int(concluded and outcome in _SOLVED)
    dispatched = row["dispatched_at"] is not None
    answered_at_once = outcome == Outcome.ANSWERED and not dispatched
    reached = dispatched or outcome == Outcome.ANSWERED
    m["reached"] = int(reached)
    ack = row["acknowledged_at"]
    responded = answered_at_once or (
        ack is not None and (row["ack_due_at"] is None or ack <= row["ack_due_at"])
    )
    m["responded"] = int(reached and responded)
    if concluded:
        m["on_time"] = int(bool(row["resolved_on_time"]))
        tier = row["resolved_tier"] or ""
        m[f"tier_{tier}" if tier in TIERS else "tier_none"] = 1
        if row["resolved_at"] is not None:
            m["handled"] = 1
            m["handling_seconds"] = working_seconds_between(row["created_at"], row["resolved_at"])
    m["dispatched"] = int(dispatched)
    m["returned"] = int(dispatched and row["return_count"] > 0)
    ever = concluded or row["rework_count"] > 0
    m["ever_resolved"] = int(ever)
    m["reworked"] = int(ever and row["rework_count"] > 0)
    if latest_rating:
        m["rated"] = 1
        m["satisfied"] = int(latest_rating == Rating.SATISFIED)
        m["basically"] = int(latest_rating == Rating.BASICALLY)
        m["unsatisfied"] = int(latest_rating == Rating.UNSATISFIED)
    return m


def bucket_of(seconds: int) -> int:
    """Handling time rounded half up to the 0.1-working-day grid, as a whole number of tenths."""
    return int((Decimal(seconds) / Decimal(BUCKET_SECONDS)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def empty_sums() -> dict[str, int]:
    return dict.fromkeys(MEASURES, 0)


def add_into(total: dict[str, int], row: Mapping[str, Any]) -> dict[str, int]:
    for m in MEASURES:
        total[m] += int(row.get(m) or 0)
    return total


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def median_from_histogram(hist: Mapping[int, int], per_day: int = BUCKETS_PER_DAY) -> float | None:
    """Median handling time in working days from a histogram of times counted in 1/`per_day` of a working day
    (tenths on the rollups' grid, seconds for exact times): the middle value, or the mean of the two middle
    values, rounded to 2 decimals."""
    n = sum(hist.values())
    if n == 0:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(hist):
        count = hist[value]
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(value)
        seen += count
        if len(found) == 2:
            break
    return round((found[0] + found[1]) / (2 * per_day), 2)


def headline_figures(s: Mapping[str, int]) -> dict[str, Any]:
    """The headline figures from HEADLINE_MEASURES only (figures_from() includes them)."""
    concluded = s["concluded"]
    return {
        "received": s["received"],
        "open": s["open"],
        "overdue_open": s["overdue"],
        "response_rate": _ratio(s["responded"], s["reached"]),
        "resolution_rate": _ratio(s["fixed"], concluded),
        "satisfaction_rate": _ratio(s["satisfied"] + s["basically"], s["rated"]),
        # Due = concluded, or still open past the deadline: an appeal left open after its deadline is late
        # already, and must not leave the denominator (it would make a unit look punctual by not concluding).
        "on_time_rate": _ratio(s["on_time"], concluded + s["overdue"]),
    }


def figures_from(
    sums: Mapping[str, int], hist: Mapping[int, int] | None = None, *, per_day: int = BUCKETS_PER_DAY
) -> dict[str, Any]:
    """Every figure from summed measures (and a histogram of handling times, see median_from_histogram)."""
    s = {m: int(sums.get(m) or 0) for m in MEASURES}
    concluded = s["concluded"]
    avg = round(s["handling_seconds"] / SECONDS_PER_DAY / s["handled"], 2) if s["handled"] else None
    return {
        **headline_figures(s),
        "counted": s["counted"],
        "duplicates": s["duplicates"],
        "withdrawn": s["withdrawn"],
        "breached": s["breached"],
        "concluded": concluded,
        "fixed": s["fixed"],
        "closed_without_fix": concluded - s["fixed"],
        "rated": s["rated"],
        "satisfied": s["satisfied"],
        "basically": s["basically"],
        "unsatisfied": s["unsatisfied"],
        "satisfied_rate": _ratio(s["satisfied"], s["rated"]),
        "avg_handling_days": avg,
        "median_handling_days": median_from_histogram(hist or {}, per_day),
        "return_rate": _ratio(s["returned"], s["dispatched"]),
        "rework_rate": _ratio(s["reworked"], s["ever_resolved"]),
        "closed_at_tier": {
            t: _ratio(s[f"tier_{t}"], concluded) or 0.0 for t in [*TIERS, "none"] if s[f"tier_{t}"]
        },
        "closed_at_tier_counts": {t: s[f"tier_{t}"] for t in [*TIERS, "none"]},
        "grassroots_share": _ratio(s["tier_grid"] + s["tier_compound"], concluded),
        "community_share": _ratio(s["tier_grid"] + s["tier_compound"] + s["tier_community"], concluded),
        "street_share": _ratio(
            s["tier_grid"] + s["tier_compound"] + s["tier_community"] + s["tier_street"], concluded
        ),
    }


def sums_over(
    qs: QuerySet[Appeal], *, start: dt.date, end: dt.date, now: dt.datetime
) -> tuple[dict[str, int], Counter[int]]:
    """The summed measures of the appeals of `qs` received from `start` to `end` (local dates, inclusive), and
    their handling times in working seconds (seconds → how many appeals). Two queries."""
    lo, hi = day_bounds(start, end)
    rows = list(qs.filter(created_at__gte=lo, created_at__lt=hi).order_by().values(*MEASURE_COLUMNS))
    ratings = latest_ratings(r["id"] for r in rows)
    total = empty_sums()
    seconds: Counter[int] = Counter()
    for row in rows:
        m = appeal_measures(row, ratings.get(row["id"]), now)
        add_into(total, m)
        if m["handled"]:
            seconds[m["handling_seconds"]] += 1
    return total, seconds


@dataclass
class Figures:
    """The figures the appeal API serves (a tier closed at is keyed "" when no tier was recorded)."""

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


FIGURE_NAMES = [f.name for f in fields(Figures) if f.name not in ("start", "end")]


def compute(qs: QuerySet[Appeal], *, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> Figures:
    """Figures for the appeals of `qs` received from `start` to `end` (local dates, inclusive); the median of
    the exact handling times."""
    now = now or dt.datetime.now(tz=local_tz())
    sums, seconds = sums_over(qs, start=start, end=end, now=now)
    f = figures_from(sums, seconds, per_day=SECONDS_PER_DAY)
    f["closed_at_tier"] = {("" if t == "none" else t): v for t, v in f["closed_at_tier"].items()}
    return Figures(start=start, end=end, **{k: f[k] for k in FIGURE_NAMES})


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


# --- 吹哨报到: departments ranked by their parts ------------------------------------------------------------


@dataclass
class DepartmentRank:
    """One summoned unit's record over the parts it was summoned to in a period (withdrawn parts left out).

    Report-in on time = reported in by its deadline ÷ parts due to report in (reported, or past the deadline and
    still not in); finished on time likewise against the finish date (done, or past it and still open), as the
    appeals' on-time rate counts an open appeal past its deadline as late. Satisfaction = satisfied and
    basically satisfied ÷ rated, over the appeals it had a part in (their latest rating)."""

    organisation_id: int
    name: str
    summoned: int = 0
    report_due: int = 0
    reported_on_time: int = 0
    finish_due: int = 0
    finished_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    report_on_time_rate: float | None = None
    finish_on_time_rate: float | None = None
    satisfaction_rate: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ranked(rank: DepartmentRank) -> tuple[float, float, float, str]:
    """Best first: report-in on time, then finished on time, then satisfaction; a unit without a figure last."""
    return (
        -(rank.report_on_time_rate if rank.report_on_time_rate is not None else -1),
        -(rank.finish_on_time_rate if rank.finish_on_time_rate is not None else -1),
        -(rank.satisfaction_rate if rank.satisfaction_rate is not None else -1),
        rank.name,
    )


def department_ranking(
    appeals: QuerySet[Appeal], *, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> list[DepartmentRank]:
    """Summoned units ranked by report-in on time, parts finished on time and satisfaction, over the parts
    summoned from `start` to `end` (local dates, inclusive) on the appeals of `appeals`. Two queries."""
    now = now or dt.datetime.now(tz=local_tz())
    lo, hi = day_bounds(start, end)
    rows = list(
        AppealPart.objects.filter(
            appeal__in=appeals.order_by().values("pk"),
            summoned_at__gte=lo,
            summoned_at__lt=hi,
            withdrawn_at__isnull=True,
        )
        .order_by()
        .values(
            "appeal_id",
            "organisation_id",
            "organisation__name",
            "report_due_at",
            "reported_in_at",
            "due_at",
            "done_at",
        )
    )
    ratings = latest_ratings({r["appeal_id"] for r in rows})
    ranks: dict[int, DepartmentRank] = {}
    rated_pairs: set[tuple[int, int]] = set()
    for r in rows:
        rank = ranks.setdefault(
            r["organisation_id"], DepartmentRank(r["organisation_id"], r["organisation__name"])
        )
        rank.summoned += 1
        if r["reported_in_at"] is not None or r["report_due_at"] <= now:
            rank.report_due += 1
            in_at = r["reported_in_at"]
            rank.reported_on_time += int(in_at is not None and in_at <= r["report_due_at"])
        if r["due_at"] is not None and (r["done_at"] is not None or r["due_at"] <= now):
            rank.finish_due += 1
            rank.finished_on_time += int(r["done_at"] is not None and r["done_at"] <= r["due_at"])
        value = ratings.get(r["appeal_id"])
        if value is not None and (r["organisation_id"], r["appeal_id"]) not in rated_pairs:
            rated_pairs.add((r["organisation_id"], r["appeal_id"]))
            rank.rated += 1
            rank.satisfied += int(value in (Rating.SATISFIED, Rating.BASICALLY))
    for rank in ranks.values():
        rank.report_on_time_rate = _ratio(rank.reported_on_time, rank.report_due)
        rank.finish_on_time_rate = _ratio(rank.finished_on_time, rank.finish_due)
        rank.satisfaction_rate = _ratio(rank.satisfied, rank.rated)
    return sorted(ranks.values(), key=_ranked)
