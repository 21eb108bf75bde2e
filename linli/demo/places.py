"""Demo service places: in every community its party and community service centre and service station, and,
spread unevenly (as real districts are), canteens, childcare, elderly care, a health station and an outdoor
workers' station, each at one of the community's buildings, with opening hours and services. Their walking
circles are computed on the demo street's roads by the real service, so the coverage page has gaps to show."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.places import services
from linli.territory.models import Building

if TYPE_CHECKING:
    from .parts import DemoRun

WEEKDAYS_9_TO_5 = {str(d): [["08:30", "12:00"], ["13:30", "17:30"]] for d in range(5)} | {
    "5": [["09:00", "12:00"]]
}
EVERY_DAY = {str(d): [["00:00", "24:00"]] for d in range(7)}
MEALS = {str(d): [["10:30", "13:00"], ["16:30", "18:30"]] for d in range(7)}
DAYTIME = {str(d): [["07:30", "18:00"]] for d in range(6)}
CLINIC = {str(d): [["08:00", "12:00"], ["14:00", "17:00"]] for d in range(7)}
# kind → (name pattern, hours, services, which communities have one: every n-th, starting at 0)
KINDS: list[tuple[str, str, dict[str, list[list[str]]], list[str], int]] = [
    ("party_centre", "{c}党群服务中心", WEEKDAYS_9_TO_5, ["党员活动", "政务代办", "法律咨询", "议事协商"], 1),
    ("station", "{c}便民服务站", WEEKDAYS_9_TO_5, ["社保医保代办", "居住证受理", "老年卡办理"], 1),
    ("canteen", "{c}老年餐桌", MEALS, ["老年助餐", "送餐上门", "低价午餐"], 2),
    ("elderly", "{c}养老驿站", DAYTIME, ["日间照料", "助浴助洁", "康复理疗"], 2),
    ("childcare", "{c}普惠托育点", DAYTIME, ["全日托", "半日托", "育儿指导"], 3),
    ("clinic", "{c}卫生服务站", CLINIC, ["慢病随访", "家庭医生签约", "疫苗接种"], 3),
    ("outdoor_station", "{c}暖心驿站", EVERY_DAY, ["饮水热饭", "手机充电", "休息如厕"], 4),
]


ACTIVITIES = [
    ("书法兴趣课", "多功能厅", 9, 2),
    ("老年人智能手机课堂", "活动室", 14, 2),
    ("社区合唱排练", "多功能厅", 15, 2),
    ("健康义诊", "会议室", 9, 3),
    ("亲子绘本阅读", "阅览室", 10, 1),
    ("议事协商会", "会议室", 19, 2),
]


def _calendar(run: DemoRun, rng: random.Random, place: object, worker: User) -> int:
    """Two to four activities in the next two weeks, booked through the service (a clash is skipped)."""
    from linli.core.errors import ValidationFailed

    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    made = 0
    for title, room, hour, hours in rng.sample(ACTIVITIES, rng.randint(2, 4)):
        start = (today + dt.timedelta(days=rng.randint(1, 13))).replace(hour=hour)
        try:
            services.activity_create(
                actor=worker,
                place=place,  # type: ignore[arg-type]
                title=title,
                room=room,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=hours),
            )
            made += 1
        except ValidationFailed:
            continue
    return made


def part(run: DemoRun) -> None:
    district = run.district
    if district is None:
        return
    rng = random.Random(run.seed + 17)
    made = 0
    for i, community in enumerate(district.communities):
        worker = User.objects.filter(username=f"community{i + 1}").first()
        buildings = list(
            Building.objects.filter(grid__org_node__path__startswith=community.path).order_by("code")
        )
        if worker is None or not buildings:
            continue
        short = community.name.removesuffix("社区")
        for kind, pattern, hours, offered, every in KINDS:
            if i % every:
                continue
            building = rng.choice(buildings)
            place = services.place_create(
                actor=worker,
                org_node_id=community.pk,
                kind=kind,
                name=pattern.format(c=short),
                address=building.address,
                lng=round(building.lng + rng.uniform(-0.0002, 0.0002), 6),
                lat=round(building.lat + rng.uniform(-0.0002, 0.0002), 6),
                phone=f"010-{rng.randint(6000, 8999)}{rng.randint(1000, 9999)}",
                contact_name=worker.display_name,
                services="\n".join(offered),
                opening_hours=hours,
            )
            made += 1
            if kind in ("party_centre", "station", "elderly"):
                _calendar(run, rng, place, worker)
    run.say(_("Service places: %(n)s, with their walking circles.") % {"n": made})
