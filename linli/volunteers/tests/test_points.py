"""Points rules: per hour, multipliers for night, a day off and bad weather, daily and monthly caps, bonuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from linli.core.errors import PermissionDenied
from linli.volunteers import services
from linli.volunteers.models import PointsEntry, PointsRules, ShiftRole, Signup
from linli.volunteers.services.points import night_hours

from .conftest import LAT, LNG, World

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
# 2026-03-10 is a Tuesday (a working day); 2026-03-14 a Saturday; 2026-10-01 National Day.
TUESDAY = dt.datetime(2026, 3, 10, 9, tzinfo=TZ)
SATURDAY = dt.datetime(2026, 3, 14, 9, tzinfo=TZ)
NATIONAL_DAY = dt.datetime(2026, 10, 1, 9, tzinfo=TZ)
RULES = PointsRules(
    per_hour=10,
    night_multiplier=Decimal("1.5"),
    holiday_multiplier=Decimal(2),
    weather_multiplier=Decimal("1.5"),
)


def points(starts: dt.datetime, hours: str, bad_weather: bool = False) -> int:
    return services.points_for_hours(RULES, starts_at=starts, hours=Decimal(hours), bad_weather=bad_weather)[
        0
    ]


def test_points_per_hour_on_a_working_day() -> None:
    assert points(TUESDAY, "2") == 20
    assert points(TUESDAY, "1.25") == 13  # 12.5 rounds half up


def test_day_off_and_holiday_double() -> None:
    assert points(SATURDAY, "2") == 40
    assert points(NATIONAL_DAY, "2") == 40


def test_bad_weather_multiplies_on_top() -> None:
    assert points(TUESDAY, "2", bad_weather=True) == 30
    assert points(SATURDAY, "2", bad_weather=True) == 60


def test_only_the_night_hours_are_multiplied() -> None:
    evening = TUESDAY.replace(hour=20)  # 20:00–24:00: two of the four hours are night
    assert night_hours(evening, evening + dt.timedelta(hours=4)) == 2
    assert points(evening, "4") == 10 * 2 + 15 * 2
    small_hours = TUESDAY.replace(hour=4)  # 04:00–08:00: two night hours
    assert night_hours(small_hours, small_hours + dt.timedelta(hours=4)) == 2


def _served(world: World, starts: dt.datetime, hours: int) -> Signup:
    """A signup checked in (as if at the place) for a shift of `hours` starting at `starts`."""
    activity = services.activity_create(
        actor=world.cast.community_worker,
        community=world.cast.community,
        title=f"巡逻{starts:%d%H}",
        place="小区北门",
        lng=LNG,
        lat=LAT,
        signup_opens_at=starts - dt.timedelta(days=1),
        shifts=[services.ShiftIn(starts, starts + dt.timedelta(hours=hours), [("巡逻员", 5, "")])],
    )
    services.activity_open(actor=world.cast.community_worker, activity=activity)
    role = ShiftRole.objects.get(shift__activity=activity)
    signup = Signup.objects.create(role=role, volunteer=world.me, state="checked_in", checked_in_at=starts)
    return signup


def test_daily_and_monthly_caps(world: World) -> None:
    PointsRules.objects.create(community=world.cast.community, per_hour=10, daily_cap=50, monthly_cap=120)
    morning = _served(world, TUESDAY.replace(hour=8), 4)
    afternoon = _served(world, TUESDAY.replace(hour=13), 4)
    for s in (morning, afternoon):
        services.signup_confirm_hours(actor=world.cast.community_worker, signup=s, amount="4")
    day = list(PointsEntry.objects.filter(volunteer=world.me).order_by("id").values_list("points", flat=True))
    assert day == [40, 10]  # the second shift earns only what the daily cap leaves
    assert PointsEntry.objects.filter(volunteer=world.me).order_by("id").first().note.endswith(" · 4 小时")
    for offset in (1, 2, 3):  # three more working days of 4 hours each
        s = _served(world, TUESDAY.replace(hour=8) + dt.timedelta(days=offset), 4)
        services.signup_confirm_hours(actor=world.cast.community_worker, signup=s, amount="4")
    total = sum(PointsEntry.objects.filter(volunteer=world.me).values_list("points", flat=True))
    assert total == 120  # 40 + 10 + 40 + 30, then the monthly cap leaves nothing
    assert "封顶" in PointsEntry.objects.filter(volunteer=world.me).order_by("-id").first().note


def test_bonuses_follow_the_rules_and_need_a_worker(world: World) -> None:
    entry = services.points_award_bonus(
        actor=world.cast.community_worker, volunteer=world.other, kind="hazard", note="报告井盖缺失，已转诉求"
    )
    assert entry.points == 10
    with pytest.raises(PermissionDenied):
        services.points_award_bonus(
            actor=world.cast.outsider, volunteer=world.other, kind="wish", note="认领微心愿"
        )


def test_a_worker_sets_the_communitys_points_rules_on_the_page(world: World) -> None:
    from django.test import Client

    cast = world.cast
    client = Client()
    client.force_login(cast.community_worker)
    page = client.get("/volunteers/staff/rules/")
    assert page.status_code == 200 and "10" in page.content.decode()  # the defaults shown
    values = {
        "community": cast.community.pk,
        "per_hour": 12,
        "night_multiplier": "2",
        "holiday_multiplier": "1.5",
        "weather_multiplier": "1.25",
        "daily_cap": 60,
        "monthly_cap": 50,  # below the daily cap: refused, nothing saved, what was typed kept
        "wish_bonus": 30,
        "report_bonus": 5,
        "hazard_bonus": 15,
    }
    refused = client.post("/volunteers/staff/rules/", values)
    assert refused.status_code == 422 and "不能低于每日上限" in refused.content.decode()
    assert 'value="1.25"' in refused.content.decode()
    assert not PointsRules.objects.exists()
    values["monthly_cap"] = 600
    assert client.post("/volunteers/staff/rules/", values).status_code == 302
    rules = services.rules_for(cast.community.pk)
    assert (rules.per_hour, rules.night_multiplier, rules.daily_cap, rules.hazard_bonus) == (12, 2, 60, 15)
    # 3 hours on a working-day night (21:00–24:00): 1 hour ×1 and 2 at night ×2 = 5 hours' worth = 60 points.
    points, _applied = services.points_for_hours(
        rules, starts_at=TUESDAY.replace(hour=21), hours=Decimal(3), bad_weather=False
    )
    assert points == 60
    # Another community's worker may not.
    with pytest.raises(PermissionDenied):
        services.points_rules_set(actor=cast.outsider, community=cast.community, values={"per_hour": 1})
