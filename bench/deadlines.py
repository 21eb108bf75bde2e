"""Benchmark of the worker's deadlines: with 100,000 open appeals, how soon after falling due is each one acted on?

    .venv/bin/python bench/deadlines.py [--open 100000] [--due 1000] [--window 60] [--workers 1,2]
    .venv/bin/python scripts/with_postgres.py .venv/bin/python bench/deadlines.py      # on PostgreSQL

It sets up its own data: a throwaway database (SQLite under a temporary LINLI_VAR_DIR, or the PostgreSQL of
DATABASE_URL), migrated, the test cast's org tree and people, and one appeal submitted through the real intake
service as the template. `--open` appeals are copied from it with bulk_create (each with its own tracking number
and its clocks days ahead), so the worker's queries run over a realistic table.

Then, for each worker count, `--due` more open appeals are made whose deadlines fall due during the next
`--window` seconds, in the mix a district sees: a quarter each of resolution warnings, acknowledgement breaches,
first-contact breaches and resolution breaches (which escalate when the rule says so); half of them spread evenly
over the window, half at one instant in its middle (a working day's end, when day-counted clocks meet). That many
`linli worker` processes run with their defaults until every deadline is acted on. Measured:
  lag      the marker the service writes (warned_at, ack_breached_at, …) minus the deadline, over all due
  round    one round of the deadline jobs over the open table when nothing is due, in this process
The workers run the deadline jobs only (`--job`, JOB_ARGS: the four clocks above, the total clock and the summoned
parts' clocks, the last ones never due here): the copies share one updated_at, so the overview's rollups
(dashboard.rollups) would spend many rounds reading 100,000 appeals "changed" at once, which a live district
never sees; in a live worker the rollups' own round adds to the lag (see docs/figures.md).
  double   deadlines acted on more than once (trace events per appeal and clock beyond the first)
  split    how many of the actions each worker process took (from the workers' own counts)
The last line: db=… open=… due=… workers=… max_lag_s=… p99_lag_s=… round_ms=… double=… (one per worker count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# clock → (deadline column, marker column written when acted on, trace action, the state the appeal is in)
CLOCKS = {
    "warn": ("warn_at", "warned_at", "warn"),
    "ack": ("ack_due_at", "ack_breached_at", "breach"),
    "contact": ("contact_due_at", "contact_breached_at", "breach"),
    "resolve": ("resolve_due_at", "breached_at", "breach"),
}
FAR = dt.timedelta(days=20)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def setup(var_dir: str) -> None:
    os.environ["LINLI_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def template() -> Any:
    """One appeal through the real intake (classified, located, routed, clocks started), dispatched to the grid."""
    from linli.appeals.tests.factories import submit  # the suite's ordinary complaint in the cast's grid
    from linli.testing import build_cast

    return submit(build_cast())


def copies(base: Any, n: int, prefix: str, deadlines: list[tuple[str, dt.datetime]] | None = None) -> None:
    """n open copies of `base`: clocks FAR ahead, or the given (clock, deadline) per copy."""
    from django.db import transaction

    from linli.appeals.choices import AppealState
    from linli.appeals.models import Appeal

    skip = {"id", "tracking_number", "idempotency_key", "created_at", "updated_at"}
    fields = {
        f.attname: getattr(base, f.attname) for f in Appeal._meta.concrete_fields if f.attname not in skip
    }
    later = base.created_at + FAR
    rows = []
    for i in range(n):
        row = Appeal(**fields, tracking_number=f"{prefix}{i:08d}")
        row.state = AppealState.DISPATCHED
        row.warn_at = row.ack_due_at = row.contact_due_at = row.resolve_due_at = row.total_due_at = later
        for name in (
            "warned_at",
            "ack_breached_at",
            "contact_breached_at",
            "breached_at",
            "first_contact_at",
        ):
            setattr(row, name, None)
        if deadlines is not None:
            clock, due = deadlines[i]
            setattr(row, CLOCKS[clock][0], due)
            if clock == "warn":
                row.resolve_due_at = due + dt.timedelta(hours=4)
        rows.append(row)
    with transaction.atomic():
        Appeal.objects.bulk_create(rows, batch_size=2000)


def multiply(n: int) -> None:
    """Grow the "B" copies to n rows in the database itself (INSERT … SELECT, doubling), much faster than
    building the rows in Python; each copy gets a tracking number of its own."""
    from django.db import connection, transaction

    from linli.appeals.models import Appeal

    columns = [
        str(f.column) for f in Appeal._meta.concrete_fields if f.column not in ("id", "tracking_number")
    ]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = Appeal._meta.db_table
    with transaction.atomic():
        have = Appeal.objects.filter(tracking_number__startswith="B").count()
        while have < n:
            take = min(have, n - have)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({names}, tracking_number) "
                    f"SELECT {names}, 'B' || CAST(id + %s AS TEXT) FROM {table} "
                    f"WHERE tracking_number LIKE 'B%%' ORDER BY id LIMIT %s",
                    [10_000_000 + have, take],
                )
            have += take


def catch_up() -> int:
    """Run rounds until no job has anything left to do (the rollups read every new appeal once); how many."""
    from linli.core import jobs

    for rounds in range(1, 50):
        if not any(v > 0 for v in jobs.run_all().values()):
            return rounds
    return 50


def due_plan(n: int, start: dt.datetime, window: float) -> list[tuple[str, dt.datetime]]:
    """Half spread evenly over the window, half at its middle; the four clocks in turn."""
    clocks = list(CLOCKS)
    plan = []
    for i in range(n):
        offset = window / 2 if i % 2 else window * i / n
        plan.append((clocks[i % 4], start + dt.timedelta(seconds=offset)))
    return plan


def round_ms() -> float:
    """The median duration of one worker round (every job) over the table, when nothing is due."""
    from linli.core import jobs

    times = []
    slowest: dict[str, float] = {}
    for _ in range(5):
        t0 = time.perf_counter()
        for job in [job for job in jobs.registered() if job.name in JOB_ARGS]:
            t1 = time.perf_counter()
            if job.func() > 0:
                log(f"{job.name} did something with nothing due")
            slowest[job.name] = max(slowest.get(job.name, 0.0), (time.perf_counter() - t1) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
    top = sorted(slowest.items(), key=lambda kv: -kv[1])[:5]
    log("slowest jobs (ms): " + ", ".join(f"{name} {ms:.0f}" for name, ms in top))
    return statistics.median(times)


def acted(prefix: str, plan: dict[str, tuple[str, dt.datetime]]) -> tuple[int, list[float], int]:
    """From the trace: how many planned deadlines were acted on, their lags in seconds, and how many actions
    beyond the first there were for one appeal and clock (double actions)."""
    from linli.appeals.models import AppealEvent

    events = AppealEvent.objects.filter(
        appeal__tracking_number__startswith=prefix, action__in=["warn", "breach"]
    ).values_list("appeal__tracking_number", "action", "data", "at")
    first: dict[tuple[str, str], dt.datetime] = {}
    double = 0
    for number, action, data, at in events:
        key = (number, "warn" if action == "warn" else str((data or {}).get("clock")))
        if key in first:
            double += 1
            first[key] = min(first[key], at)
        else:
            first[key] = at
    lags = [
        (at - plan[number][1]).total_seconds()
        for (number, clock), at in first.items()
        if plan[number][0] == clock
    ]
    return len(lags), lags, double


def run(workers: int, base: Any, due: int, window: float, lead: float) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    prefix = f"D{workers}"
    start = timezone.now() + dt.timedelta(seconds=lead)
    deadlines = due_plan(due, start, window)
    copies(base, due, prefix, deadlines)
    plan = {f"{prefix}{i:08d}": deadline for i, deadline in enumerate(deadlines)}
    connection.close()
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            # The deadline jobs with the worker's defaults (interval, claims); see the module's docstring.
            [str(ROOT / ".venv/bin/linli"), "worker", *[arg for job in JOB_ARGS for arg in ("--job", job)]],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(workers)
    ]
    deadline = time.monotonic() + lead + window + 120
    done = 0
    while time.monotonic() < deadline:
        time.sleep(1.0)
        done, _lags, _double = acted(prefix, plan)
        if done >= due:
            break
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    split = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        taken = 0
        for line in out.splitlines():
            for part in line.split():
                name, _, value = part.partition("=")
                if name in JOB_ARGS and value.lstrip("-").isdigit() and int(value) > 0:
                    taken += int(value)
        split.append(taken)
        if not taken:
            log("a worker acted on nothing; its output:\n" + out[-3000:])
    done, lags, double = acted(prefix, plan)
    lags.sort()
    return {
        "done": done,
        "max": lags[-1] if lags else float("nan"),
        "p99": lags[min(len(lags) - 1, int(len(lags) * 0.99))] if lags else float("nan"),
        "p50": lags[len(lags) // 2] if lags else float("nan"),
        "double": double,
        "split": split,
    }


# Every deadline job of a live worker: the four clocks the bench makes due, and those it leaves far ahead (the
# resident's total clock, the summoned parts' clocks) whose look-ups still cost each round their share.
JOB_ARGS = [
    "appeals.warn",
    "appeals.ack_breaches",
    "appeals.contact_breaches",
    "appeals.breaches",
    "appeals.total_breaches",
    "appeals.part_report_ins",
    "appeals.part_warn",
    "appeals.part_breaches",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--open", type=int, default=100_000, help="open appeals (default 100000)")
    parser.add_argument("--due", type=int, default=1000, help="deadlines falling due per run (default 1000)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they fall due")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, in turn (default 1,2)")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="linli-bench-deadlines-")
    try:
        setup(var_dir)
        from django.db import connection

        from linli.appeals.choices import OPEN_STATE_VALUES
        from linli.appeals.models import Appeal

        db = connection.vendor
        t0 = time.perf_counter()
        base = template()
        copies(base, min(1000, args.open - 1), "B")
        multiply(args.open - 1)
        log(f"{db}: {args.open} open appeals made in {time.perf_counter() - t0:.1f} s")
        if db == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        idle = round_ms()
        log(f"one round of every job, nothing due: {idle:.0f} ms")
        lines = []
        for workers in [int(w) for w in args.workers.split(",")]:
            result = run(workers, base, args.due, args.window, lead=10.0)
            open_now = Appeal.objects.filter(state__in=OPEN_STATE_VALUES).count()
            log(
                f"{workers} worker(s): acted on {result['done']}/{args.due}; lag p50 {result['p50']:.2f} s, "
                f"p99 {result['p99']:.2f} s, max {result['max']:.2f} s; actions per worker {result['split']}"
            )
            lines.append(
                f"db={db} open={open_now} due={args.due} workers={workers} acted={result['done']} "
                f"max_lag_s={result['max']:.2f} p99_lag_s={result['p99']:.2f} round_ms={idle:.0f} "
                f"split={'/'.join(map(str, result['split']))} double={result['double']}"
            )
        for line in lines:
            print(line)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
