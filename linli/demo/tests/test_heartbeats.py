"""Stopping `make run` stops the demo's heartbeats too (what the heartbeats do to the whole demo's sensors is
checked in test_whole_demo)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


# `make` started as a terminal starts it, with Ctrl-C's SIGINT at its default. An ignored SIGINT is inherited
# (exec keeps it; make, bash and the stand-ins leave it ignored), and pytest has it ignored when it runs as a
# background job of a script (`pytest … &`, as parallel runs are started): the SIGINT below would stop nothing.
AS_FROM_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


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
        [sys.executable, "-c", AS_FROM_A_TERMINAL, "make", "-s", "-f", str(ROOT / "Makefile"), "run"],
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
