"""A false alarm (误报) reads as one wherever staff meet it: the alarm records how it ended (handled on site, reset
by the device, false), the list and the alarm's page say it, the work order it opened says it (its answer text, a
note when the order was finished otherwise or waits with its handler, and a link to the alarm named 误报), and the
figures give the false-alarm rate in all, by compound and by sensor. Before, a false alarm's order read 已办结 like
a fire put out, and no figure said which sensors or compounds raised the false ones."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.test import Client
from django.utils import timezone

from linli.appeals.models import Appeal
from linli.sensors import services
from linli.sensors.choices import AlarmAction, AlarmOutcome
from linli.sensors.models import Alarm, AlarmEvent, Device
from linli.territory import services as territory
from linli.testing import Cast


def _device_in(cast: Cast, grid: Any, code: str, name: str) -> Device:
    venue = territory.venue_create(
        actor=None, grid=grid, category="shop", name=name, lng=116.411, lat=39.901, address="光明路5号"
    )
    return services.device_register(actor=cast.street_officer, code=code, kind="smoke", venue=venue)


def test_an_alarm_records_how_it_ended(cast: Cast, device: Device) -> None:
    """Reset by the device, handled on site, false; a clear by the device later said to be false is false."""
    by_device, _c = services.alarm_raise(device=device, type="smoke")
    services.readings_ingest([{"device": "SD-0001", "type": "clear", "alarm": "smoke"}])
    handled, _c = services.alarm_raise(device=device, type="heat")
    services.alarm_clear(actor=cast.grid_worker, alarm=handled)
    false, _c = services.alarm_raise(device=device, type="gas")
    services.alarm_mark_false(actor=cast.grid_worker, alarm=false, reason="维保测试")
    on, _c = services.alarm_raise(device=device, type="electrical")
    outcomes = dict(Alarm.objects.values_list("pk", "outcome"))
    assert [outcomes[a.pk] for a in (by_device, handled, false, on)] == ["device", "handled", "false", ""]
    by_device.refresh_from_db()
    services.alarm_mark_false(actor=cast.grid_worker, alarm=by_device, reason="蒸汽误触发")
    by_device.refresh_from_db()
    assert (by_device.outcome, by_device.false_alarm_reason) == ("false", "蒸汽误触发")


def test_the_list_and_the_alarm_page_say_how_each_alarm_ended(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    false, _c = services.alarm_raise(device=device, type="smoke")
    services.alarm_mark_false(actor=cast.grid_worker, alarm=false, reason="后厨炒菜油烟")
    services.alarm_raise(device=device, type="heat")
    services.readings_ingest([{"device": "SD-0001", "type": "clear", "alarm": "heat"}])
    client = client_for("grid_worker")
    rows = client.get("/sensors/alarms/rows/?show=all").content.decode()
    assert ">误报</span>" in rows and "后厨炒菜油烟" in rows and ">设备自行复位</span>" in rows
    assert "近30天：2 条告警，1 条误报（50%）" in rows
    only_false = client.get("/sensors/?show=false").content.decode()
    assert "后厨炒菜油烟" in only_false and "设备自行复位" not in only_false
    assert 'aria-current="page" class="active">误报</a>' in only_false
    page = client.get(f"/sensors/alarms/{false.pk}/").content.decode()
    order = Appeal.objects.get(tracking_number=false.appeal_number)
    assert "<dt>结果</dt><dd>误报 · " in page
    assert f'<a href="/appeals/{order.pk}/">{false.appeal_number}</a> · 已办结（误报）' in page


def test_a_false_alarm_s_work_order_says_so_and_leads_to_the_alarm(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """On the order's page: its answer text (误报：…) and, among its other steps, 查看告警（误报）. Another alarm's order
    offers 查看告警; a battery's order (a sensor's too, with no alarm) neither."""
    false, _c = services.alarm_raise(device=device, type="smoke")
    client = client_for("grid_worker")
    client.post(f"/sensors/alarms/{false.pk}/clear/", {"false_alarm": "1", "reason": "装修粉尘"})
    order = Appeal.objects.get(tracking_number=false.appeal_number)
    assert (order.state, order.outcome) == ("resolved", "no_further_action")  # appeals' own states
    page = client.get(f"/appeals/{order.pk}/").content.decode()
    assert "误报：装修粉尘" in page
    assert f'<a class="ap-btn" href="/sensors/alarms/{false.pk}/">查看告警（误报）</a>' in page
    real, _c = services.alarm_raise(device=device, type="heat")
    other = Appeal.objects.get(tracking_number=real.appeal_number)
    page = client.get(f"/appeals/{other.pk}/").content.decode()
    assert (
        f'<a class="ap-btn" href="/sensors/alarms/{real.pk}/">查看告警</a>' in page
        and "查看告警（误报）" not in page
    )
    services.readings_ingest([{"device": "SD-0001", "type": "heartbeat", "battery": 10}])
    device.refresh_from_db()
    battery = Appeal.objects.get(tracking_number=device.battery_order)
    assert "查看告警" not in client.get(f"/appeals/{battery.pk}/").content.decode()
    # Someone who may not see the alarm is not led to it.
    assert client_for("outsider").get(f"/appeals/{order.pk}/").status_code == 404


def test_a_false_alarm_said_after_its_order_was_finished_notes_it_on_the_order(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    """处置完毕 first (the order resolved as fixed), 误报 after: the order keeps its state, and a note on it says the
    alarm was false, so it no longer reads like a fire put out; the message and the alarm's history say so."""
    alarm, _c = services.alarm_raise(device=device, type="smoke")
    client = client_for("grid_worker")
    client.post(f"/sensors/alarms/{alarm.pk}/acknowledge/")
    client.post(f"/sensors/alarms/{alarm.pk}/clear/")
    done = client.post(
        f"/sensors/alarms/{alarm.pk}/clear/", {"false_alarm": "1", "reason": "维保测试"}, follow=True
    ).content.decode()
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    assert (order.state, order.outcome) == ("resolved", "fixed")
    assert order.events.filter(
        action="comment", actor=cast.grid_worker, reason="该告警为误报：维保测试"
    ).exists()
    said = f"已标记为误报。工单 {alarm.appeal_number} 此前已办结，已在工单上备注此告警为误报。"
    assert said in done
    assert "该告警为误报：维保测试" in client.get(f"/appeals/{order.pk}/").content.decode()


def test_a_false_alarm_whose_order_cannot_be_finished_yet_notes_it_on_the_order(
    cast: Cast, device: Device
) -> None:
    """The order waits on the resident (its clocks stopped): it cannot be resolved from there, so it is left with
    its handler, with a note that the alarm was false."""
    from linli.appeals.services import appeal_pause

    alarm, _c = services.alarm_raise(device=device, type="smoke")
    services.alarm_acknowledge(actor=cast.grid_worker, alarm=alarm)
    order = Appeal.objects.get(tracking_number=alarm.appeal_number)
    appeal_pause(actor=cast.grid_worker, appeal=order, reason="等待商户开门")
    _alarm, end = services.alarm_mark_false(actor=cast.grid_worker, alarm=alarm, reason="蒸汽误触发")
    assert end is not None and end.fate == "waiting"
    assert end.message == f"工单 {alarm.appeal_number} 仍待其承办人办理。已在工单上备注此告警为误报。"
    order.refresh_from_db()
    assert order.state == "waiting"
    assert order.events.filter(action="comment", reason="该告警为误报：蒸汽误触发").exists()


def _alarms(device: Device, *false: bool) -> None:
    """One ended alarm of `device` for each flag: marked false when it is True, cleared by the device otherwise."""
    for is_false in false:
        alarm, _c = services.alarm_raise(device=device, type="smoke")
        if is_false:
            alarm.refresh_from_db()
            Alarm.objects.filter(pk=alarm.pk).update(
                state="cleared", outcome=AlarmOutcome.FALSE, false_alarm_reason="油烟"
            )
        else:
            services.alarm_clear(actor=None, alarm=alarm)


def test_the_figures_page_gives_the_false_alarm_rate_by_compound_and_by_sensor(
    cast: Cast, device: Device, client_for: Callable[[str], Client], django_assert_max_num_queries: Any
) -> None:
    other = _device_in(cast, cast.other_grid, "SD-0002", "光明小卖部")
    _alarms(device, True, True, False, False)  # 阳光小区: 2 of 4
    _alarms(other, True, False, False)  # 光明社区 (its grid sits on the community): 1 of 3
    old, _c = services.alarm_raise(device=other, type="heat")  # a false one of two months ago: not counted
    Alarm.objects.filter(pk=old.pk).update(
        state="cleared", outcome="false", raised_at=timezone.now() - dt.timedelta(days=60)
    )
    client = client_for("street_officer")
    with django_assert_max_num_queries(12):
        page = client.get("/sensors/figures/").content.decode()
    assert '<div class="stat-value">7</div>' in page and '<div class="stat-value">43%</div>' in page
    compounds = page.split("按小区")[1].split("按设备")[0]
    assert compounds.index("阳光小区") < compounds.index("光明社区")  # the most false first
    assert (
        "<td>阳光小区</td><td>4</td><td>2</td>" in compounds
        and "<td>光明社区</td><td>4</td><td>1</td>" not in compounds
    )
    assert "<td>光明社区</td><td>3</td><td>1</td>" in compounds
    by_sensor = page.split("按设备")[1]
    assert (
        f'href="/sensors/?show=all&amp;device=SD-0001"><strong>{device.place_label}</strong></a>' in by_sensor
    )
    assert '<span class="sn-warn">50%</span>' in by_sensor and "33%" in by_sensor
    longer = client.get("/sensors/figures/?days=90").content.decode()
    assert '<div class="stat-value">8</div>' in longer and '<div class="stat-value">50%</div>' in longer
    # A sensor's row leads to its alarms alone.
    rows = client.get("/sensors/alarms/rows/?show=all&device=SD-0002").content.decode()
    assert "光明小卖部" in rows and "老王家常菜" not in rows
    listed = client.get("/sensors/?show=false&device=SD-0002").content.decode()
    assert "只显示设备 SD-0002 的告警。" in listed and 'href="?show=open&amp;device=SD-0002"' in listed
    # The grid worker counts their own grids only.
    mine = client_for("grid_worker").get("/sensors/figures/").content.decode()
    assert "光明社区" not in mine and "<td>阳光小区</td><td>4</td><td>2</td>" in mine


def test_the_figures_page_without_alarms_says_so(cast: Cast, client_for: Callable[[str], Client]) -> None:
    assert "近 30 天没有告警。" in client_for("grid_worker").get("/sensors/figures/").content.decode()


def test_the_overview_gives_the_false_alarm_rate(
    cast: Cast, device: Device, client_for: Callable[[str], Client]
) -> None:
    from linli.sensors.selectors import overview

    _alarms(device, True, False)
    today = timezone.localdate()
    figures = overview("", today, today)
    assert (figures["alarms"], figures["false"], figures["false_pct"]) == (2, 1, 50)
    page = client_for("street_officer").get("/dashboard/").content.decode()
    assert "期间告警（误报 1，占 50%）" in page and 'href="/sensors/figures/">误报统计</a>' in page


def test_the_migration_fills_the_outcome_of_the_alarms_already_over(cast: Cast, device: Device) -> None:
    """An alarm over before the outcome was kept: false by its reason, reset by the device when its clear had no
    person, handled otherwise; one still on keeps none."""
    alarms = []
    for kind in ("smoke", "heat", "gas", "electrical"):
        alarm, _c = services.alarm_raise(device=device, type=kind)
        alarms.append(alarm)
    services.alarm_clear(actor=None, alarm=alarms[0])
    services.alarm_clear(actor=cast.grid_worker, alarm=alarms[1])
    services.alarm_mark_false(actor=cast.grid_worker, alarm=alarms[2], reason="测试")
    Alarm.objects.update(outcome="")
    assert AlarmEvent.objects.filter(action=AlarmAction.CLEARED, actor=None).count() == 1
    migration = importlib.import_module("linli.sensors.migrations.0006_alarm_outcome")
    migration.fill_outcome(apps, None)
    outcomes = dict(Alarm.objects.values_list("pk", "outcome"))
    assert [outcomes[a.pk] for a in alarms] == ["device", "handled", "false", ""]
