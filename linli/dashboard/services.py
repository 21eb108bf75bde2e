"""Rollup maintenance: every write to the overview's tables goes through here.

The worker job `dashboard.rollups` calls `rollups_refresh()`: it reads appeals changed since the watermark
(Appeal.updated_at, re-scanning a safety window so equal timestamps and late commits are not missed), plus open
appeals whose resolution deadline has passed since the last run (their overdue flag changed with no write), and
calls `fact_refresh()` for each. A refresh is idempotent: it computes the appeal's contribution now, compares it
with the stored fact and applies only the difference (new − old) to the rollups, in one transaction. Two workers
never apply the same difference twice: the fact row is replaced by compare-and-swap on its previous values
(plus SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), and the loser simply skips the appeal.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from linli.appeals.figures import HEADLINE_MEASURES, MEASURES, latest_ratings
from linli.appeals.models import Appeal

from .measures import APPEAL_COLUMNS, fact_values
from .models import AppealFact, GridRollup, HandlingBucket, Rollup, RollupState

logger = logging.getLogger("linli.dashboard")

SAFETY_WINDOW = dt.timedelta(minutes=10)
BATCH = 2000

RollupKey = tuple[str, dt.date, str, int, int]  # grain, start, level, node, category root
BucketKey = tuple[str, dt.date, str, int, int]  # grain, start, level, node, bucket
GridKey = tuple[str, dt.date, int, int, int, int]  # grain, start, grid, district, street, community


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def year_start(day: dt.date) -> dt.date:
    return day.replace(month=1, day=1)


def rollup_keys(fact: dict[str, Any]) -> list[RollupKey]:
    """Every rollup row an appeal's fact contributes to."""
    day: dt.date = fact["day"]
    month = month_start(day)
    year = year_start(day)
    cat = int(fact["category_root_id"] or 0)
    keys: list[RollupKey] = []
    units = [
        ("district", fact["district_id"]),
        ("street", fact["street_id"]),
        ("community", fact["community_id"]),
    ]
    for level, node in units:
        if node is None:
            continue
        if level != "community":
            keys.append(("day", day, level, int(node), cat))
        keys.append(("month", month, level, int(node), cat))
        keys.append(("year", year, level, int(node), cat))
    if fact["grid_id"] is not None:
        keys.append(("month", month, "grid", int(fact["grid_id"]), 0))
        keys.append(("year", year, "grid", int(fact["grid_id"]), 0))
    return keys


def grid_keys(fact: dict[str, Any]) -> list[GridKey]:
    """The grid map's rows an appeal's fact contributes to (none without a grid)."""
    if fact["grid_id"] is None:
        return []
    day: dt.date = fact["day"]
    units = (int(fact["district_id"] or 0), int(fact["street_id"] or 0), int(fact["community_id"] or 0))
    grid = int(fact["grid_id"])
    return [("month", month_start(day), grid, *units), ("year", year_start(day), grid, *units)]


def bucket_keys(fact: dict[str, Any]) -> list[BucketKey]:
    if fact.get("handling_bucket") is None:
        return []
    return [(g, s, lv, n, int(fact["handling_bucket"])) for g, s, lv, n, _c in rollup_keys(fact)]


def _measures(fact: dict[str, Any] | None) -> dict[str, int]:
    return {m: int(fact[m]) for m in MEASURES} if fact else dict.fromkeys(MEASURES, 0)


def _date_param(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _add_into(table: str, keys: list[str], sums: list[str], rows: list[list[Any]]) -> None:
    """Add each row's `sums` into the row of `table` with the same `keys`, creating it if missing (one upsert
    statement per batch; the second key is always the start date)."""
    if not rows:
        return
    marks = ", ".join(["%s"] * (len(keys) + len(sums)))
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in sums)
    sql = (
        f"INSERT INTO {table} ({', '.join(keys + sums)}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    for row in rows:
        row[1] = _date_param(row[1])
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _apply_rollup_deltas(deltas: dict[RollupKey, dict[str, int]]) -> None:
    keys = ["grain", "start", "level", "node_id", "category_root_id"]
    rows = [[*key, *[d[m] for m in MEASURES]] for key, d in deltas.items() if any(d.values())]
    _add_into(Rollup._meta.db_table, keys, MEASURES, rows)


def _apply_bucket_deltas(deltas: dict[BucketKey, int]) -> None:
    keys = ["grain", "start", "level", "node_id", "bucket"]
    _add_into(HandlingBucket._meta.db_table, keys, ["n"], [[*key, d] for key, d in deltas.items() if d])


def _apply_grid_deltas(deltas: dict[GridKey, dict[str, int]]) -> None:
    keys = ["grain", "start", "grid_id", "district_id", "street_id", "community_id"]
    rows = [[*key, *[d[m] for m in HEADLINE_MEASURES]] for key, d in deltas.items() if any(d.values())]
    _add_into(GridRollup._meta.db_table, keys, HEADLINE_MEASURES, rows)


def _fact_dict(fact: AppealFact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {f.attname: getattr(fact, f.attname) for f in AppealFact._meta.concrete_fields}


@dataclass
class Deltas:
    """Differences to apply to the rollups, the grid map's rows and the handling-time buckets."""

    rollups: dict[RollupKey, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    )
    grids: dict[GridKey, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(HEADLINE_MEASURES, 0))
    )
    buckets: dict[BucketKey, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, fact: dict[str, Any] | None, sign: int) -> None:
        if fact is None:
            return
        values = _measures(fact)
        for key in rollup_keys(fact):
            row = self.rollups[key]
            for m in MEASURES:
                row[m] += sign * values[m]
        for gkey in grid_keys(fact):
            grow = self.grids[gkey]
            for m in HEADLINE_MEASURES:
                grow[m] += sign * values[m]
        for bkey in bucket_keys(fact):
            self.buckets[bkey] += sign

    def apply(self) -> None:
        _apply_rollup_deltas(self.rollups)
        _apply_grid_deltas(self.grids)
        _apply_bucket_deltas(self.buckets)


_COMPARED = [
    "day",
    "district_id",
    "street_id",
    "community_id",
    "grid_id",
    "org_path",
    "category_id",
    "category_root_id",
    "kind",
    "channel",
    "handling_bucket",
    "resolve_due_at",
    *MEASURES,
]


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(old[k] == new[k] for k in _COMPARED)


def facts_refresh(*, appeal_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Bring the facts (and the rollups, by delta) of these appeals up to date; returns how many changed.

    Appeals are taken in chunks of 500, one transaction each: the facts are locked (SKIP LOCKED on PostgreSQL,
    an appeal another worker holds is left to it), every fact is replaced by compare-and-swap, and the
    differences of the appeals actually swapped are merged and applied to the rollups in one statement batch."""
    now = now or timezone.now()
    ids = sorted(set(appeal_ids))
    changed = 0
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        rows = {r["id"]: r for r in Appeal.objects.filter(pk__in=chunk).order_by().values(*APPEAL_COLUMNS)}
        ratings = latest_ratings(list(rows))
        new: dict[int, dict[str, Any] | None] = {}
        for appeal_id in chunk:
            row = rows.get(appeal_id)
            new[appeal_id] = (
                None
                if row is None
                else {
                    "appeal_id": appeal_id,
                    "source_updated_at": row["updated_at"],
                    **fact_values(row, ratings.get(appeal_id), now),
                }
            )
        changed += _chunk_apply(new)
    return changed


CHUNK = 500


def _chunk_apply(new: dict[int, dict[str, Any] | None]) -> int:
    with transaction.atomic():
        qs = AppealFact.objects.filter(pk__in=list(new))
        if connection.vendor == "postgresql":
            olds = {f.pk: f for f in qs.select_for_update(skip_locked=True).order_by("pk")}
            held = set(qs.values_list("pk", flat=True)) - set(olds)
        else:
            olds = {f.pk: f for f in qs}
            held = set()
        deltas = Deltas()
        done = 0
        for appeal_id, fact in new.items():
            if appeal_id in held:
                continue  # another worker holds this appeal; the safety window brings it back
            old = _fact_dict(olds.get(appeal_id))
            if not _swap(appeal_id, old, fact):
                continue
            deltas.add(old, -1)
            deltas.add(fact, 1)
            done += 1
        deltas.apply()
    return done


def _swap(appeal_id: int, old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """Replace the stored fact `old` by `new`; False when there is nothing to change or another worker won."""
    if old is not None and new is not None and _same(old, new):
        if old["source_updated_at"] != new["source_updated_at"]:
            AppealFact.objects.filter(pk=appeal_id).update(source_updated_at=new["source_updated_at"])
        return False
    if old is None and new is None:
        return False
    if old is None:
        assert new is not None
        try:
            with transaction.atomic():
                AppealFact.objects.create(**new)
        except IntegrityError:
            return False  # another worker inserted it first
        return True
    current = AppealFact.objects.filter(
        pk=appeal_id, source_updated_at=old["source_updated_at"], **{k: old[k] for k in _COMPARED}
    )
    if new is None:
        return current.delete()[0] == 1
    return current.update(**{k: v for k, v in new.items() if k != "appeal_id"}) == 1


def _state() -> RollupState:
    state, _created = RollupState.objects.get_or_create(name="appeals")
    return state


def rollups_refresh(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """The worker's step: facts of appeals changed since the watermark, and of open appeals newly overdue."""
    return _step(now or timezone.now(), batch)[0]


def _step(now: dt.datetime, batch: int) -> tuple[int, bool]:
    """One batch; returns (facts changed, whether more work is waiting)."""
    state = _state()
    # Appeals whose fact is missing or older than the appeal, within the safety window before the watermark.
    stale = Appeal.objects.filter(
        ~Exists(AppealFact.objects.filter(appeal_id=OuterRef("pk"), source_updated_at=OuterRef("updated_at")))
    )
    if state.watermark is not None:
        stale = stale.filter(updated_at__gte=state.watermark - SAFETY_WINDOW)
    candidates = list(stale.order_by("updated_at", "id").values_list("id", "updated_at")[:batch])
    # Open appeals whose deadline passed since the last run (the partial index on open facts finds them).
    due = AppealFact.objects.filter(open=1, overdue=0, resolve_due_at__lt=now)
    if state.overdue_as_of is not None:
        due = due.filter(resolve_due_at__gte=state.overdue_as_of - SAFETY_WINDOW)
    overdue = list(due.order_by("resolve_due_at").values_list("appeal_id", "resolve_due_at")[:batch])
    changed = facts_refresh(appeal_ids=[c[0] for c in candidates] + [o[0] for o in overdue], now=now)
    updates: dict[str, Any] = {}
    if candidates and (state.watermark is None or candidates[-1][1] > state.watermark):
        updates["watermark"] = candidates[-1][1]
    # Move the overdue clock only as far as the deadlines handled (all of them unless the batch was full).
    updates["overdue_as_of"] = overdue[-1][1] if len(overdue) == batch else now
    RollupState.objects.filter(pk=state.pk).update(**updates)
    return changed, len(candidates) == batch or len(overdue) == batch


def rollups_refresh_all(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """Run the worker step until nothing is waiting (used by `linli rollups refresh` and the tests)."""
    now = now or timezone.now()
    total = 0
    while True:
        changed, more = _step(now, batch)
        total += changed
        if not more:
            return total


def rollups_rebuild(*, now: dt.datetime | None = None) -> int:
    """Throw the rollups away and recompute every fact from the appeals (idempotent, takes a while)."""
    now = now or timezone.now()
    with transaction.atomic():
        HandlingBucket.objects.all().delete()
        GridRollup.objects.all().delete()
        Rollup.objects.all().delete()
        AppealFact.objects.all().delete()
        RollupState.objects.filter(name="appeals").delete()
    ids = list(Appeal.objects.order_by("id").values_list("id", flat=True))
    done = facts_refresh(appeal_ids=ids, now=now)
    newest = Appeal.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    RollupState.objects.update_or_create(
        name="appeals", defaults={"watermark": newest, "overdue_as_of": now, "rebuilt_at": now}
    )
    return done
