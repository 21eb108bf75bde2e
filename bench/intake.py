"""Appeal intake over HTTP, as deployed: `linli serve` (gunicorn, its defaults) on PostgreSQL or SQLite.

    .venv/bin/python scripts/with_postgres.py .venv/bin/python bench/intake.py      # PostgreSQL
    .venv/bin/python bench/intake.py --sqlite                                      # SQLite

Makes a fresh database in a throwaway LINLI_VAR_DIR (migrate, then the demo's territory alone at --scale: its
district, grids, staff and the shipped catalogue; not the demo's history, which takes minutes), starts
`linli serve` and `linli worker`, and has --clients keep-alive threads submit appeals with POST /api/appeals/:
realistic texts (the held-out messages of the classifier), positions inside the demo grids, a fresh
Idempotency-Key each, guests' mobile numbers. Guest limits are lifted for the run (LINLI_GUEST_APPEALS_PER_*),
as for a trusted hotline system. Three phases:

1. closed loop for --seconds (each client posts again as soon as it has its answer): appeals_per_s, the most
   the server sustains;
2. open loop at a fixed rate, --rate (300/s) or 80 % of phase 1's figure if that is lower, for --seconds: p50 and
   p99 latencies at that rate (at_rps), each measured from the moment the request was due, so a server that
   falls behind is charged for the wait (no coordinated omission);
3. closed loop against a bare Django view that writes one row (bench/intake_baseline.py under gunicorn, same
   settings, same workers): baseline_per_s, the ceiling; ratio = appeals_per_s / baseline_per_s.

The load generator runs on the same cores: its own CPU share during phase 1 is printed (client_cpu=, in cores),
so one can see it is not the limit. The last line:
db=… appeals_per_s=… p50_ms=… p99_ms=… at_rps=… baseline_per_s=… ratio=…
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import re
import resource
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
FAILED: list[int] = []  # counts of failed answers, per phase that had any


def free_port(first: int, taken: tuple[int, ...] = ()) -> int:
    """The first port from `first` on that nobody listens to (a shared machine: each engineer has a range)."""
    for port in range(first, first + 100):
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port from {first}")


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


def send(
    conn: http.client.HTTPConnection, path: str, payload: bytes, headers: dict[str, str]
) -> http.client.HTTPResponse:
    conn.request("POST", path, body=payload, headers=headers)
    response = conn.getresponse()
    response.read()
    return response


def load(
    port: int,
    path: str,
    bodies: list[dict[str, object]],
    clients: int,
    seconds: float,
    rate: float = 0.0,
) -> list[float]:
    """Closed loop (rate 0): each client posts, waits for the answer, posts again. Open loop (rate > 0): request
    i is due at start + i / rate, the next free client sends it then, and its latency counts from that moment.
    Returns the latencies of 2xx answers."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    begin = time.perf_counter()
    stop = begin + seconds
    tickets = iter(range(10**9))

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        while time.perf_counter() < stop:
            body = dict(rng.choice(bodies))
            body["contact_phone"] = f"139{rng.randrange(10**8):08d}"
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
            if rate:
                with lock:
                    due = begin + next(tickets) / rate
                if due >= stop:
                    break
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                start = due
            else:
                start = time.perf_counter()
            try:
                response = send(conn, path, payload, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the idle keep-alive connection (gunicorn's keepalive is 2 s): as any HTTP
                # client, send again once on a new connection; the latency counts both.
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    response = send(conn, path, payload, headers)
                except OSError:
                    response = None
            except OSError:
                response = None
            if response is None:
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
        FAILED.append(len(errors))
        print(f"  {path}: {len(errors)} failed answers, e.g. {sorted(set(errors))[:5]}", flush=True)
    return latencies


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else float("nan")


PREPARE = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from linli.demo.territory import demo_build
from linli.territory.models import Grid
with transaction.atomic():
    demo_build(scale=float(sys.argv[1]))
call_command("appeals_setup", verbosity=0)
print(json.dumps(list(Grid.objects.values_list("centroid_lng", "centroid_lat"))))
"""


def texts() -> list[tuple[str, str]]:
    with (ROOT / "linli/triage/data/heldout_messages.csv").open(encoding="utf-8") as fh:
        return [(r["title"][:100], r["text"]) for r in csv.DictReader(fh) if 5 <= len(r["text"]) <= 2000]


def cpu_seconds() -> float:
    """CPU time of this process (all its client threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of DATABASE_URL (PostgreSQL)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--rate", type=float, default=300, help="appeals/s of the fixed-rate phase")
    parser.add_argument("--scale", type=float, default=0.1, help="size of the demo territory (0.1: 20 grids)")
    parser.add_argument("--port", type=int, default=8113, help="first port to try for the two servers")
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
    t0 = time.monotonic()
    try:
        subprocess.run([*linli, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        grids = json.loads(
            subprocess.run(
                [str(BIN / "python"), "-c", PREPARE, str(args.scale)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        print(f"fresh database ({db}, {len(grids)} grids) in {time.monotonic() - t0:.0f} s", flush=True)
        rng = random.Random(14)
        bodies: list[dict[str, object]] = []
        for title, text in texts():
            lng, lat = rng.choice(grids)
            bodies.append(
                {
                    "kind": "complaint",
                    "title": title,
                    "description": text,
                    "channel": "web",
                    "lng": round(lng + rng.uniform(-0.0005, 0.0005), 6),
                    "lat": round(lat + rng.uniform(-0.0005, 0.0005), 6),
                }
            )
        port = free_port(args.port)
        base_port = free_port(args.port + 1, (port,))
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
        # The servers' access logs and warnings go to a file (printed at the end if anything failed).
        log = open(Path(var_dir) / "servers.log", "wb")  # noqa: SIM115 (closed with the run)
        procs.append(subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT))
        procs.append(
            subprocess.Popen(
                [*linli, "worker", "--interval", "2"], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        )
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
        procs.append(subprocess.Popen(gunicorn, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        wait_up(port, "/api/appeals/categories")
        wait_up(base_port, "/bare/")
        load(port, "/api/appeals/", bodies, args.clients, 3)  # warm-up: the classifier, connections
        cpu, started = cpu_seconds(), time.monotonic()
        appeals = load(port, "/api/appeals/", bodies, args.clients, args.seconds)
        elapsed = time.monotonic() - started
        client_cpu = (cpu_seconds() - cpu) / elapsed
        per_s = len(appeals) / elapsed
        rate = max(1.0, min(args.rate, round(0.8 * per_s, 1)))
        paced_started = time.monotonic()
        paced = load(port, "/api/appeals/", bodies, max(args.clients, 32), args.seconds, rate=rate)
        at_rps = len(paced) / (time.monotonic() - paced_started)
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
        servers_log = Path(var_dir) / "servers.log"
        if FAILED and servers_log.exists():
            ok = re.compile(r'" 2\d\d ')
            lines = servers_log.read_text(errors="replace").splitlines()
            errors = [line for line in lines if not ok.search(line)]
            print("servers' log (last lines other than 2xx answers):", *errors[-30:], sep="\n", flush=True)
        shutil.rmtree(var_dir, ignore_errors=True)
    base_per_s = len(bare) / base_elapsed
    print(
        f"{db}: {len(appeals)} appeals in {elapsed:.1f} s with {args.clients} clients "
        f"(p50 {pct(appeals, 50):.0f} ms, p99 {pct(appeals, 99):.0f} ms, client_cpu={client_cpu:.3f} cores); "
        f"{len(paced)} at {rate:g}/s offered; bare POST {len(bare)} in {base_elapsed:.1f} s; "
        f"load average {os.getloadavg()[0]:.2f}; whole run {time.monotonic() - t0:.0f} s",
        flush=True,
    )
    print(
        f"db={db} appeals_per_s={per_s:.1f} p50_ms={pct(paced, 50):.0f} p99_ms={pct(paced, 99):.0f} "
        f"at_rps={at_rps:.1f} baseline_per_s={base_per_s:.1f} ratio={per_s / base_per_s if base_per_s else 0:.2f}"
    )


if __name__ == "__main__":
    main()
