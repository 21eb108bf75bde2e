"""The demo district looks alive while it is served: its fire sensors keep sending heartbeats.

The demo's sensors part leaves every device's last heartbeat ten minutes before the build (and a few devices
silent since the day before yesterday, the offline ones it shows). Nothing real sends heartbeats afterwards, so
without this the worker would find the gas and electrical monitors silent within the hour (HEARTBEAT_TIMEOUT),
mark them offline and text the venues about it. `linli demo_heartbeats` (run by `make run` beside the worker)
sends one heartbeat a round from each device the demo registered (`Device.is_demo`, which the demo's sensors part
sets; a device anyone else registers never gets one) and left alive — through the MQTT broker when
one answers (the way real devices report; `linli sensors listen` writes them), otherwise straight through the
ingest service — and nothing at all when the database holds no demo district.

A heartbeat carries no battery reading, so each device keeps the battery level the demo gave it (a low one
keeps its battery work order)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db.models import Max, QuerySet

from linli.sensors import mqtt
from linli.sensors.models import Device
from linli.sensors.services import readings_ingest
from linli.territory.models import Resident

# Every round well inside the shortest heartbeat timeout (an electrical fire monitor's 30 minutes).
EVERY_SECONDS = 300
# The demo's silent devices last spoke two days before the others: a device further behind the most recently
# heard demo device than this is one of them, and stays silent.
SILENT_BEHIND = dt.timedelta(days=1)


def demo_present() -> bool:
    """Whether the database holds the demo district (its generated residents are marked as demo data)."""
    return Resident.objects.filter(is_demo=True).exists()


def demo_devices() -> QuerySet[Device]:
    """The sensors the demo registered (marked `is_demo` by the demo's sensors part) that are in service."""
    return Device.objects.filter(active=True, is_demo=True)


def alive_codes() -> list[str]:
    """The codes of the demo's devices to keep alive: all but those the demo left silent. Empty when the
    database holds no demo district."""
    if not demo_present():
        return []
    devices = demo_devices()
    newest = devices.aggregate(at=Max("last_seen_at"))["at"]
    if newest is not None:
        devices = devices.exclude(last_seen_at__lt=newest - SILENT_BEHIND)
    return list(devices.order_by("code").values_list("code", flat=True))


def heartbeats(codes: list[str]) -> list[dict[str, Any]]:
    now = time.time()
    return [{"device": code, "type": "heartbeat", "ts": now} for code in codes]


def beat(*, url: str = "", direct: bool = False) -> tuple[int, str]:
    """One round: a heartbeat from every demo device kept alive, through the broker at `url` (LINLI_MQTT_URL by
    default) when one answers and `direct` is not asked, else through the ingest. Returns how many were sent
    and which way ("broker", "ingest", or "" when there was nothing to send)."""
    codes = alive_codes()
    if not codes:
        return 0, ""
    messages = heartbeats(codes)
    url = url or mqtt.broker_url()
    if not direct and mqtt.broker_reachable(url):
        publisher = mqtt.Publisher(url)
        try:
            if publisher.start(wait=5):
                return publisher.publish_all(messages), "broker"
        finally:
            publisher.stop()
    return readings_ingest(messages).heartbeats, "ingest"
