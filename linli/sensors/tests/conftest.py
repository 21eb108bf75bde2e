from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linli.sensors import services
from linli.sensors.models import Device
from linli.territory import services as territory
from linli.testing import Cast

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def device(cast: Cast) -> Device:
    return smoke_detector(cast)


def smoke_detector(cast: Cast) -> Device:
    """A smoke detector in a small restaurant of the cast's grid (the tests' and the browser walk's device)."""
    venue = territory.venue_create(
        actor=None,
        grid=cast.grid,
        category="restaurant",
        name="老王家常菜",
        lng=116.4015,
        lat=39.9015,
        address="和平路3号",
        owner_name="王老板",
        contact_phone="13700001111",
    )
    return services.device_register(
        actor=cast.community_worker,
        code="SD-0001",
        kind="smoke",
        venue=venue,
        location="后厨",
        installer="平安消防",
    )


class Mosquitto:
    """A private Mosquitto on a free port of 127.0.0.1, for one test session (one per xdist worker)."""

    def __init__(self, binary: str, workdir: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.binary = binary
        self.conf = workdir / "mosquitto.conf"
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 0\n"
            f"user {getpass.getuser()}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _mosquitto_binary() -> str | None:
    return shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mosquitto]:
    """A real broker; installed from the system's packages when missing (scripts/mosquitto.sh install), and a
    failure, never a skip, when it cannot be."""
    binary = _mosquitto_binary()
    if binary is None:
        subprocess.run([str(ROOT / "scripts" / "mosquitto.sh"), "install"], check=False, timeout=600)
        binary = _mosquitto_binary()
    if binary is None:
        pytest.fail("Mosquitto is not installed and could not be installed (scripts/mosquitto.sh install)")
    broker = Mosquitto(binary, tmp_path_factory.mktemp("mosquitto"))
    broker.start()
    yield broker
    broker.stop()
