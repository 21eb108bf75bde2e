"""The API's lists of devices and alarms go a page at a time (core.api_paging): they stopped at a `limit` of at
most 1000 devices or 500 alarms, with no way to reach the rest."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from linli.appeals.models import Appeal
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


def test_clearing_an_alarm_by_the_api_says_its_work_order_was_finished(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    """处置完毕 through the API resolves the order as the page does; the answer says so (it said nothing of the
    order, so an app could not tell the worker whether the order still needed them)."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    cleared = client_for("grid_worker").post(
        f"/api/sensors/alarms/{alarm.pk}/clear", {}, content_type="application/json"
    )
    assert cleared.status_code == 200
    assert cleared.json()["order"] == {
        "number": alarm.appeal_number,
        "fate": "resolved",
        "message": f"工单 {alarm.appeal_number} 已随告警办结。",
    }


def test_a_false_alarm_by_the_api_says_its_work_order_was_closed(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    cleared = client_for("community_worker").post(
        f"/api/sensors/alarms/{alarm.pk}/clear",
        {"false_alarm_reason": "油烟"},
        content_type="application/json",
    )
    body = cleared.json()
    assert body["state"] == "cleared" and body["false_alarm_reason"] == "油烟"
    assert body["order"]["fate"] == "closed" and body["order"]["number"] == alarm.appeal_number


def test_an_alarm_cleared_by_the_api_says_when_its_order_waits_for_its_handler(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    from linli.appeals import services as appeals
    from linli.appeals.models import Appeal

    alarm, _created = services.alarm_raise(device=device, type="smoke")
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    appeals.appeal_dispatch(actor=None, appeal=order, tier="department", unit_org=cast.department)
    cleared = client_for("grid_worker").post(
        f"/api/sensors/alarms/{alarm.pk}/clear", {}, content_type="application/json"
    )
    assert cleared.json()["order"] == {
        "number": alarm.appeal_number,
        "fate": "waiting",
        "message": f"工单 {alarm.appeal_number} 仍待其承办人办理。",
    }


def test_an_alarm_whose_order_was_over_already_says_so(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    """Cleared on site, then marked false: the order was finished (and closed) with the first step, as handled;
    the second finds it over and leaves a note on it that the alarm was false, and says so. An alarm with no order
    answers `order: null`."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    worker = client_for("community_worker")
    worker.post(f"/api/sensors/alarms/{alarm.pk}/clear", {}, content_type="application/json")
    again = worker.post(
        f"/api/sensors/alarms/{alarm.pk}/clear",
        {"false_alarm_reason": "测试"},
        content_type="application/json",
    )
    assert again.json()["order"] == {
        "number": alarm.appeal_number,
        "fate": "over",
        "message": f"工单 {alarm.appeal_number} 此前已办结，已在工单上备注此告警为误报。",
    }
    assert again.json()["outcome"] == "false"
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert order.state == "closed" and order.outcome == "fixed"  # appeals' states stay as they were
    assert order.events.filter(action="comment", reason="该告警为误报：测试").exists()
    Alarm.objects.filter(pk=alarm.pk).update(appeal_number="", false_alarm_reason="")
    Alarm.objects.filter(pk=alarm.pk).update(state="active")
    bare = worker.post(f"/api/sensors/alarms/{alarm.pk}/clear", {}, content_type="application/json")
    assert bare.status_code == 200 and bare.json()["order"] is None


def test_the_clear_endpoint_documents_what_became_of_the_order(client_for: Callable[[str], Client]) -> None:
    schema = client_for("admin").get("/api/openapi.json").json()
    answer = schema["paths"]["/api/sensors/alarms/{pk}/clear"]["post"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][name]["properties"]
    assert "order" in fields and "state" in fields
