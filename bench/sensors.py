"""Benchmark of sensor ingest through a real MQTT broker into the database, beside the broker's own ceiling.

    .venv/bin/python bench/sensors.py [--devices 20000] [--rounds 10] [--alarm-rate 0.0005] [--listeners 2]
    .venv/bin/python scripts/with_postgres.py .venv/bin/python bench/sensors.py     # the same on PostgreSQL

It sets up its own data in a throwaway SQLite database under a temporary LINLI_VAR_DIR (removed at the end), or
in the PostgreSQL of DATABASE_URL: one community with 10 grids, 200 buildings and N smoke detectors bound to
them (bulk_create). It starts a private Mosquitto on a free port (scripts/mosquitto.sh install installs it when
missing) configured for unbounded queues, then runs at once:
  counter    a bare subscriber in its own process that only counts PUBLISH packets on linli/sensors/# (QoS 0,
             whole socket buffers, nothing decoded): what the broker delivers on this machine — the ceiling
  publisher  the simulated fleet (linli.sensors.simulate.fleet_messages) published at full speed from its own
             process by linli.sensors.mqtt.Publisher, one reading a message: `rounds` heartbeats per device
             (QoS 0, a thousand PUBLISH packets a write), and with probability `alarm-rate` after each one an
             alarm (sent twice, QoS 1, on the publisher's second connection) that is cleared in the next round
  listeners  linli.sensors.mqtt.Listener in --listeners N processes (default 2, one a core) in one shared
             subscription, or in this process with --listeners 1: alarms on their own connection, written
             first; heartbeats decoded in bulk and written in batches; each new alarm opening its work order
             in appeals
readings_per_s is the readings written after the listener's first batch divided by the time from that batch's
commit to the last one's (with several listeners: the earliest first batch to the latest last one).
alarm_to_order_p99_ms is taken over every alarm opened during the run: from the `ts` the publisher stamped on
the message as it published it, to the alarm's `ordered_at` (after appeals' intake); the run also prints how
that splits into getting to the listener and the listener's work.

Nothing can hang: every wait has a timeout, the run after setup has a deadline (--timeout), and the broker and the
child processes are terminated (then killed) in `finally`. A run that hits the deadline still prints its line,
with `complete=no`.

The last line: devices=… readings_per_s=… broker_ceiling_per_s=… alarm_to_order_p99_ms=… database=…
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOPIC = "linli/sensors/#"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def codes_for(n: int) -> list[str]:
    return [f"BS-{i:06d}" for i in range(n)]


# ---------------------------------------------------------------- child processes


def django_light() -> None:
    """Settings and apps only (linli.sensors.mqtt imports the models); the child processes touch no database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()


def role_counter(url: str, expect: int, timeout: float) -> None:
    """Count PUBLISH packets on `linli/sensors/#` (QoS 0, whole socket buffers at a time, nothing decoded) until
    `expect` arrived, or 5 s passed without one after the first, or `timeout`."""
    from linli.sensors import wire
    from linli.sensors.mqtt import broker_from_url

    broker = broker_from_url(url)
    conn = wire.Connection(broker.host, broker.port, client_id="bench-counter")
    try:
        conn.open()
        conn.subscribe([(TOPIC, 0)])
    except (OSError, ConnectionError) as error:
        print(json.dumps({"error": f"counter could not subscribe: {error}"}), flush=True)
        return
    print("ready", flush=True)
    n, first, last = 0, 0.0, 0.0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and n < expect:
        packets = conn.read(0.5)
        now = time.monotonic()
        if not packets:
            if n and now - last > 5:
                break
            conn.ping_if_due()
            continue
        got = sum(1 for header, _body in packets if header & 0xF0 == wire.PUBLISH)
        if got and not n:
            first = now
        n += got
        last = now
    conn.close()
    seconds = max(last - first, 1e-9)
    print(json.dumps({"count": n, "seconds": seconds, "per_s": n / seconds}), flush=True)


def role_publisher(url: str, devices: int, rounds: int, alarm_rate: float, timeout: float) -> None:
    from linli.sensors.mqtt import Publisher
    from linli.sensors.simulate import fleet_messages

    codes = codes_for(devices)
    publisher = Publisher(url, client_id="bench-fleet")
    if not publisher.start(wait=10):
        print(json.dumps({"error": "publisher could not connect"}), flush=True)
        return
    started = time.monotonic()
    n = publisher.publish_all(
        fleet_messages(codes, kinds=dict.fromkeys(codes, "smoke"), rounds=rounds, alarm_rate=alarm_rate),
        qos=0,
        timeout=timeout,
    )
    seconds = time.monotonic() - started
    publisher.stop()
    print(json.dumps({"published": n, "seconds": seconds, "per_s": n / seconds}), flush=True)


# ---------------------------------------------------------------- the main run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_broker(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(binary).exists():
        subprocess.run([str(ROOT / "scripts" / "mosquitto.sh"), "install"], check=True, timeout=600)
    port = free_port()
    conf = workdir / "mosquitto.conf"
    # In-flight QoS 1 messages unbounded (the listener acknowledges a whole batch after its commit) and a deep
    # queue: Mosquitto's defaults (20 in flight, 1000 queued) would throttle or drop a fast fleet.
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        f"max_inflight_messages 0\nmax_queued_messages 0\nuser {getpass.getuser()}\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"mqtt://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("mosquitto did not start")


def setup_django(var_dir: str) -> None:
    """A throwaway SQLite database under var_dir; or the PostgreSQL of DATABASE_URL (scripts/with_postgres.py)."""
    os.environ["LINLI_VAR_DIR"] = var_dir
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_fleet(devices: int) -> None:
    from linli.sensors.models import Device
    from linli.territory import services as territory
    from linli.territory.geometry import geometry_fields
    from linli.territory.models import Building, Grid

    district = territory.org_node_create(
        actor=None, kind="district", name="测试区", code="110188", parent=None
    )
    street = territory.org_node_create(
        actor=None, kind="street", name="测试街道", code="110188001", parent=district
    )
    community = territory.org_node_create(
        actor=None, kind="community", name="测试社区", code="110188001001", parent=street
    )
    grids = []
    for i in range(10):
        lng, lat = 116.40 + i * 0.002, 39.90
        ring = [[lng, lat], [lng + 0.002, lat], [lng + 0.002, lat + 0.002], [lng, lat + 0.002], [lng, lat]]
        boundary = {"type": "Polygon", "coordinates": [ring]}
        grids.append(
            Grid(
                code=f"G{i:03d}",
                name=f"网格{i}",
                org_node=community,
                boundary=boundary,
                **geometry_fields(boundary),
            )
        )
    Grid.objects.bulk_create(grids)
    grids = list(Grid.objects.order_by("id"))
    buildings = [
        Building(
            grid=grids[i % 10],
            code=f"BLD{i:04d}",
            name=f"{i + 1}号楼",
            address=f"测试路{i + 1}号",
            lng=116.40 + (i % 10) * 0.002 + 0.001,
            lat=39.901,
        )
        for i in range(200)
    ]
    Building.objects.bulk_create(buildings)
    buildings = list(Building.objects.select_related("grid__org_node").order_by("id"))
    rows = []
    for i, code in enumerate(codes_for(devices)):
        b = buildings[i % len(buildings)]
        rows.append(
            Device(
                code=code,
                kind="smoke",
                grid=b.grid,
                org_path=b.grid.org_node.path,
                building=b,
                lng=b.lng,
                lat=b.lat,
            )
        )
    Device.objects.bulk_create(rows, batch_size=2000)


def expected_messages(devices: int, rounds: int, alarm_rate: float) -> tuple[int, int, int]:
    """(messages, alarm messages, alarm and clear messages) the fleet will publish."""
    from linli.sensors.simulate import fleet_messages

    codes = codes_for(devices)
    n = alarms = urgent = 0
    for m in fleet_messages(codes, kinds=dict.fromkeys(codes, "smoke"), rounds=rounds, alarm_rate=alarm_rate):
        n += 1
        alarms += m["type"] == "alarm"
        urgent += m["type"] != "heartbeat"
    return n, alarms, urgent


def child(role: str, args: argparse.Namespace, url: str, extra: list[str]) -> subprocess.Popen[str]:
    command = [sys.executable, __file__, "--role", role, "--url", url, "--timeout", str(args.timeout), *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)


def last_json(process: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    try:
        out, _err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _err = process.communicate(timeout=5)
    for line in reversed((out or "").splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    return {}


def p99_of(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))] if values else float("nan")


def stop(process: subprocess.Popen[Any] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def listen(listener: Any, expect: int, deadline: float) -> tuple[Any, list[float]]:
    """Run a listener until `expect` messages were written (or idle 10 s, or the deadline); its totals and
    [first batch committed, last batch committed, readings in the first batch] (time.time())."""
    span = [0.0, 0.0, 0]

    def on_batch(done: Any) -> None:
        now = time.time()
        if not span[0]:
            span[0], span[2] = now, done.readings
        span[1] = now

    listener.on_batch = on_batch
    total = listener.run(max_messages=expect, idle_timeout=10, deadline=deadline)
    return total, span


def role_listener(url: str, expect: int, batch: int, timeout: float, only: str) -> None:
    """One of several ingest processes in the shared subscription `bench`, or the alarms' own (--split); the
    database is the parent's."""
    from linli.sensors.mqtt import Listener

    listener = Listener(
        url, client_id=f"bench-ingest-{os.getpid()}", shared="bench", batch_size=batch, only=only
    )
    if not listener.start(wait=10):
        print(json.dumps({"error": "listener could not subscribe"}), flush=True)
        return
    print("ready", flush=True)
    try:
        total, span = listen(listener, expect, time.monotonic() + timeout)
    finally:
        listener.stop()
    print(
        json.dumps(
            {
                "readings": total.readings,
                "alarms_opened": total.alarms_opened,
                "alarms_repeated": total.alarms_repeated,
                "cleared": total.cleared,
                "duplicates": total.duplicates,
                "first": span[0],
                "last": span[1],
                "first_batch": span[2],
            }
        ),
        flush=True,
    )


def run(args: argparse.Namespace, var_dir: str) -> None:
    log("migrating a throwaway database")
    setup_django(var_dir)
    build_fleet(args.devices)
    expect, alarms, urgent = expected_messages(args.devices, args.rounds, args.alarm_rate)
    log(f"{args.devices} devices; the fleet will publish {expect} messages ({alarms} alarm messages)")

    from django.db import connection

    from linli.sensors.models import Alarm
    from linli.sensors.mqtt import Listener
    from linli.sensors.services import IngestResult

    deadline = time.monotonic() + args.timeout  # the measured part; migrating and building come before it
    broker, url = start_broker(Path(var_dir))
    counter = publisher = None
    listener: Listener | None = None
    listeners: list[subprocess.Popen[str]] = []
    try:
        counter = child("counter", args, url, ["--expect", str(expect)])
        assert counter.stdout is not None
        ready = counter.stdout.readline().strip()  # the counter prints "ready" once subscribed (or an error)
        if ready != "ready":
            raise SystemExit(f"counter did not start: {ready}")
        if args.listeners == 1:
            only = "heartbeats" if args.split else ""
            listener = Listener(url, client_id="bench-ingest", batch_size=args.batch, only=only)
            if not listener.start(wait=10):
                raise SystemExit("the listener could not subscribe")
            if args.split:  # the alarms' listener in a process of its own
                listeners.append(child("listener", args, url, ["--expect", str(urgent), "--only", "alarms"]))
        else:  # processes of their own in one shared subscription, writing to the same database
            for _i in range(args.listeners):
                process = child("listener", args, url, ["--expect", str(expect), "--batch", str(args.batch)])
                listeners.append(process)
        for process in listeners:
            assert process.stdout is not None
            ready = process.stdout.readline().strip()
            if ready != "ready":
                raise SystemExit(f"a listener did not start: {ready}")
        log(
            f"broker {url}; counter and {args.listeners + args.split} listener(s) subscribed"
            + (" (alarms in their own process)" if args.split else "")
            + "; publishing at full speed"
        )
        publisher = child(
            "publisher",
            args,
            url,
            [
                "--devices",
                str(args.devices),
                "--rounds",
                str(args.rounds),
                "--alarm-rate",
                str(args.alarm_rate),
            ],
        )
        if listener is not None:
            total, span = listen(listener, expect - urgent if args.split else expect, deadline)
        else:
            total, span = IngestResult(), [float("inf"), 0.0, 0]
        if listeners:
            for process in listeners:
                part = last_json(process, max(5.0, deadline - time.monotonic()))
                total.readings += part.get("readings", 0)
                total.alarms_opened += part.get("alarms_opened", 0)
                total.alarms_repeated += part.get("alarms_repeated", 0)
                total.cleared += part.get("cleared", 0)
                total.duplicates += part.get("duplicates", 0)
                if part.get("readings") and not args.split:  # the heartbeats' listener times a split run
                    span[0] = min(span[0], part["first"])
                    span[1] = max(span[1], part["last"])
                    span[2] += part["first_batch"]
        remaining = max(5.0, deadline - time.monotonic())
        published = last_json(publisher, remaining)
        ceiling = last_json(counter, remaining)
    finally:
        if listener is not None:
            listener.stop()
        stop(publisher)
        stop(counter)
        for process in listeners:
            stop(process)
        stop(broker)
    complete = total.readings >= expect
    # From the first batch committed to the last, over the readings written after the first batch.
    seconds = max(span[1] - span[0], 1e-9)
    rate = (total.readings - span[2]) / seconds
    opened = [
        (a.ordered_at, a.published_at, a.raised_at)
        for a in Alarm.objects.exclude(ordered_at=None).only("ordered_at", "published_at", "raised_at")
        if a.ordered_at is not None
    ]
    lat = sorted((ordered - published).total_seconds() * 1000 for ordered, published, _raised in opened)
    p99, p50 = p99_of(lat), statistics.median(lat) if lat else float("nan")
    # Where the time goes: from publication to the listener's taking it (broker, sockets, queues), then from
    # there to the work order (the alarm's own writes and appeals' intake).
    arrive = sorted((raised - published).total_seconds() * 1000 for _ordered, published, raised in opened)
    order = sorted((ordered - raised).total_seconds() * 1000 for ordered, _published, raised in opened)
    log(
        f"publisher: {published.get('published', 0)} messages in {published.get('seconds', 0):.1f} s "
        f"({published.get('per_s', 0):.0f}/s)"
    )
    log(f"counter (broker ceiling): {ceiling.get('count', 0)} messages, {ceiling.get('per_s', 0):.0f}/s")
    log(
        f"listener(s): {total.readings} readings, {seconds:.1f} s from the first batch to the last, {total.alarms_opened} alarms opened "
        f"({total.alarms_repeated} repeats, {total.cleared} cleared, {total.duplicates} redeliveries skipped), "
        f"alarm → work order p50 {p50:.0f} ms over {len(lat)} alarms"
    )
    if lat:
        log(
            f"alarm latency: publication → taken p50 {statistics.median(arrive):.0f} ms, p99 {p99_of(arrive):.0f} "
            f"ms; taken → work order p50 {statistics.median(order):.0f} ms, p99 {p99_of(order):.0f} ms"
        )
    print(
        f"devices={args.devices} readings_per_s={rate:.0f} "
        f"broker_ceiling_per_s={ceiling.get('per_s', 0):.0f} alarm_to_order_p99_ms={p99:.0f}"
        + f" database={connection.vendor}"
        + ("" if complete else f" complete=no ({total.readings}/{expect})"),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devices", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--alarm-rate", type=float, default=0.0005)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--timeout", type=float, default=150, help="seconds the run may take after setup")
    parser.add_argument(
        "--listeners",
        type=int,
        default=2,
        help="ingest processes in one shared subscription (default 2, one a core; 1 runs it in this process)",
    )
    parser.add_argument(
        "--split", action="store_true", help="alarms in a listener process of their own (listen --only)"
    )
    parser.add_argument("--only", default="", help=argparse.SUPPRESS)
    parser.add_argument("--role", choices=["counter", "publisher", "listener"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--expect", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "listener":
        django_light()  # with the parent's LINLI_VAR_DIR and DATABASE_URL: its database
        role_listener(args.url, args.expect, args.batch, args.timeout, args.only)
        return
    if args.role:
        django_light()
    if args.role == "counter":
        role_counter(args.url, args.expect, args.timeout)
        return
    if args.role == "publisher":
        role_publisher(args.url, args.devices, args.rounds, args.alarm_rate, args.timeout)
        return
    var_dir = tempfile.mkdtemp(prefix="linli-bench-sensors-")
    try:
        run(args, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
