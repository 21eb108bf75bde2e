from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from linli.appeals.models import Appeal
from linli.sensors import services, views
from linli.sensors.choices import AlarmState
from linli.sensors.models import Alarm, Device
from linli.testing import Cast


def test_the_live_alarm_list_and_acknowledging(
    cast: Cast, device: Device, client_for: Callable[[str], Client], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client = client_for("grid_worker")
    with django_assert_max_num_queries(12):
        page = client.get("/sensors/")
    assert page.status_code == 200 and "老王家常菜" in page.content.decode()
    rows = client.get("/sensors/alarms/rows/?show=open").content.decode()
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert f'<a href="/appeals/{order.pk}/">{alarm.appeal_number}</a>' in rows and "未确认" in rows
    detail = client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert "确认：我来处置" in detail and "<dt>消息数</dt>" in detail
    # When Linli received the sensor's message: 接收时间, not an appeal's 受理时间 (accepted for handling).
    assert "<dt>接收时间</dt>" in detail and ">接收时间</th>" in rows and "受理时间" not in detail + rows
    # From the alarm to the venue (its person in charge) and to the grid.
    assert f'<a href="/territory/venues/{device.venue_id}/">老王家常菜</a>' in detail
    assert f'href="/territory/grids/{cast.grid.pk}/">{cast.grid.name}</a>' in detail
    done = client.post(f"/sensors/alarms/{alarm.pk}/acknowledge/")
    assert done.status_code == 302
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == cast.grid_worker
    again = client.post(f"/sensors/alarms/{alarm.pk}/acknowledge/", follow=True)
    assert "此告警已被确认" in again.content.decode()
    empty = client.post(f"/sensors/alarms/{alarm.pk}/clear/", {"false_alarm": "1", "reason": ""}, follow=True)
    assert "请说明误报原因" in empty.content.decode()
    client.post(f"/sensors/alarms/{alarm.pk}/clear/", {"false_alarm": "1", "reason": "做饭油烟"})
    alarm.refresh_from_db()
    assert alarm.false_alarm_reason == "做饭油烟"


def test_an_alarm_action_opened_by_its_address_goes_to_the_alarm_and_changes_nothing(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client = client_for("grid_worker")
    for action in ("acknowledge", "clear"):
        opened = client.get(f"/sensors/alarms/{alarm.pk}/{action}/")
        assert opened.status_code == 302 and opened["Location"] == f"/sensors/alarms/{alarm.pk}/"
    alarm.refresh_from_db()
    assert alarm.acknowledged_by is None and alarm.cleared_at is None
    # Ending the alarm (cleared, or false) cannot be undone: the page asks before it is sent.
    page = client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert 'data-confirm="确认解除此告警？' in page and 'data-confirm="确认标记为误报？' in page


def test_outsiders_and_residents_see_nothing(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    assert client_for("outsider").get(f"/sensors/alarms/{alarm.pk}/").status_code == 404
    assert "老王家常菜" not in client_for("outsider").get("/sensors/").content.decode()
    assert client_for("resident").get("/sensors/").status_code == 403
    client_for("outsider").post(f"/sensors/alarms/{alarm.pk}/acknowledge/")
    alarm.refresh_from_db()
    assert alarm.acknowledged_at is None


def test_devices_page(device: Device, client_for: Callable[[str], Client]) -> None:
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 12}])
    page = client_for("community_worker").get("/sensors/devices/?state=low_battery").content.decode()
    assert "SD-0001" in page and "12%" in page


def test_a_low_batterys_work_order_is_linked_on_the_devices_page(
    device: Device, client_for: Callable[[str], Client], django_assert_max_num_queries
) -> None:
    """The battery's maintenance work order is a link to the order, as an alarm's is (its number was plain text: the
    worker copied it into the appeals' search to open it); one query for the orders of the whole page."""
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 12}])
    order = Appeal.objects.get(tracking_number=Device.objects.get(pk=device.pk).battery_order)
    client = client_for("community_worker")
    with django_assert_max_num_queries(12):
        page = client.get("/sensors/devices/?state=low_battery").content.decode()
    assert f'<a href="/appeals/{order.pk}/">{order.tracking_number}</a>' in page


def test_the_devices_page_goes_page_by_page(
    cast: Cast, device: Device, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert device.venue is not None
    services.device_register(actor=cast.community_worker, code="SD-0002", kind="heat", venue=device.venue)
    monkeypatch.setattr(views, "DEVICES_PER_PAGE", 1)
    client = client_for("community_worker")
    first = client.get("/sensors/devices/?kind=").content.decode()
    assert "SD-0001" in first and "SD-0002" not in first and "第 1 / 2 页，共 2 条" in first
    assert 'href="?kind=&amp;page=2">下一页 ›</a>' in first
    second = client.get("/sensors/devices/?state=&kind=&page=2").content.decode()
    assert "SD-0002" in second and "SD-0001" not in second and ">‹ 上一页</a>" in second
    # A filter is kept from page to page.
    heat = client.get("/sensors/devices/?kind=heat").content.decode()
    assert "SD-0002" in heat and "下一页" not in heat


def test_every_alarm_is_reached_page_by_page(
    cast: Cast, device: Device, client_for: Callable[[str], Client], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """A year of cleared alarms: the list of all goes page by page (the filter kept), the oldest on the last page,
    and the live refresh keeps the page the person is reading."""
    start = timezone.now() - dt.timedelta(days=300)
    Alarm.objects.bulk_create(
        Alarm(
            device=device,
            type="smoke",
            state="cleared",
            org_path=device.org_path,
            published_at=start + dt.timedelta(days=i),
            raised_at=start + dt.timedelta(days=i),
            last_message_at=start + dt.timedelta(days=i),
            appeal_number=f"LL-{i:04d}",
        )
        for i in range(120)
    )
    client = client_for("community_worker")
    with django_assert_max_num_queries(12):
        first = client.get("/sensors/?show=all").content.decode()
    assert "LL-0119" in first and "LL-0069" not in first
    assert "第 1 / 3 页，共 120 条" in first and 'href="?show=all&amp;page=2">下一页 ›</a>' in first
    last = client.get("/sensors/?show=all&page=3").content.decode()
    assert "LL-0000" in last and "LL-0119" not in last
    assert 'hx-get="/sensors/alarms/rows/?show=all&amp;page=3"' in last
    rows = client.get("/sensors/alarms/rows/?show=all&page=3").content.decode()
    assert "LL-0000" in rows and "第 3 / 3 页" in rows


def test_the_devices_page_links_what_each_sensor_protects(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    assert device.venue is not None
    page = client_for("community_worker").get("/sensors/devices/").content.decode()
    assert f'<a href="/territory/venues/{device.venue.pk}/">{device.venue.name}</a>' in page


def test_api(cast: Cast, device: Device, client_for: Callable[[str], Client]) -> None:
    admin = client_for("admin")
    posted = admin.post(
        "/api/sensors/ingest",
        {"readings": [{"device": "SD-0001", "type": "alarm", "alarm": "smoke"}] * 3},
        content_type="application/json",
    )
    assert posted.status_code == 200 and posted.json()["alarms_opened"] == 1
    refused = client_for("grid_worker").post(
        "/api/sensors/ingest", {"readings": []}, content_type="application/json"
    )
    assert refused.status_code == 403
    worker = client_for("grid_worker")
    alarms = worker.get("/api/sensors/alarms").json()["items"]
    assert len(alarms) == 1 and alarms[0]["messages"] == 3
    ack = worker.post(
        f"/api/sensors/alarms/{alarms[0]['id']}/acknowledge", {}, content_type="application/json"
    )
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    cleared = worker.post(f"/api/sensors/alarms/{alarms[0]['id']}/clear", {}, content_type="application/json")
    assert cleared.json()["state"] == "cleared"
    assert Alarm.objects.get().state == "cleared"
    assert worker.get("/api/sensors/devices").json()["items"][0]["code"] == "SD-0001"
    assert client_for("outsider").get("/api/sensors/alarms?open_only=false").json() == {
        "count": 0,
        "items": [],
    }


def test_dashboard_panel_counts_devices_alarms_and_times(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    from linli.sensors.selectors import overview

    services.readings_ingest([{"device": "SD-0001", "type": "alarm", "alarm": "smoke"}])
    today = timezone.localdate()
    figures = overview("", today, today)
    assert (figures["devices"], figures["online"], figures["alarms"], figures["open_unacknowledged"]) == (
        1,
        1,
        1,
        1,
    )
    assert figures["order_s"] is not None and figures["order_s"] < 5
    page = client_for("street_officer").get("/dashboard/").content.decode()
    assert 'id="sensors-panel"' in page


def test_the_medians_of_an_even_number_of_alarms_are_the_mean_of_the_middle_two(
    cast: Cast, device: Device
) -> None:
    """Four alarms acknowledged 1, 2, 3 and 4 minutes after they came, their work orders 1-4 s after the sensors
    sent them: the median is 2.5 (the list's and the overview's figure), not the upper middle one (3) they showed."""
    from linli.sensors.selectors import alarm_figures, overview

    services.readings_ingest([{"device": "SD-0001", "type": "alarm", "alarm": "smoke"}])
    alarm = Alarm.objects.get()
    now = timezone.now()
    for minutes in (1, 2, 3, 4):
        if minutes > 1:
            alarm.pk = None  # saved as another alarm
        raised = now - dt.timedelta(hours=minutes)
        alarm.raised_at = alarm.published_at = raised
        alarm.ordered_at = raised + dt.timedelta(seconds=minutes)
        alarm.acknowledged_at = raised + dt.timedelta(minutes=minutes)
        alarm.state = AlarmState.CLEARED  # one open alarm of a kind per sensor
        alarm.save()
    assert Alarm.objects.count() == 4
    assert alarm_figures(cast.community_worker)["median_ack_min"] == 2.5
    figures = overview("", timezone.localdate(now - dt.timedelta(days=1)), timezone.localdate(now))
    assert (figures["alarms"], figures["ack_min"], figures["order_s"]) == (4, 2.5, 2.5)


def test_a_grid_worker_sees_the_sensors_of_their_own_grids_only(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """As in the territory: another grid of the same compound is not the grid worker's (404, not listed); the
    community worker sees both."""
    from linli.territory import services as territory
    from linli.testing import square

    other = territory.grid_create(
        actor=None, code="G003", name="阳光二网格", org_node=cast.compound, boundary=square(116.42, 39.90)
    )
    venue = territory.venue_create(
        actor=None,
        grid=other,
        category="shop",
        name="隔壁小卖部",
        lng=116.4215,
        lat=39.9015,
        address="和平路9号",
    )
    theirs = services.device_register(
        actor=cast.community_worker, code="SD-0009", kind="smoke", venue=venue, location="仓库"
    )
    alarm, _created = services.alarm_raise(device=theirs, type="smoke")
    worker = client_for("grid_worker")
    assert "SD-0009" not in worker.get("/sensors/devices/").content.decode()
    assert "SD-0001" in worker.get("/sensors/devices/").content.decode()
    assert "隔壁小卖部" not in worker.get("/sensors/alarms/rows/?show=open").content.decode()
    assert worker.get(f"/sensors/alarms/{alarm.pk}/").status_code == 404
    assert "SD-0009" in client_for("community_worker").get("/sensors/devices/").content.decode()
    assert client_for("community_worker").get(f"/sensors/alarms/{alarm.pk}/").status_code == 200


def test_acknowledging_an_alarm_on_the_phone_signs_its_work_order(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """ "确认：我来处置" is the grid worker taking the job: the work order is signed for (签收) with it, so its
    15-minute signing clock is not missed while they run to the fire, and its history says who took it. A
    community worker acknowledging an order that sits with the grid leaves the signing to the grid."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert order.state == "dispatched"
    client_for("grid_worker").post(f"/sensors/alarms/{alarm.pk}/acknowledge/", {"note": "马上到。"})
    order.refresh_from_db()
    assert order.state == "acknowledged" and order.acknowledged_at is not None
    page = client_for("grid_worker").get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert f"马上到。工单 {alarm.appeal_number} 已签收。" in page  # no space after 。


def test_an_alarm_acknowledged_by_the_api_signs_its_work_order_too(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    ack = client_for("grid_worker").post(
        f"/api/sensors/alarms/{alarm.pk}/acknowledge", {}, content_type="application/json"
    )
    assert ack.status_code == 200
    assert Appeal.objects.get(tracking_number=alarm.appeal_number).state == "acknowledged"


def test_the_devices_page_says_which_devices_it_shows_and_when_none_are_offline(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    """Tapping 离线 on a phone shows only the offline sensors: the page says so, with a way back to all of them,
    and when none is offline it says that plainly rather than "nothing matches"."""
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 80}])
    client = client_for("grid_worker")
    offline = client.get("/sensors/devices/?state=offline").content.decode()
    assert '只显示离线的设备。<a href="?">显示全部设备</a>' in offline  # no space after 。
    assert "没有离线的设备" in offline and "没有符合条件的传感器" not in offline
    assert 'href="?state=offline" aria-current="true"' in offline
    low = client.get("/sensors/devices/?state=low_battery").content.decode()
    assert '只显示电量低于 20% 的设备。<a href="?">显示全部设备</a>' in low and "没有电量低的设备" in low
    smoke = client.get("/sensors/devices/?state=offline&kind=smoke").content.decode()
    assert '<a href="?kind=smoke">显示全部设备</a>' in smoke  # the kind chosen kept
    everything = client.get("/sensors/devices/?state=nonsense").content.decode()
    assert "SD-0001" in everything and "只显示" not in everything and 'value="nonsense"' not in everything


def test_clearing_an_alarm_on_the_phone_resolves_its_work_order(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """处置完毕 by the grid worker who holds the order: the order is resolved (fixed) in the same step, and the
    alarm's history and the message say so, instead of an order left open for ever."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client = client_for("grid_worker")
    client.post(f"/sensors/alarms/{alarm.pk}/acknowledge/")
    done = client.post(f"/sensors/alarms/{alarm.pk}/clear/", follow=True).content.decode()
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert order.state == "resolved" and order.outcome == "fixed"
    assert order.events.filter(action="resolve", actor=cast.grid_worker).exists()
    assert f"告警已解除。工单 {alarm.appeal_number} 已随告警办结。" in done  # no space after 。
    page = client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert f"工单 {alarm.appeal_number} 已随告警办结" in page


def test_a_false_alarm_closes_its_work_order_as_no_further_action(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """误报 before anyone signed the order: the order is resolved as needing no further action, with the reason."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client_for("grid_worker").post(
        f"/sensors/alarms/{alarm.pk}/clear/", {"false_alarm": "1", "reason": "油烟"}
    )
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert order.state == "resolved" and order.outcome == "no_further_action"
    assert "油烟" in order.resolution_note


def test_an_alarm_cleared_by_someone_who_may_not_handle_its_order_says_the_order_waits(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """The order was passed to a department: the grid worker still clears the alarm, the order stays with the
    department, and the alarm's history and the message say that it waits for its handler."""
    from linli.appeals import services as appeals

    alarm, _created = services.alarm_raise(device=device, type="smoke")
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    appeals.appeal_dispatch(actor=None, appeal=order, tier="department", unit_org=cast.department)
    done = client_for("grid_worker").post(f"/sensors/alarms/{alarm.pk}/clear/", follow=True).content.decode()
    order.refresh_from_db()
    assert order.state == "dispatched" and order.unit_org_id == cast.department.pk
    assert f"告警已解除。工单 {alarm.appeal_number} 仍待其承办人办理。" in done
    alarm.refresh_from_db()
    assert alarm.state == "cleared"
    assert alarm.events.filter(note__contains="仍待其承办人办理").exists()


def test_an_alarm_cleared_by_its_device_leaves_the_order_to_its_handler(device: Device) -> None:
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    services.alarm_clear(actor=None, alarm=alarm)
    assert Appeal.objects.get(tracking_number=alarm.appeal_number).state == "dispatched"
    assert alarm.events.filter(note__contains="仍待其承办人办理").exists()


def test_the_work_order_is_read_through_appeals_scoping(
    cast: Cast, device: Device, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order the person may not see is neither signed nor resolved by the alarm's steps."""
    from linli.sensors import appeal_link

    alarm, _created = services.alarm_raise(device=device, type="smoke")
    monkeypatch.setattr(appeal_link, "appeals_visible_to", lambda user: Appeal.objects.none())
    client_for("grid_worker").post(f"/sensors/alarms/{alarm.pk}/acknowledge/")
    client_for("grid_worker").post(f"/sensors/alarms/{alarm.pk}/clear/")
    assert Appeal.objects.get(tracking_number=alarm.appeal_number).state == "dispatched"


def test_a_community_worker_clearing_an_alarm_also_closes_the_grids_order(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """The community supervises the grid's order: the one who clears it there resolves it and closes it too, as
    there is no resident to rate a sensor's order."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client_for("community_worker").post(f"/sensors/alarms/{alarm.pk}/clear/")
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert order.state == "closed" and order.outcome == "fixed"
    assert order.events.filter(action="close", actor=cast.community_worker).exists()


def test_the_kind_filter_and_the_false_alarm_reason_are_fields_as_every_form_draws_them(
    device: Device, client_for: Callable[[str], Client]
) -> None:
    """Core's forms.css styles a `.field`'s input and select (a browser's bare select stood beside styled boxes, and
    the reason was a narrow bare box): each is a labelled field, the reason one as wide as the card allows."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    client = client_for("community_worker")
    devices = client.get("/sensors/devices/").content.decode()
    assert re.search(r'<label class="field"><span>类型</span>\s*<select name="kind"', devices)
    detail = client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert re.search(
        r'<label class="field sn-reason"><span>误报原因</span>\s*<input id="reason" name="reason"', detail
    )


def test_an_alarm_the_device_cleared_says_its_work_order_is_still_open_until_it_is_finished(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """The device's own clear leaves the order with its handler (docs/places-sensors.md): it kept running its
    clocks and climbing the tiers while the alarm list read 没有未解除的告警 and the alarm's page said it only in its
    history (in the demo, 8 of the 15 alarms over had their order still 已派单, up to a month on)."""
    from linli.appeals.services import appeal_resolve

    alarm, _created = services.alarm_raise(device=device, type="smoke")
    services.alarm_acknowledge(actor=cast.grid_worker, alarm=alarm)
    services.readings_ingest([{"device": "SD-0001", "type": "clear", "alarm": "smoke"}])
    alarm.refresh_from_db()
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert alarm.state != AlarmState.ACTIVE and order.state == "acknowledged"
    for role in ("grid_worker", "community_worker"):
        client = client_for(role)
        listed = client.get("/sensors/").content.decode()
        assert "没有未解除的告警。" in listed
        assert '<a class="sn-warn" href="?show=order_open">1 条告警已结束、工单仍未办结 ›</a>' in listed
        rows = client.get("/sensors/?show=order_open").content.decode()
        assert (
            "老王家常菜" in rows
            and "工单未办结" in rows
            and 'aria-current="page" class="active">已结束、工单未办结' in rows
        )
        page = client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
        assert f"告警已结束，但工单 {alarm.appeal_number} 仍未办结（已签收）" in page
        assert f'<a class="btn btn-small" href="/appeals/{order.pk}/">前往办结工单</a>' in page
    appeal_resolve(actor=cast.grid_worker, appeal=order, note="现场已核实，险情消除。")
    client = client_for("community_worker")
    assert "工单仍未办结" not in client.get("/sensors/").content.decode()
    assert "已结束的告警，工单都已办结。" in client.get("/sensors/?show=order_open").content.decode()
    assert "仍未办结" not in client.get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    # An alarm still on is the list's own business: no word of its order there.
    services.alarm_raise(device=device, type="smoke")
    assert "工单仍未办结" not in client.get("/sensors/").content.decode()


def test_with_no_sensor_registered_the_devices_page_says_who_registers_them(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """It said 没有符合条件的传感器, as if a filter had left nothing: a grid worker learns that a community or street
    worker registers them, who may register them learns where."""
    devices = client_for("grid_worker").get("/sensors/devices/").content.decode()
    assert "您负责的网格还没有登记感知设备，由社区或街道工作人员登记。" in devices
    devices = client_for("community_worker").get("/sensors/devices/").content.decode()
    assert (
        '本辖区还没有登记感知设备。<a href="/territory/io/">用表格导入登记</a>：在导入页选择“一网通感”。'
        in devices
    )
    assert (
        "没有符合条件的传感器。"
        in client_for("community_worker").get("/sensors/devices/?kind=gas").content.decode()
    )


def test_an_alarm_s_page_dates_its_acknowledgement_and_says_whom_its_escalation_told(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """An old alarm's acknowledgement read only its time (15:09:02), and an escalation's line bare names."""
    alarm, _created = services.alarm_raise(device=device, type="smoke")
    later = timezone.now() + dt.timedelta(minutes=4)
    assert services.alarm_escalate(alarm_pk=alarm.pk, now=later)
    services.alarm_acknowledge(actor=cast.grid_worker, alarm=alarm)
    alarm.refresh_from_db()
    page = client_for("community_worker").get(f"/sensors/alarms/{alarm.pk}/").content.decode()
    assert (
        f"<dt>已确认</dt><dd>{timezone.localtime(alarm.acknowledged_at):%Y-%m-%d %H:%M:%S} · 王网格</dd>"
        in page
    )
    assert re.search(r"已上报 <span class=\"muted\">— 已通知 [^<]*刘社工", page)
