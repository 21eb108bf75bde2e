"""Demo fire sensors (一网通感): smoke detectors in the small venues, heat and gas detectors in the small
restaurants, electrical fire monitors at e-bike chargers and bike sheds; a month of alarm history lived
through the real ingest with the clock moved (acknowledged within minutes, some false with their reasons; the
work orders of those the device cleared itself finished by the grid worker on site, all but the last two), one
alarm sounding now that nobody has acknowledged yet, a few devices gone silent and a few low batteries."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.choices import Outcome
from linli.appeals.models import Appeal
from linli.appeals.services import appeal_resolve
from linli.core.roles import Role
from linli.sensors import services
from linli.sensors.models import Alarm, Device
from linli.territory.models import Venue

from .clock import travel

if TYPE_CHECKING:
    from .parts import DemoRun

# venue category → the devices it gets (kind, where it hangs)
FITTING: dict[str, list[tuple[str, str]]] = {
    "restaurant": [("smoke", "大堂"), ("heat", "后厨灶台上方"), ("gas", "后厨燃气表旁")],
    "shop": [("smoke", "店堂")],
    "hotel": [("smoke", "走廊")],
    "internet_cafe": [("smoke", "机房")],
    "entertainment": [("smoke", "包间走廊")],
    "beauty": [("smoke", "前厅")],
    "workshop": [("smoke", "车间"), ("electrical", "配电箱")],
    "ebike_charger": [("electrical", "充电桩配电柜"), ("smoke", "充电区")],
    "bike_shed": [("smoke", "车棚顶"), ("electrical", "充电插座回路")],
}
INSTALLERS = ["平安消防科技", "城安物联", "北辰智慧消防"]
FALSE_REASONS = ["后厨炒菜油烟", "装修粉尘", "维保测试", "蒸汽误触发"]
ALARM_TYPE = {"smoke": "smoke", "heat": "heat", "gas": "gas", "electrical": "electrical"}
MAX_DEVICES = 240
# What the grid worker writes on the work order of an alarm the device cleared itself, once they have checked.
SITE_NOTES = {
    "smoke": "到场查看，烟雾已散，现场无明火，设备已自行复位，已提醒商户注意排烟。",
    "heat": "到场查看，灶台温度已回落，无起火迹象，设备已自行复位，已提醒后厨勿空烧。",
    "gas": "到场查看，燃气阀门已关闭并开窗通风，浓度回落后设备自行复位，已通知燃气公司上门检修。",
    "electrical": "到场查看，过载线路已断电，设备已自行复位，已要求场所负责人更换老化插座。",
}
# The device's clear leaves the work order with its handler: the last alarms it cleared still have theirs at work
# (past their deadline by now, marked late at it by the appeals' deadline jobs: linli.demo.appeals_deadlines).
STILL_OPEN = 2


# The clock moved to a moment of the sensors' month stays at least a minute before now.
MARGIN = dt.timedelta(minutes=1)


def _install(rng: random.Random, today: dt.date) -> list[Device]:
    devices: list[Device] = []
    venues = Venue.objects.filter(category__in=list(FITTING)).select_related("grid__org_node").order_by("id")
    workers = {}
    for venue in venues:
        community = venue.grid.org_node.chain()
        node = next((n for n in community if n.kind == "community"), None)
        if node is None:
            continue
        if node.pk not in workers:
            workers[node.pk] = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=node).first()
        worker = workers[node.pk]
        if worker is None:
            continue
        for kind, where in FITTING[venue.category]:
            if len(devices) >= MAX_DEVICES:
                return devices
            devices.append(
                services.device_register(
                    actor=worker,
                    code=f"{kind[:2].upper()}-{venue.grid.code}-{len(devices) + 1:04d}",
                    kind=kind,
                    venue=venue,
                    location=where,
                    installer=rng.choice(INSTALLERS),
                    installed_on=today - dt.timedelta(days=rng.randint(60, 400)),
                )
            )
    return devices


def _sent(delivered: dt.datetime, n: int) -> float:
    """When a device sent the message the platform receives at `delivered` (epoch seconds): a second or a few
    before, its way over the mobile network and the broker (its own random, so the rest of the demo stays as it
    was). Sent and received in the same instant, every alarm's work order read as opened in 0.0 seconds."""
    return (delivered - dt.timedelta(seconds=random.Random(n).uniform(0.8, 4.5))).timestamp()


def _history(devices: list[Device], rng: random.Random, now: dt.datetime) -> int:
    """About one alarm every other day for a month: each repeated by its device, acknowledged by the grid's
    worker within minutes, then cleared or marked false. An alarm the device cleared itself leaves its work order
    with its handler (linli.sensors.appeal_link): the worker who went finishes it minutes later, as done on site,
    all but the last STILL_OPEN, whose orders are still at work."""
    n = 0
    cleared: list[tuple[Alarm, User, dt.datetime]] = []  # by the device: with the worker who went, and when
    for days_ago in range(30, 0, -2):
        device = rng.choice(devices)
        worker = device.grid.workers.first()
        moment = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        alarm_type = ALARM_TYPE[device.kind]
        message: dict[str, Any] = {
            "device": device.code,
            "type": "alarm",
            "alarm": alarm_type,
            "severity": "critical",
        }
        with travel(moment, MARGIN):
            message["ts"] = _sent(timezone.now(), days_ago)
            services.readings_ingest([message, dict(message)])
        alarm = device.alarms.filter(state="active").first()
        if alarm is None:
            continue
        n += 1
        if worker is not None:
            with travel(moment + dt.timedelta(minutes=rng.randint(1, 6), seconds=rng.randint(0, 59)), MARGIN):
                services.alarm_acknowledge(actor=worker, alarm=alarm, note=_("On my way."))
        ended = moment + dt.timedelta(minutes=rng.randint(15, 40))
        with travel(ended, MARGIN):
            if rng.random() < 0.4 and worker is not None:
                services.alarm_mark_false(actor=worker, alarm=alarm, reason=rng.choice(FALSE_REASONS))
            else:
                services.readings_ingest([{"device": device.code, "type": "clear", "alarm": alarm_type}])
                if worker is not None:
                    cleared.append((alarm, worker, ended))
    for alarm, worker, ended in cleared[: max(len(cleared) - STILL_OPEN, 0)]:
        _order_finish(alarm, worker, ended)
    return n


def _order_finish(alarm: Alarm, worker: User, cleared: dt.datetime) -> None:
    """The worker on site resolves the alarm's work order (fixed, with what they found) a few minutes after the
    device cleared the alarm, through appeals' own service (its own random, so the rest of the demo stays as it
    was)."""
    with travel(cleared + dt.timedelta(minutes=random.Random(alarm.pk).randint(3, 12)), MARGIN):
        appeal = Appeal.objects.get(tracking_number=alarm.appeal_number)
        appeal_resolve(actor=worker, appeal=appeal, note=SITE_NOTES[alarm.type], outcome=Outcome.FIXED)


def part(run: DemoRun) -> None:
    if run.district is None:
        return
    rng = random.Random(run.seed + 18)
    now = timezone.now()
    devices = _install(rng, timezone.localdate())
    if not devices:
        return
    # The demo's bookkeeping, as its other parts mark their rows: these, and only these, get the demo's
    # heartbeats while it is served (linli.demo.heartbeats).
    Device.objects.filter(pk__in=[d.pk for d in devices]).update(is_demo=True)
    alarms = _history(devices, rng, now)
    # Everyone's heartbeat ten minutes ago, but a few silent since the day before yesterday and a few low batteries.
    silent = set(rng.sample(range(len(devices)), k=min(3, len(devices))))
    beats = []
    for i, device in enumerate(devices):
        if i in silent:
            continue
        battery = rng.randint(8, 18) if rng.random() < 0.03 else rng.randint(35, 100)
        beats.append({"device": device.code, "type": "heartbeat", "battery": battery})
    with travel(now - dt.timedelta(days=2), MARGIN):
        services.readings_ingest(
            [{"device": devices[i].code, "type": "heartbeat", "battery": 70} for i in silent]
        )
    with travel(now - dt.timedelta(minutes=10), MARGIN):
        services.readings_ingest(beats)
    offline = services.devices_mark_offline()
    # One alarm sounding now, not acknowledged yet: the live list and the escalation have something to show.
    sounding = next((d for d in devices if d.kind == "smoke" and devices.index(d) not in silent), devices[0])
    with travel(now - dt.timedelta(minutes=4), MARGIN):
        sent = _sent(timezone.now(), 0)
        services.readings_ingest(
            [{"device": sounding.code, "type": "alarm", "alarm": "smoke", "severity": "critical", "ts": sent}]
        )
    run.say(
        _("Sensors: %(d)s devices, %(a)s alarms in the last month, %(o)s offline.")
        % {"d": len(devices), "a": alarms + 1, "o": offline}
    )
