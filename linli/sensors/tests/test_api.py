"""The API's lists of devices and alarms go a page at a time (core.api_paging): they stopped at a `limit` of at
most 1000 devices or 500 alarms, with no way to reach the rest."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from linli.sensors import services
from linli.sensors.models import Alarm, Device
from linli.testing import Cast, api_pages


def _more_devices(cast: Cast, device: Device, n: int) -> list[Device]:
    assert device.venue is not None
    return [
        services.device_register(
            actor=cast.community_worker, code=f"SD-01{i:02}", kind="smoke", venue=device.venue
        )
        for i in range(n)
    ]


def test_the_devices_go_page_by_page_and_keep_the_offline_filter(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    _more_devices(cast, device, 4)
    Device.objects.exclude(code__in=["SD-0001", "SD-0101"]).update(online=False)
    worker = client_for("community_worker")
    codes = ["SD-0001", "SD-0100", "SD-0101", "SD-0102", "SD-0103"]
    assert api_pages(worker, "/api/sensors/devices", key="code") == ([5, 5, 5], codes)  # the last one reached
    offline = api_pages(worker, "/api/sensors/devices", key="code", offline=True)
    assert offline == ([3, 3], ["SD-0100", "SD-0102", "SD-0103"])


def test_the_alarms_go_page_by_page_and_keep_the_open_only_filter(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    alarms = [
        services.alarm_raise(device=d, type="smoke")[0].pk for d in [device, *_more_devices(cast, device, 3)]
    ]
    Alarm.objects.update(raised_at=timezone.now())  # one time for all: only the id orders them
    Alarm.objects.filter(pk=alarms[1]).update(state="cleared")
    worker = client_for("grid_worker")
    newest_first = sorted(alarms, reverse=True)
    assert api_pages(worker, "/api/sensors/alarms", open_only=False) == ([4, 4], newest_first)
    active = [pk for pk in newest_first if pk != alarms[1]]
    assert api_pages(worker, "/api/sensors/alarms") == ([3, 3], active)
