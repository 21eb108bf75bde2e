"""Benchmark of the overview at city scale on PostgreSQL: rollup queries against direct GROUP BY over appeals.

    nice -n 10 .venv/bin/python bench/dashboard.py [--appeals N]      (default 10,000,000)

Needs DATABASE_URL (postgres://…); without it a throwaway cluster is started with scripts/with_postgres.py. The
database is migrated, then filled server-side (generate_series / COPY, never the ORM per row): an org tree of
4 districts × 12 streets × 25 communities over 20,000 grids, N appeals over 5 years in every state with ratings
(some re-rated after rework). The facts and rollups are then built in SQL with the same definitions as
linli/appeals/figures.py (a sample of facts is recomputed in Python and compared), and the dashboard's
requests are timed (district/street/community × year/month/week): the page's figures, trend, categories, ranking
and breached list through linli.dashboard.selectors, and the grid map's request through its view, polygons
included. The same figures, and every row of the year rankings, are computed by a direct GROUP BY over the raw
appeals and compared; the map's grids must add up to the page's total. Then a thousand appeals change and the
worker's incremental refresh is timed and checked too. The last line:

    appeals=… p95_ms=… direct_p95_ms=… speedup=… equal=true

p95_ms is over the page and map requests together; direct_p95_ms over the direct GROUP BY of the same figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTRICTS, STREETS, COMMUNITIES, GRIDS = 4, 12, 25, 20_000
YEARS_DAYS = 5 * 365 + 1


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    os.environ.setdefault("LINLI_VAR_DIR", "/tmp/var-bench-dashboard")
    import django

    django.setup()


def sql(statement: str, params: Any = None) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params)


def scalar(statement: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params)
        row = cur.fetchone()
    return row[0] if row else None


def copy_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    with (
        connection.cursor() as cur,
        cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


# --- Generation -------------------------------------------------------------------------------------------


def drop_indexes(table: str) -> list[str]:
    """Drop a table's secondary indexes (not those behind a constraint) for a bulk load; returns their DDL."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = %s AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [table],
        )
        found = cur.fetchall()
        for name, _ddl in found:
            cur.execute(f'DROP INDEX "{name}"')
    return [ddl for _name, ddl in found]


def drop_unique_constraints(table: str) -> list[str]:
    """Drop a table's unique constraints for a bulk load; returns the DDL that adds them back."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [table],
        )
        found = cur.fetchall()
        for name, _ddl in found:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}' for name, ddl in found]


def create_indexes(ddls: list[str]) -> None:
    for ddl in ddls:
        sql(ddl)


def build_territory() -> None:
    """Org nodes and 20,000 grids (squares on a lattice), with materialised paths."""
    from linli.territory.models import Grid, OrgNode

    now = dt.datetime.now(dt.UTC)
    nodes: list[tuple[Any, ...]] = []
    next_id = 1
    grids: list[tuple[Any, ...]] = []
    communities: list[tuple[int, str]] = []
    for d in range(DISTRICTS):
        did = next_id
        next_id += 1
        nodes.append((did, "district", f"第{d + 1}区", f"11{d:02d}", None, f"/{did}/", 0, now, now))
        for s in range(STREETS):
            sid = next_id
            next_id += 1
            nodes.append(
                (
                    sid,
                    "street",
                    f"{d + 1}区{s + 1}街道",
                    f"11{d:02d}{s:03d}",
                    did,
                    f"/{did}/{sid}/",
                    1,
                    now,
                    now,
                )
            )
            for c in range(COMMUNITIES):
                cid = next_id
                next_id += 1
                path = f"/{did}/{sid}/{cid}/"
                nodes.append(
                    (
                        cid,
                        "community",
                        f"{d + 1}区{s + 1}街{c + 1}社区",
                        f"11{d:02d}{s:03d}{c:03d}",
                        sid,
                        path,
                        2,
                        now,
                        now,
                    )
                )
                communities.append((cid, path))
    copy_rows(
        OrgNode._meta.db_table,
        ["id", "kind", "name", "code", "parent_id", "path", "depth", "created_at", "updated_at"],
        nodes,
    )
    sql(f"SELECT setval(pg_get_serial_sequence('{OrgNode._meta.db_table}', 'id'), {next_id})")
    for i in range(GRIDS):
        cid, _path = communities[i % len(communities)]
        x, y = 116.0 + (i % 200) * 0.004, 39.6 + (i // 200) * 0.004
        poly = {
            "type": "Polygon",
            "coordinates": [[[x, y], [x + 0.004, y], [x + 0.004, y + 0.004], [x, y + 0.004], [x, y]]],
        }
        grids.append(
            (
                i + 1,
                f"G{i + 1:05d}",
                f"网格{i + 1}",
                "grid",
                cid,
                json.dumps(poly),
                x,
                y,
                x + 0.004,
                y + 0.004,
                x + 0.002,
                y + 0.002,
                190_000.0,
                "",
                now,
                now,
            )
        )
    copy_rows(
        Grid._meta.db_table,
        [
            "id",
            "code",
            "name",
            "kind",
            "org_node_id",
            "boundary",
            "min_lng",
            "min_lat",
            "max_lng",
            "max_lat",
            "centroid_lng",
            "centroid_lat",
            "area_m2",
            "station_name",
            "created_at",
            "updated_at",
        ],
        grids,
    )
    sql(f"SELECT setval(pg_get_serial_sequence('{Grid._meta.db_table}', 'id'), {GRIDS + 1})")


def build_appeals(n: int, now: dt.datetime) -> None:
    """N appeals over five years, in every state, generated server-side in chunks."""
    from linli.appeals.models import Appeal, AppealRating, Category

    table = Appeal._meta.db_table
    cats = list(Category.objects.filter(parent__isnull=False).values_list("id", flat=True))
    cat_array = "(ARRAY[" + ",".join(map(str, cats)) + "]::bigint[])"
    listed = (
        "id, tracking_number, kind, category_id, title, description, channel, contact_name, contact_phone, "
        "address, grid_id, org_path, priority, state, state_before_pause, tier, paused_seconds, "
        "dispatched_at, ack_due_at, acknowledged_at, resolve_due_at, resolved_at, resolved_on_time, "
        "resolved_tier, outcome, resolution_note, breached_at, return_count, rework_count, "
        "escalation_count, urge_count, is_demo, rated_at, created_at, updated_at"
    )
    # Every other column that may not be empty gets its model default, so a field added since does not stop the fill.
    others = {
        f.column: f.get_default()
        for f in Appeal._meta.concrete_fields
        if not f.null and f.column not in listed.split(", ") and f.has_default()
    }
    params: dict[str, Any] = {"now": now}
    params.update(
        {f"default_{c}": json.dumps(v) if isinstance(v, dict | list) else v for c, v in others.items()}
    )
    more_columns = "".join(f", {c}" for c in others)
    more_values = "".join(f", %(default_{c})s" for c in others)
    sql("SELECT setseed(0.42)")
    chunk = 1_000_000
    for lo in range(1, n + 1, chunk):
        hi = min(n, lo + chunk - 1)
        sql(
            f"""
            INSERT INTO {table} ({listed}{more_columns})
            SELECT i, 'B' || i, (ARRAY['consultation','help','complaint','suggestion'])[1 + mod((r4 * 4)::int, 4)],
                   {cat_array}[1 + floor(r5 * {len(cats)})::int], '诉求', '基准测试诉求',
                   (ARRAY['web','qr','hotline','patrol'])[1 + mod((r6 * 4)::int, 4)], '测试', '13800000000', '测试地址',
                   g.id, n.path, 'normal', x.state, '', '', 0,
                   x.dispatched_at, x.dispatched_at + interval '2 hours',
                   CASE WHEN x.state <> 'dispatched' AND x.dispatched_at IS NOT NULL
                        THEN date_trunc('second', x.dispatched_at + r7 * interval '3 hours') END,
                   x.created + interval '7 days', x.resolved_at,
                   CASE WHEN x.resolved_at IS NOT NULL THEN x.resolved_at <= x.created + interval '7 days' END,
                   CASE WHEN x.resolved_at IS NOT NULL THEN
                        (ARRAY['grid','grid','grid','grid','grid','grid','grid','grid','grid','compound',
                               'community','community','community','community','community','street','street',
                               'street','department','department'])[1 + floor(r8 * 20)::int] ELSE '' END,
                   x.outcome, '',
                   CASE WHEN (x.resolved_at IS NULL AND x.outcome = '' AND x.created + interval '7 days' < %(now)s)
                          OR x.resolved_at > x.created + interval '7 days' THEN x.created + interval '7 days' END,
                   CASE WHEN r9 < 0.05 THEN 1 ELSE 0 END, CASE WHEN r10 < 0.04 AND x.outcome <> '' THEN 1 ELSE 0 END,
                   0, 0, false,
                   CASE WHEN x.state = 'rated' THEN x.resolved_at + interval '5 hours' END, x.created, x.created
                   {more_values}
            FROM (
                SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                       random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS r10,
                       1 + floor(random() * {GRIDS})::int AS gid
                FROM generate_series({lo}, {hi}) AS i
            ) AS s
            JOIN territory_grid g ON g.id = s.gid
            JOIN territory_orgnode n ON n.id = g.org_node_id
            CROSS JOIN LATERAL (
                SELECT created, state, outcome,
                       CASE WHEN outcome = 'answered' AND r3 < 0.5 THEN NULL
                            WHEN outcome IN ('duplicate', 'withdrawn') THEN NULL
                            ELSE created + interval '20 minutes' END AS dispatched_at,
                       CASE WHEN outcome IN ('fixed','answered','no_further_action','not_our_responsibility')
                            THEN date_trunc('second', created + r3 * interval '10 days') END AS resolved_at
                FROM (
                    SELECT c.created,
                           CASE WHEN r1 < 0.03 THEN 'duplicate' WHEN r1 < 0.05 THEN 'withdrawn'
                                WHEN c.created > %(now)s - interval '20 days' AND r2 < 0.4 THEN ''
                                WHEN r2 < 0.75 THEN 'fixed' WHEN r2 < 0.85 THEN 'answered'
                                WHEN r2 < 0.95 THEN 'no_further_action' ELSE 'not_our_responsibility' END AS outcome,
                           CASE WHEN r1 < 0.05 THEN 'closed'
                                WHEN c.created > %(now)s - interval '20 days' AND r2 < 0.4
                                     THEN (ARRAY['dispatched','acknowledged','in_progress'])[1 + floor(r2 * 7.5)::int]
                                WHEN r2 < 0.85 AND r7 < 0.7 THEN 'rated' ELSE 'resolved' END AS state
                    FROM (SELECT date_trunc('second', %(now)s - r5 * interval '{YEARS_DAYS} days') AS created) AS c
                ) AS y
            ) AS x
            """,
            params,
        )
        log(f"  appeals {hi:,}")
    sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n + 1})")
    rating = AppealRating._meta.db_table
    sql(
        f"""
        INSERT INTO {rating} (appeal_id, value, comment, channel, round, at)
        SELECT id, CASE WHEN random() < 0.2 THEN 'satisfied' ELSE 'unsatisfied' END, '', 'web', 1,
               resolved_at - interval '1 hour'
        FROM {table} WHERE state = 'rated' AND rework_count > 0
        """
    )
    sql(
        f"""
        INSERT INTO {rating} (appeal_id, value, comment, channel, round, at)
        SELECT id, (ARRAY['satisfied','satisfied','satisfied','basically','unsatisfied'])[1 + floor(random() * 5)::int],
               '', 'web', 1 + rework_count, resolved_at + interval '5 hours'
        FROM {table} WHERE state = 'rated'
        """
    )
    sql(f"ANALYZE {table}")
    sql(f"ANALYZE {rating}")


# --- The same definitions in SQL ----------------------------------------------------------------------------


def build_calendar(first: dt.date, last: dt.date) -> None:
    """A working-day calendar: cumulative working seconds before each day (linli.core.workdays)."""
    from linli.core.workdays import SECONDS_PER_DAY, is_workday

    sql("DROP TABLE IF EXISTS bench_calendar")
    sql("CREATE TABLE bench_calendar (day date PRIMARY KEY, workday boolean, cum bigint)")
    rows = []
    cum = 0
    day = first
    while day <= last:
        w = is_workday(day)
        rows.append((day, w, cum))
        cum += SECONDS_PER_DAY if w else 0
        day += dt.timedelta(days=1)
    copy_rows("bench_calendar", ["day", "workday", "cum"], rows)
    sql("ANALYZE bench_calendar")


def _w(col: str, cal: str) -> str:
    """Working seconds from the calendar's start to the moment in `col` (09:00–18:00 on working days);
    `cal` is bench_calendar joined on that moment's local date."""
    local = f"({col} AT TIME ZONE 'Asia/Shanghai')"
    return (
        f"({cal}.cum + CASE WHEN {cal}.workday THEN LEAST(32400, GREATEST(0, "
        f"EXTRACT(EPOCH FROM {local} - {local}::date)::bigint - 32400)) ELSE 0 END)"
    )


CALENDAR = (
    "LEFT JOIN bench_calendar ca ON ca.day = (a.created_at AT TIME ZONE 'Asia/Shanghai')::date "
    "LEFT JOIN bench_calendar cb ON cb.day = (a.resolved_at AT TIME ZONE 'Asia/Shanghai')::date"
)


COUNTED = "a.outcome NOT IN ('duplicate', 'withdrawn')"
CONCLUDED = (
    f"({COUNTED} AND a.outcome IN ('fixed', 'answered', 'not_our_responsibility', 'no_further_action'))"
)
OPEN = "a.state IN ('accepted','dispatched','acknowledged','in_progress','waiting','returned')"
REACHED = "(a.dispatched_at IS NOT NULL OR a.outcome = 'answered')"
HANDLED = f"({CONCLUDED} AND a.resolved_at IS NOT NULL)"
SECONDS = f"GREATEST(0, {_w('a.resolved_at', 'cb')} - {_w('a.created_at', 'ca')})"


def measure_sql(now_param: str = "%(now)s") -> dict[str, str]:
    """Each measure of linli/appeals/figures.py (appeal_measures) as a SQL expression over `a` (appeal) and `lr` (latest rating)."""

    def b(cond: str) -> str:
        return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"

    tiers = {
        f"tier_{t}": b(f"{CONCLUDED} AND a.resolved_tier = '{t}'")
        for t in ["grid", "compound", "community", "street", "district", "department"]
    }
    return {
        "received": "1",
        "counted": b(COUNTED),
        "duplicates": b("a.outcome = 'duplicate'"),
        "withdrawn": b("a.outcome = 'withdrawn'"),
        "open": b(f"{COUNTED} AND {OPEN}"),
        "overdue": b(f"{COUNTED} AND {OPEN} AND a.resolve_due_at < {now_param}"),
        # Marked by the worker, or open past its deadline now (not yet marked): 曾超期 holds every 超期在办.
        "breached": b(
            f"{COUNTED} AND (a.breached_at IS NOT NULL OR ({OPEN} AND a.resolve_due_at < {now_param}))"
        ),
        "concluded": b(CONCLUDED),
        "fixed": b(f"{CONCLUDED} AND a.outcome IN ('fixed', 'answered')"),
        "reached": b(f"{COUNTED} AND {REACHED}"),
        "responded": b(
            f"{COUNTED} AND {REACHED} AND ((a.outcome = 'answered' AND a.dispatched_at IS NULL) OR "
            "(a.acknowledged_at IS NOT NULL AND (a.ack_due_at IS NULL OR a.acknowledged_at <= a.ack_due_at)))"
        ),
        "on_time": b(f"{CONCLUDED} AND a.resolved_on_time"),
        "handled": b(HANDLED),
        "handling_seconds": f"(CASE WHEN {HANDLED} THEN {SECONDS} ELSE 0 END)",
        "dispatched": b(f"{COUNTED} AND a.dispatched_at IS NOT NULL"),
        "returned": b(f"{COUNTED} AND a.dispatched_at IS NOT NULL AND a.return_count > 0"),
        "ever_resolved": b(f"({CONCLUDED}) OR ({COUNTED} AND a.rework_count > 0)"),
        "reworked": b(f"{COUNTED} AND a.rework_count > 0"),
        "rated": b(f"{COUNTED} AND lr.value IS NOT NULL"),
        "satisfied": b(f"{COUNTED} AND lr.value = 'satisfied'"),
        "basically": b(f"{COUNTED} AND lr.value = 'basically'"),
        "unsatisfied": b(f"{COUNTED} AND lr.value = 'unsatisfied'"),
        **tiers,
        "tier_none": b(
            f"{CONCLUDED} AND a.resolved_tier NOT IN ('grid','compound','community','street','district','department')"
        ),
    }


def bucket_sql() -> str:
    # round half up of seconds / 3240 (seconds are whole numbers, so floor((2s + 3240) / 6480) is exact)
    return f"(CASE WHEN {HANDLED} THEN floor((2 * {SECONDS} + 3240) / 6480.0)::int END)"


LATEST = (
    "LEFT JOIN LATERAL (SELECT r.value FROM appeals_appealrating r WHERE r.appeal_id = a.id "
    "ORDER BY r.at DESC, r.id DESC LIMIT 1) lr ON true"
)


def build_facts(now: dt.datetime) -> None:
    from linli.appeals.figures import MEASURES

    m = measure_sql()
    part = "split_part(a.org_path, '/', {i})"
    sql(
        f"""
        INSERT INTO dashboard_appealfact (
            appeal_id, source_updated_at, day, district_id, street_id, community_id, grid_id, org_path,
            category_id, category_root_id, kind, channel, handling_bucket, resolve_due_at, {", ".join(MEASURES)})
        SELECT a.id, a.updated_at, (a.created_at AT TIME ZONE 'Asia/Shanghai')::date,
               COALESCE(NULLIF({part.format(i=2)}, '')::bigint, 0), NULLIF({part.format(i=3)}, '')::bigint,
               NULLIF({part.format(i=4)}, '')::bigint, a.grid_id, a.org_path, a.category_id,
               COALESCE(c.parent_id, a.category_id, 0), a.kind, a.channel, {bucket_sql()},
               CASE WHEN {COUNTED} AND {OPEN} THEN a.resolve_due_at END,
               {", ".join(m[x] for x in MEASURES)}
        FROM appeals_appeal a LEFT JOIN appeals_category c ON c.id = a.category_id {CALENDAR}
        LEFT JOIN (SELECT DISTINCT ON (appeal_id) appeal_id, value FROM appeals_appealrating
                   ORDER BY appeal_id, at DESC, id DESC) lr ON lr.appeal_id = a.id
        """,
        {"now": now},
    )
    sql("ANALYZE dashboard_appealfact")


def build_rollups(now: dt.datetime) -> None:
    from linli.appeals.figures import MEASURES
    from linli.dashboard.models import RollupState

    sums = ", ".join(f"SUM({x})" for x in MEASURES)
    cols = ", ".join(MEASURES)
    month = "date_trunc('month', day)::date"
    year = "date_trunc('year', day)::date"
    plans = [
        ("day", "day", "district", "district_id", "category_root_id", "true"),
        ("day", "day", "street", "street_id", "category_root_id", "street_id IS NOT NULL"),
        ("month", month, "district", "district_id", "category_root_id", "true"),
        ("month", month, "street", "street_id", "category_root_id", "street_id IS NOT NULL"),
        ("month", month, "community", "community_id", "category_root_id", "community_id IS NOT NULL"),
        ("month", month, "grid", "grid_id", "0", "grid_id IS NOT NULL"),
        ("year", year, "district", "district_id", "category_root_id", "true"),
        ("year", year, "street", "street_id", "category_root_id", "street_id IS NOT NULL"),
        ("year", year, "community", "community_id", "category_root_id", "community_id IS NOT NULL"),
        ("year", year, "grid", "grid_id", "0", "grid_id IS NOT NULL"),
    ]
    for grain, start, level, node, cat, cond in plans:
        sql(
            f"""INSERT INTO dashboard_rollup (grain, start, level, node_id, category_root_id, {cols})
                SELECT '{grain}', {start}, '{level}', {node}, {cat}, {sums} FROM dashboard_appealfact
                WHERE {cond} GROUP BY 1, 2, 3, 4, 5"""
        )
        sql(
            f"""INSERT INTO dashboard_handlingbucket (grain, start, level, node_id, bucket, n)
                SELECT '{grain}', {start}, '{level}', {node}, handling_bucket, COUNT(*) FROM dashboard_appealfact
                WHERE {cond} AND handling_bucket IS NOT NULL GROUP BY 1, 2, 3, 4, 5"""
        )
        log(f"  rollup {grain} × {level}")
    from linli.appeals.figures import HEADLINE_MEASURES as MAP_MEASURES

    map_cols = ", ".join(MAP_MEASURES)
    map_sums = ", ".join(f"SUM({x})" for x in MAP_MEASURES)
    for grain, start in (("month", month), ("year", year)):
        sql(
            f"""INSERT INTO dashboard_gridrollup (grain, start, grid_id, district_id, street_id, community_id,
                    {map_cols})
                SELECT '{grain}', {start}, grid_id, district_id, COALESCE(street_id, 0), COALESCE(community_id, 0),
                       {map_sums} FROM dashboard_appealfact
                WHERE grid_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6"""
        )
        log(f"  grid map rollup {grain}")
    sql("ANALYZE dashboard_rollup")
    sql("ANALYZE dashboard_gridrollup")
    sql("ANALYZE dashboard_handlingbucket")
    newest = scalar("SELECT max(updated_at) FROM appeals_appeal")
    RollupState.objects.update_or_create(
        name="appeals", defaults={"watermark": newest, "overdue_as_of": now, "rebuilt_at": now}
    )


# --- Checks and timings -----------------------------------------------------------------------------------


def check_fact_sample(now: dt.datetime, size: int = 2000) -> int:
    """Recompute a random sample of facts with the Python definitions; returns the number of mismatches."""
    from linli.appeals.figures import MEASURES
    from linli.appeals.figures import latest_ratings as _latest_ratings
    from linli.appeals.models import Appeal
    from linli.dashboard.measures import APPEAL_COLUMNS, fact_values
    from linli.dashboard.models import AppealFact

    top = scalar("SELECT max(id) FROM appeals_appeal")
    ids = random.Random(1).sample(range(1, top + 1), min(size, top))
    rows = {r["id"]: r for r in Appeal.objects.filter(pk__in=ids).values(*APPEAL_COLUMNS)}
    ratings = _latest_ratings(ids)
    facts = {f.appeal_id: f for f in AppealFact.objects.filter(appeal_id__in=ids)}
    bad = 0
    for pk, row in rows.items():
        want = fact_values(row, ratings.get(pk), now)
        got = facts[pk]
        keys = [
            *MEASURES,
            "day",
            "district_id",
            "street_id",
            "community_id",
            "grid_id",
            "category_root_id",
            "handling_bucket",
        ]
        diff = [k for k in keys if want[k] != getattr(got, k)]
        if diff:
            bad += 1
            if bad <= 5:
                log(
                    f"  fact {pk} differs in {diff}: python={[want[k] for k in diff]} sql={[getattr(got, k) for k in diff]}"
                )
    return bad


def direct_figures(scope: Any, period: Any, now: dt.datetime) -> dict[str, Any]:
    """The figures by a direct GROUP BY over the raw appeals of the unit and period."""
    from linli.appeals.figures import MEASURES, figures_from, local_tz

    m = measure_sql()
    lo = dt.datetime.combine(period.start, dt.time.min, tzinfo=local_tz())
    hi = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=local_tz())
    where = "a.created_at >= %(lo)s AND a.created_at < %(hi)s"
    params: dict[str, Any] = {"lo": lo, "hi": hi, "now": now}
    if scope.path:
        where += " AND a.org_path LIKE %(path)s"
        params["path"] = scope.path + "%"
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {', '.join(f'COALESCE(SUM({m[x]}), 0)' for x in MEASURES)} "
            f"FROM appeals_appeal a {LATEST} {CALENDAR} WHERE {where}",
            params,
        )
        sums = dict(zip(MEASURES, cur.fetchone(), strict=True))
        cur.execute(
            f"SELECT b, COUNT(*) FROM (SELECT {bucket_sql()} AS b FROM appeals_appeal a {CALENDAR} WHERE {where}) t "
            "WHERE b IS NOT NULL GROUP BY b",
            params,
        )
        hist = {int(b): int(n) for b, n in cur.fetchall()}
    return figures_from(sums, hist)


def requests(now: dt.datetime) -> list[tuple[Any, Any]]:
    from linli.dashboard.periods import Period
    from linli.dashboard.selectors import Scope
    from linli.territory.models import OrgNode

    rng = random.Random(5)
    today = now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    last_year = today.year - 1
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    monday = today - dt.timedelta(days=today.weekday() + 7)
    periods = [
        Period("year", dt.date(last_year, 1, 1), dt.date(last_year, 12, 31)),
        Period("month", month, month_end),
        Period("week", monday, monday + dt.timedelta(days=6)),
    ]
    districts = list(OrgNode.objects.filter(kind="district").order_by("?")[:2])
    streets = rng.sample(list(OrgNode.objects.filter(kind="street")), 3)
    communities = rng.sample(list(OrgNode.objects.filter(kind="community")), 3)
    out = []
    for node in [*districts, *streets, *communities]:
        scope = Scope(level=str(node.kind), name=node.name, path=node.path, node=node)
        for p in periods:
            out.append((scope, p))
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run(n: int) -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import RequestFactory

    from linli.core.scoping import WholeTree
    from linli.dashboard import checks, selectors, services
    from linli.dashboard import views as dashboard_views

    if connection.vendor != "postgresql":
        print("bench/dashboard.py needs PostgreSQL (DATABASE_URL=postgres://…)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    log("migrating")
    call_command("migrate", verbosity=0)
    if scalar("SELECT count(*) FROM appeals_appeal"):
        print("the database already holds appeals; run against an empty database", file=sys.stderr)
        return 2
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sql("SET maintenance_work_mem = '512MB'")
    sql("SET work_mem = '128MB'")
    # Bulk load: no foreign-key triggers, secondary indexes built once afterwards (a throwaway database).
    sql("SET session_replication_role = replica")
    with transaction.atomic():
        log("territory")
        build_territory()
        dropped = drop_indexes("appeals_appeal") + drop_indexes("appeals_appealrating")
        log(f"generating {n:,} appeals")
        build_appeals(n, now)
        # Rebuild only the indexes the measured queries use (the received time, the org path, the ratings'
        # appeal); the others (deadlines, units, foreign keys) play no part here and would only cost minutes.
        needed = [d for d in dropped if any(k in d for k in ("(created_at)", "(org_path", "(appeal_id)"))]
        log(f"  indexes ({len(needed)} of {len(dropped)})")
        create_indexes(needed)
    sql("SET session_replication_role = DEFAULT")
    gen_s = time.perf_counter() - t0
    log(f"generated in {gen_s:.0f}s; building facts and rollups")
    t1 = time.perf_counter()
    first = (now - dt.timedelta(days=YEARS_DAYS + 30)).date()
    build_calendar(first, (now + dt.timedelta(days=60)).date())
    with transaction.atomic():
        fact_indexes = drop_indexes("dashboard_appealfact")
        build_facts(now)
        log("  facts")
        create_indexes(fact_indexes)
        sql("ANALYZE dashboard_appealfact")
        log("  fact indexes")
        rollup_ddl = (
            drop_unique_constraints("dashboard_rollup")
            + drop_unique_constraints("dashboard_handlingbucket")
            + drop_unique_constraints("dashboard_gridrollup")
            + drop_indexes("dashboard_gridrollup")
        )
        build_rollups(now)
        create_indexes(rollup_ddl)
    build_s = time.perf_counter() - t1
    facts = scalar("SELECT count(*) FROM dashboard_appealfact")
    rollups = scalar("SELECT count(*) FROM dashboard_rollup")
    log(f"facts={facts:,} rollup rows={rollups:,} built in {build_s:.0f}s")
    bad_facts = check_fact_sample(now)
    log(f"fact sample recomputed in Python: {bad_facts} mismatches")

    user: Any = WholeTree()
    reqs = requests(now)
    factory = RequestFactory()

    def map_request(scope: Any, period: Any) -> dict[str, Any]:
        """The dashboard's map request (/dashboard/map.json) through its view, as a browser asks for it."""
        params = {"unit": scope.key, "period": period.kind, "date": period.start.isoformat()}
        request = factory.get("/dashboard/map.json", params)
        request.user = user
        response = dashboard_views.map_data(request)
        assert response.status_code == 200, response.content[:200]
        return json.loads(response.content)

    # Warm up once (plans, caches, the views' imports), then time every request.
    for scope, period in reqs[:3]:
        selectors.overview(scope, period, user)
        map_request(scope, period)
    fast: list[float] = []
    slow: list[float] = []
    equal = bad_facts == 0
    maps: list[float] = []
    for scope, period in reqs:
        # What the dashboard page reads (figures, trend, categories, ranking, breached list) ...
        t = time.perf_counter()
        data = selectors.overview(scope, period, user)
        selectors.breached_appeals(scope, period)
        fast.append((time.perf_counter() - t) * 1000)
        # ... and the grid map's own request (every grid of the unit with its polygon and figures).
        t = time.perf_counter()
        geo = map_request(scope, period)
        maps.append((time.perf_counter() - t) * 1000)
        on_map = sum(v["received"] for v in geo["figures"].values())
        if on_map != data["figures"]["received"]:
            equal = False
            log(f"  map DIFFERENT {scope.name} {period.label()}: {on_map} != {data['figures']['received']}")
        t = time.perf_counter()
        direct = direct_figures(scope, period, now)
        slow.append((time.perf_counter() - t) * 1000)
        diff = [k for k in direct if data["figures"][k] != direct[k]]
        if diff:
            equal = False
            log(
                f"  DIFFERENT {scope.name} {period.label()}: {[(k, data['figures'][k], direct[k]) for k in diff]}"
            )
        log(
            f"  {scope.level:9} {scope.name:14} {period.kind:5} rollups {fast[-1]:7.1f} ms  map {maps[-1]:6.1f} ms  "
            f"direct {slow[-1]:8.1f} ms  received={data['figures']['received']}"
        )

    # Each street's or community's row in a year ranking (year rollups and histograms) equals its direct figures.
    ranked = 0
    for scope, period in [r for r in reqs if r[1].kind == "year" and r[0].level in ("district", "street")]:
        for row in selectors.ranking(scope, period, user):
            child = selectors.scope_for(user, row["key"])
            direct = direct_figures(child, period, now)
            diff = [k for k in direct if row[k] != direct[k]]
            ranked += 1
            if diff:
                equal = False
                log(f"  ranking row DIFFERENT {child.name} {period.label()}: {diff}")
    log(f"  {ranked} ranking rows compared with direct queries")

    # H6a's own computation (linli.appeals.figures) agrees on the small scopes too.
    for scope, period in [r for r in reqs if r[0].level == "community" and r[1].kind != "year"][:3]:
        d = checks.differences(scope, period, now=now)
        if d:
            equal = False
            log(f"  appeals.figures differs: {d}")

    # Incremental: a thousand appeals change; the worker applies the deltas; figures still equal.
    rng = random.Random(9)
    top = scalar("SELECT max(id) FROM appeals_appeal")
    changed_ids = rng.sample(range(1, top + 1), 1000)
    later = dt.datetime.now(dt.UTC)
    sql(
        "UPDATE appeals_appeal SET state = 'returned', return_count = return_count + 1, outcome = '', "
        "resolved_at = NULL, resolved_tier = '', resolved_on_time = NULL, rework_count = rework_count + 1, "
        "dispatched_at = COALESCE(dispatched_at, created_at), updated_at = %s WHERE id = ANY(%s)",
        [later, changed_ids],
    )
    t = time.perf_counter()
    refreshed = services.rollups_refresh_all(now=now)
    inc_ms = (time.perf_counter() - t) * 1000
    log(f"incremental refresh of {refreshed} changed appeals in {inc_ms:.0f} ms")
    for scope, period in reqs:
        data = selectors.figures(scope, period)
        direct = direct_figures(scope, period, now)
        diff = [k for k in direct if data[k] != direct[k]]
        if diff:
            equal = False
            log(f"  after refresh DIFFERENT {scope.name} {period.label()}: {diff}")

    fast_p95, slow_p95 = p95(fast + maps), p95(slow)
    log(
        f"page median {statistics.median(fast):.1f} ms p95 {p95(fast):.1f} ms; map median "
        f"{statistics.median(maps):.1f} ms p95 {p95(maps):.1f} ms; direct median {statistics.median(slow):.1f} ms"
    )
    print(
        f"appeals={n} p95_ms={fast_p95:.1f} direct_p95_ms={slow_p95:.1f} speedup={slow_p95 / fast_p95:.1f} "
        f"equal={'true' if equal else 'false'}",
        flush=True,
    )
    return 0 if equal else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--appeals", type=int, default=10_000_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        cmd = [
            sys.executable,
            str(ROOT / "scripts" / "with_postgres.py"),
            sys.executable,
            __file__,
            "--appeals",
            str(args.appeals),
        ]
        return subprocess.call(cmd)
    return run(args.appeals)


if __name__ == "__main__":
    sys.exit(main())
