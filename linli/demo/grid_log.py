"""The demo's things and events (物和情): in each grid a few small venues (九小场所) and public facilities with
their state, and a month of its grid worker's visit log, some visits still waiting for their follow-up. Built
with the territory's own services, as a grid worker would have logged them."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from linli.territory import services
from linli.territory.models import Grid, Household, Venue

from .clock import at, follow_up_done_at, travel

if TYPE_CHECKING:
    from .parts import DemoRun

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
# (category, name patterns, person in charge?) — {s} is a surname, {n} a number.
VENUES = [
    ("shop", ["{s}记便利店", "{s}家小卖部", "惠民超市{n}店", "{s}记烟酒店"], True),
    ("restaurant", ["{s}记面馆", "老{s}家常菜", "{s}家包子铺", "{s}记麻辣烫"], True),
    ("beauty", ["{s}氏理发店", "丽人美容{n}号店"], True),
    ("workshop", ["{s}师傅修车铺", "{s}记裁缝铺"], True),
    ("training", ["小星星托管班", "{s}老师书法班"], True),
    ("clinic", ["{s}氏社区诊所"], True),
    ("ebike_charger", ["{n}号楼电动自行车充电桩"], False),
    ("bike_shed", ["{n}号楼自行车棚"], False),
    ("fire_hydrant", ["{n}号消火栓"], False),
    ("street_lamp", ["{n}号路灯"], False),
    ("fitness", ["小广场健身器材"], False),
    ("manhole", ["{n}号雨水井盖"], False),
]
HOUSEHOLD_FINDINGS = [
    ("老人独居，身体尚可，已提醒注意防滑。", ""),
    ("家中老人血压偏高，子女不在身边。", "联系家庭医生上门随访"),
    ("楼道堆放纸箱杂物，存在消防隐患。", "督促清理楼道杂物"),
    ("反映楼上卫生间漏水到自家天花板。", "协调楼上住户和物业查看"),
    ("新搬来的租户，已登记租期和联系方式。", ""),
    ("家中有三岁以下儿童，已宣传疫苗接种时间。", ""),
    ("电动车在楼道内充电，已劝导。", "复查是否仍在楼道充电"),
    ("一切正常，住户对物业服务基本满意。", ""),
]
VENUE_FINDINGS = [
    ("灭火器在有效期内，疏散通道畅通。", ""),
    ("后厨液化气瓶未加装报警器。", "督促一周内安装燃气报警器"),
    ("店外占道经营，已劝导。", ""),
    ("充电桩一个插口损坏。", "报修充电桩"),
    ("设施完好，周边卫生良好。", ""),
]
STATES = ["ok", "ok", "ok", "unchecked", "hazard", "broken"]


def _point_in(grid: Grid, rng: random.Random) -> tuple[float, float]:
    poly = shape(grid.boundary)
    minx, miny, maxx, maxy = poly.bounds
    for _attempt in range(200):
        lng, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if poly.contains(Point(lng, lat)):
            return round(lng, 6), round(lat, 6)
    return grid.centroid_lng, grid.centroid_lat


def _venues(grid: Grid, rng: random.Random, today: dt.date) -> list[Venue]:
    made = []
    for category, names, has_owner in rng.sample(VENUES, k=rng.randint(4, 7)):
        lng, lat = _point_in(grid, rng)
        surname = rng.choice(SURNAMES)
        state = rng.choice(STATES)
        venue = services.venue_create(
            actor=None,
            grid=grid,
            category=category,
            name=rng.choice(names).format(s=surname, n=rng.randint(1, 12)),
            lng=lng,
            lat=lat,
            owner_name=f"{surname}{rng.choice('建国秀兰志强丽华')}" if has_owner else "",
            contact_phone=f"13{rng.randint(100000000, 999999999)}" if has_owner else "",
            floor_area=rng.choice([18, 25, 40, 60, 85]) if has_owner else None,
            state=state,
            inspected_on=None if state == "unchecked" else today - dt.timedelta(days=rng.randint(3, 120)),
        )
        made.append(venue)
    return made


def part(run: DemoRun) -> None:
    """Venues and a month of visits in every grid that has a grid worker."""
    if run.district is None:
        return
    started = time.perf_counter()
    rng = random.Random(run.seed + 10)
    today = timezone.localdate()
    now = timezone.now()
    venues = visits = 0
    for grid in run.district.grids:
        worker = grid.workers.first()
        made = _venues(grid, rng, today)
        venues += len(made)
        if worker is None:
            continue
        # The grid's households read once (in the order of their ids, from which each visit picks one).
        homes = list(Household.objects.filter(building__grid=grid).order_by("id"))
        for _i in range(rng.randint(4, 9)):
            # In working hours on one of the last 30 days (a day earlier where today's hour is still to come).
            when = at(today - dt.timedelta(days=rng.randint(0, 29)), rng.randint(9, 17), rng.randint(0, 59))
            if when > now - dt.timedelta(minutes=10):
                when -= dt.timedelta(days=1)
            household = venue = None
            if homes and rng.random() < 0.75:
                found, follow_up = rng.choice(HOUSEHOLD_FINDINGS)
                household = rng.choice(homes)
            else:
                found, follow_up = rng.choice(VENUE_FINDINGS)
                venue = rng.choice(made)
            visit = services.visit_log(
                actor=worker,
                household=household,
                venue=venue,
                found=found,
                follow_up=follow_up,
                visited_at=when,
            )
            done = follow_up_done_at(rng, when, now) if follow_up else None
            if done is not None:
                with travel(done):
                    services.visit_follow_up_done(actor=worker, visit=visit)
            visits += 1
    run.say(
        _("Things and events: %(venues)d venues and facilities, %(visits)d visits in %(seconds).1f s.")
        % {"venues": venues, "visits": visits, "seconds": time.perf_counter() - started}
    )
