"""One appeal's fact: its dimensions (received day, district, street, community, grid, category, …) and its
measures, which `linli.appeals.figures` defines. The rollups sum the facts; the figures are
`linli.appeals.figures.figures_from()` applied to the sums. Definitions and formulas: docs/figures.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from linli.appeals.figures import MEASURE_COLUMNS, appeal_measures, bucket_of, local_tz
from linli.core.orgpath import path_ids

# The appeal columns a fact is computed from: the measures' and the dimensions'.
APPEAL_COLUMNS = (
    *MEASURE_COLUMNS,
    "updated_at",
    "kind",
    "channel",
    "grid_id",
    "org_path",
    "category_id",
    "category__parent_id",
)


def fact_values(row: Mapping[str, Any], latest_rating: str | None, now: dt.datetime) -> dict[str, Any]:
    """One appeal's contribution: its dimensions and its measures (see docs/figures.md)."""
    ids = path_ids(row["org_path"])
    category = row["category_id"]
    m = appeal_measures(row, latest_rating, now)
    return {
        "day": row["created_at"].astimezone(local_tz()).date(),
        "district_id": ids[0] if ids else 0,  # 0 when unplaced
        "street_id": ids[1] if len(ids) > 1 else None,
        "community_id": ids[2] if len(ids) > 2 else None,
        "grid_id": row["grid_id"],
        "org_path": row["org_path"] or "",
        "category_id": category,
        "category_root_id": row.get("category__parent_id") or category or 0,
        "kind": row["kind"],
        "channel": row["channel"],
        "handling_bucket": bucket_of(m["handling_seconds"]) if m["handled"] else None,
        "resolve_due_at": row["resolve_due_at"] if m["open"] else None,
        **m,
    }
