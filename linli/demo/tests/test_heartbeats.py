"""While `make run` serves the demo, its sensors keep sending heartbeats: the worker finds none of them silent but
the few the demo left offline, nothing is sent for sensors the demo did not make or without the demo, and
stopping `make run` stops the heartbeats too."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from linli.accounts.models import User
from linli.core.roles import Role
from linli.demo import grid_log, heartbeats, sensors
from linli.demo.parts import DemoRun
from linli.sensors import services
from linli.sensors.models import Device
from linli.territory.models import Resident, Venue

ROOT = Path(__file__).resolve().parents[3]


def test_heartbeats_keep_the_demo_sensors_online_but_the_silent_few(
    run: DemoRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    grid_log.part(run)
    sensors.part(run)
    offline = set(Device.objects.filter(online=False).values_list("code", flat=True))
    assert len(offline) == 3
    venue = Venue.objects.filter(sensors__isnull=False).first()
    assert venue is not None
    theirs = services.device_register(  # a sensor the demo did not make
        actor=None, code="ACME-0001", kind="electrical", venue=venue
    )
    # Registered by a real user beside the demo's: a code of the demo's scheme, an installer of the demo's.
    community = next(n for n in venue.grid.org_node.chain() if n.kind == "community")
    worker = User.objects.get(role=Role.COMMUNITY_WORKER, org_node=community)
    lookalike = services.device_register(
        actor=worker,
        code=f"EL-{venue.grid.code}-9999",
        kind="electrical",
        venue=venue,
        installer=sensors.INSTALLERS[0],
    )
    assert not theirs.is_demo and not lookalike.is_demo
    services.readings_ingest([{"device": d.code, "type": "heartbeat"} for d in (theirs, lookalike)])
    later = timezone.now() + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        out = io.StringIO()
        call_command("demo_heartbeats", "--once", "--direct", stdout=out)
        demo_alive = Device.objects.filter(is_demo=True).count() - 3
        assert f"{demo_alive} heartbeats sent (ingest)" in out.getvalue()
        assert services.devices_mark_offline() == 2  # theirs: nobody sent their heartbeats
    real = {theirs.code, lookalike.code}
    assert set(Device.objects.filter(online=False).values_list("code", flat=True)) == offline | real
    assert Device.objects.filter(is_demo=True, online=True).count() == demo_alive
    # Without them, the gas and electrical monitors would be silent by then.
    with time_machine.travel(later + dt.timedelta(hours=2), tick=False):
        assert services.devices_mark_offline() > 0

    # Through the broker when one answers (the listener writes them), as heartbeats without a battery reading.
    published: list[dict[str, Any]] = []

    class Publisher:
        def __init__(self, url: str, *, client_id: str = "") -> None:
            self.url = url

        def start(self, *, wait: float = 10.0) -> bool:
            return True

        def publish_all(self, messages: list[dict[str, Any]]) -> int:
            published.extend(messages)
            return len(messages)

        def stop(self) -> None:
            pass

    monkeypatch.setattr(heartbeats.mqtt, "broker_reachable", lambda url: url == "mqtt://broker:1883")
    monkeypatch.setattr(heartbeats.mqtt, "Publisher", Publisher)
    seen = dict(Device.objects.values_list("code", "last_seen_at"))
    codes = heartbeats.alive_codes()
    assert real.isdisjoint(codes) and len(codes) == demo_alive
    assert heartbeats.beat(url="mqtt://broker:1883") == (len(codes), "broker")
    assert sorted(m["device"] for m in published) == codes and offline.isdisjoint(codes)
    assert {m["type"] for m in published} == {"heartbeat"} and not any("battery" in m for m in published)
    assert dict(Device.objects.values_list("code", "last_seen_at")) == seen
    assert heartbeats.beat(url="mqtt://elsewhere:1883")[1] == "ingest"  # no broker answers there

    # Nothing without the demo district.
    Resident.objects.update(is_demo=False)
    seen = dict(Device.objects.values_list("code", "last_seen_at"))
    out = io.StringIO()
    call_command("demo_heartbeats", "--once", stdout=out)
    assert "no demo sensors" in out.getvalue()
    assert dict(Device.objects.values_list("code", "last_seen_at")) == seen


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_stopping_make_run_stops_the_heartbeats(tmp_path: Path) -> None:
    """`make run` with a stand-in `linli` that logs each command and its process id and then waits: Ctrl-C (a
    SIGINT to the whole foreground process group, which the shell's background jobs ignore) stops them all."""
    log = tmp_path / "commands.log"
    (tmp_path / "pyproject.toml").write_text("")
    os.utime(tmp_path / "pyproject.toml", (1, 1))
    linli = tmp_path / ".venv" / "bin" / "linli"
    linli.parent.mkdir(parents=True)
    linli.write_text(
        "#!/bin/sh\n"
        'echo "$* $$" >> "$LOG"\n'
        'case "$1 $2" in\n'
        '  "demo_heartbeats --once"|migrate*|setup*|collectstatic*) exit 0 ;;\n'
        "esac\n"
        "exec sleep 120\n"
    )
    linli.chmod(0o755)
    env = {**os.environ, "LOG": str(log), "LINLI_MQTT_URL": "mqtt://127.0.0.1:9"}
    make = subprocess.Popen(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "run"],
        cwd=tmp_path,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pids: dict[str, int] = {}
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(pids) < 4:
            time.sleep(0.2)
            lines = log.read_text().splitlines() if log.exists() else []
            pids = {
                line.split()[0]: int(line.split()[-1])
                for line in lines
                if line.split()[0] in ("worker", "sensors", "serve", "demo_heartbeats")
                and "--once" not in line
            }
        assert set(pids) == {"worker", "sensors", "demo_heartbeats", "serve"}, log.read_text()
        assert "demo_heartbeats --once --direct -v 0" in log.read_text()
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids.values()):
            time.sleep(0.1)
        assert not [name for name, pid in pids.items() if _alive(pid)]
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        for pid in pids.values():  # whatever the recipe left behind, so that a failure leaves nothing running
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
