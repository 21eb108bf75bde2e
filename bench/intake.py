"""Appeal intake over HTTP, as deployed: `linli serve` (gunicorn, its defaults) on PostgreSQL or SQLite.

    .venv/bin/python scripts/with_postgres.py .venv/bin/python bench/intake.py      # PostgreSQL
    .venv/bin/python bench/intake.py --sqlite                                      # SQLite

Makes a fresh database in a throwaway LINLI_VAR_DIR (migrate + setup: the demo district, its grids and the
shipped catalogue), starts `linli serve` and `linli worker`, and has --clients threads submit appeals with
POST /api/appeals/ for --seconds: realistic texts (the held-out messages of the classifier), positions inside
the demo grids, a fresh Idempotency-Key each, guests' mobile numbers. Then, in the same run, the same clients
POST to a bare Django view that writes one row (bench/intake_baseline.py under gunicorn, same settings): the
ceiling. Guest limits are lifted for the run (LINLI_GUEST_APPEALS_PER_*), as for a trusted hotline system.

The last line: db=… appeals_per_s=… p50_ms=… p99_ms=… at_rps=… baseline_per_s=… ratio=…
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int, path: str, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not come up")


def load(port: int, path: str, bodies: list[dict[str, object]], clients: int, seconds: float) -> list[float]:
    """Closed loop: each client posts, waits for the answer, posts again. Returns the latencies of 2xx answers."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        while time.monotonic() < stop:
            body = dict(rng.choice(bodies))
            body["contact_phone"] = f"139{rng.randrange(10**8):08d}"
            headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
            start = time.perf_counter()
            try:
                conn.request(
                    "POST", path, body=json.dumps(body, ensure_ascii=False).encode(), headers=headers
                )
                response = conn.getresponse()
                response.read()
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    errors.append(0)
                continue
            if 200 <= response.status < 300:
                mine.append(time.perf_counter() - start)
            else:
                with lock:
                    errors.append(response.status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {path}: {len(errors)} failed answers, e.g. {sorted(set(errors))[:5]}", flush=True)
    return latencies


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of DATABASE_URL (PostgreSQL)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (linli serve's default)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads (linli serve's default)")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="linli-intake-")
    env = dict(
        os.environ, LINLI_VAR_DIR=var_dir, PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="linli.settings"
    )
    env.pop("LINLI_TESTING", None)
    env.update(
        LINLI_GUEST_APPEALS_PER_PHONE_DAY="1000000",
        LINLI_GUEST_APPEALS_PER_ADDRESS_HOUR="1000000",
        LINLI_SMS_BACKEND="locmem",
        LINLI_LOG_LEVEL="WARNING",
    )
    if args.sqlite:
        env.pop("DATABASE_URL", None)
    elif not env.get("DATABASE_URL"):
        raise SystemExit("no DATABASE_URL: run under scripts/with_postgres.py, or pass --sqlite")
    db = "sqlite" if args.sqlite else "postgresql"
    linli = [str(BIN / "linli")]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([*linli, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([*linli, "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
        grids = json.loads(
            subprocess.run(
                [
                    str(BIN / "python"),
                    "-c",
                    "import django,json;django.setup();from linli.territory.models import Grid;"
                    "print(json.dumps(list(Grid.objects.values_list('centroid_lng','centroid_lat'))))",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        with (ROOT / "linli/triage/data/heldout_messages.csv").open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if 5 <= len(r["text"]) <= 2000]
        rng = random.Random(14)
        bodies: list[dict[str, object]] = []
        for row in rows:
            lng, lat = rng.choice(grids)
            bodies.append(
                {
                    "kind": "complaint",
                    "title": row["title"][:100],
                    "description": row["text"],
                    "channel": "web",
                    "lng": round(lng + rng.uniform(-0.0005, 0.0005), 6),
                    "lat": round(lat + rng.uniform(-0.0005, 0.0005), 6),
                }
            )
        port, base_port = free_port(), free_port()
        serve = [
            *linli,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ]
        procs.append(subprocess.Popen(serve, env=env))
        procs.append(subprocess.Popen([*linli, "worker", "--interval", "2"], env=env))
        gunicorn = [
            str(BIN / "gunicorn"),
            "bench.intake_baseline:application",
            "--bind",
            f"127.0.0.1:{base_port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ]
        procs.append(subprocess.Popen(gunicorn, env=env, cwd=ROOT))
        wait_up(port, "/api/appeals/categories")
        wait_up(base_port, "/bare/")
        load(port, "/api/appeals/", bodies, args.clients, 3)  # warm-up: the classifier, connections
        started = time.monotonic()
        appeals = load(port, "/api/appeals/", bodies, args.clients, args.seconds)
        elapsed = time.monotonic() - started
        load(base_port, "/bare/", bodies, args.clients, 2)
        base_started = time.monotonic()
        bare = load(base_port, "/bare/", bodies, args.clients, args.seconds)
        base_elapsed = time.monotonic() - base_started
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(var_dir, ignore_errors=True)
    per_s = len(appeals) / elapsed
    base_per_s = len(bare) / base_elapsed
    print(
        f"{db}: {len(appeals)} appeals in {elapsed:.1f} s with {args.clients} clients; "
        f"bare POST {len(bare)} in {base_elapsed:.1f} s",
        flush=True,
    )
    print(
        f"db={db} appeals_per_s={per_s:.1f} p50_ms={pct(appeals, 50):.0f} p99_ms={pct(appeals, 99):.0f} "
        f"at_rps={per_s:.1f} baseline_per_s={base_per_s:.1f} ratio={per_s / base_per_s if base_per_s else 0:.2f}"
    )


if __name__ == "__main__":
    main()
