"""The figures of the overview: one appeal's contribution (a fact) and the rates computed from summed facts.

Every figure is a sum of per-appeal 0/1 measures (or of working seconds), so the same arithmetic serves a single
fact row, a rollup row and a direct GROUP BY over appeals. Definitions and formulas: docs/figures.md; they follow
linli/appeals/figures.py (H6a) one for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from linli.appeals.choices import OPEN_STATE_VALUES, RESOLVE_OUTCOMES, SOLVED_OUTCOMES, Outcome, Rating, Tier
from linli.core.workdays import SECONDS_PER_DAY, working_seconds_between

TIERS = [str(t) for t in Tier.values]
TIER_MEASURES = [f"tier_{t}" for t in TIERS] + ["tier_none"]
# Order matters only for display; every measure is an integer sum.
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
# Histogram of handling time on a fixed grid of 0.1 working day (3,240 working seconds).
BUCKET_SECONDS = SECONDS_PER_DAY // 10

_CONCLUDED = {str(o) for o in RESOLVE_OUTCOMES}
_SOLVED = {str(o) for o in SOLVED_OUTCOMES}
_OPEN = set(OPEN_STATE_VALUES)

# The appeal columns a fact is computed from.
APPEAL_COLUMNS = (
    "id",
    "updated_at",
    "created_at",
    "state",
    "outcome",
    "kind",
    "channel",
    "grid_id",
    "org_path",
    "category_id",
    "category__parent_id",
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


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def bucket_of(seconds: int) -> int:
    """Handling time rounded half up to the 0.1-working-day grid, as a whole number of tenths."""
    return int((Decimal(seconds) / Decimal(BUCKET_SECONDS)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def path_ids(org_path: str) -> tuple[int, int | None, int | None]:
    """(district, street, community) primary keys from an org path "/1/4/17/…"; district 0 when unplaced."""
    ids = [int(p) for p in (org_path or "").strip("/").split("/") if p]
    return (
        ids[0] if ids else 0,
        ids[1] if len(ids) > 1 else None,
        ids[2] if len(ids) > 2 else None,
    )


def fact_values(row: Mapping[str, Any], latest_rating: str | None, now: dt.datetime) -> dict[str, Any]:
    """One appeal's contribution: its dimensions and its 0/1 measures (see docs/figures.md)."""
    outcome = row["outcome"] or ""
    state = row["state"]
    received_day = row["created_at"].astimezone(local_tz()).date()
    district, street, community = path_ids(row["org_path"])
    category = row["category_id"]
    root = row.get("category__parent_id") or category or 0
    m: dict[str, Any] = dict.fromkeys(MEASURES, 0)
    m["received"] = 1
    m["duplicates"] = int(outcome == Outcome.DUPLICATE)
    m["withdrawn"] = int(outcome == Outcome.WITHDRAWN)
    counted = outcome not in (Outcome.DUPLICATE, Outcome.WITHDRAWN)
    bucket: int | None = None
    if counted:
        m["counted"] = 1
        is_open = state in _OPEN
        m["open"] = int(is_open)
        due = row["resolve_due_at"]
        m["overdue"] = int(is_open and due is not None and due < now)
        m["breached"] = int(row["breached_at"] is not None)
        concluded = outcome in _CONCLUDED
        m["concluded"] = int(concluded)
        m["fixed"] = int(concluded and outcome in _SOLVED)
        answered_at_once = outcome == Outcome.ANSWERED and row["dispatched_at"] is None
        reached = row["dispatched_at"] is not None or outcome == Outcome.ANSWERED
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
                seconds = working_seconds_between(row["created_at"], row["resolved_at"])
                m["handled"] = 1
                m["handling_seconds"] = seconds
                bucket = bucket_of(seconds)
        dispatched = row["dispatched_at"] is not None
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
    return {
        "day": received_day,
        "district_id": district,
        "street_id": street,
        "community_id": community,
        "grid_id": row["grid_id"],
        "org_path": row["org_path"] or "",
        "category_id": category,
        "category_root_id": root,
        "kind": row["kind"],
        "channel": row["channel"],
        "handling_bucket": bucket,
        "resolve_due_at": row["resolve_due_at"] if m["open"] else None,
        **m,
    }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def median_from_histogram(hist: Mapping[int, int]) -> float | None:
    """Median of handling times on the 0.1-day grid: the middle value, or the mean of the two middle values."""
    n = sum(hist.values())
    if n == 0:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for bucket in sorted(hist):
        count = hist[bucket]
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(bucket)
        seen += count
        if len(found) == 2:
            break
    return round((found[0] + found[1]) / 20, 2)


def empty_sums() -> dict[str, int]:
    return dict.fromkeys(MEASURES, 0)


def add_into(total: dict[str, int], row: Mapping[str, Any]) -> dict[str, int]:
    for m in MEASURES:
        total[m] += int(row.get(m) or 0)
    return total


def figures_from(sums: Mapping[str, int], hist: Mapping[int, int] | None = None) -> dict[str, Any]:
    """The dashboard's figures from summed measures (and the handling-time histogram for the median)."""
    s = {m: int(sums.get(m) or 0) for m in MEASURES}
    concluded = s["concluded"]
    avg = round(s["handling_seconds"] / SECONDS_PER_DAY / s["handled"], 2) if s["handled"] else None
    return {
        **map_figures(s),
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
        "median_handling_days": median_from_histogram(hist or {}),
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


# What the grid map colours by, and the measures it needs (a district's map sums 5,000 grids' rows).
MAP_MEASURES = [
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


def map_figures(s: Mapping[str, int]) -> dict[str, Any]:
    """The figures the grid map colours by, from MAP_MEASURES only (figures_from() includes them)."""
    concluded = s["concluded"]
    return {
        "received": s["received"],
        "open": s["open"],
        "overdue_open": s["overdue"],
        "response_rate": _ratio(s["responded"], s["reached"]),
        "resolution_rate": _ratio(s["fixed"], concluded),
        "satisfaction_rate": _ratio(s["satisfied"] + s["basically"], s["rated"]),
        "on_time_rate": _ratio(s["on_time"], concluded),
    }


def sum_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    total = empty_sums()
    for r in rows:
        add_into(total, r)
    return total
