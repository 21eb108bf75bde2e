"""The demo's clock: a moment on a day of its history, the clock moved there (never past now), working days
counted by the holiday calendar. The parts live their history through the real services at these moments."""

from __future__ import annotations

import datetime as dt
import random

import time_machine
from django.utils import timezone

from linli.core.workdays import is_workday


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`hour`:`minute` on `day`, in the deployment's time zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def travel(moment: dt.datetime, margin: dt.timedelta = dt.timedelta(minutes=5)) -> time_machine.travel:
    """The clock stopped at `moment`, never later than `margin` before now: the history does not reach into the
    future (a moment later today than now is taken a little before now)."""
    return time_machine.travel(min(moment, timezone.now() - margin), tick=False)


def working_days_ago(today: dt.date, n: int) -> dt.date:
    """The working day `n` working days before `today` (`today` itself, when n is 0)."""
    day, counted = today, 0
    while counted < n:
        day -= dt.timedelta(days=1)
        counted += is_workday(day)
    return day


def working_days_after(day: dt.date, n: int) -> dt.date:
    """The working day `n` working days after `day` (the working day on or before `day`, when n is 0)."""
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    for _i in range(n):
        day += dt.timedelta(days=1)
        while not is_workday(day):
            day += dt.timedelta(days=1)
    return day


# The chance a visit's follow-up is done by now: most of a week ago or older, fewer of the last days.
FOLLOWED_UP = ((dt.timedelta(days=7), 0.97), (dt.timedelta(days=1), 0.4))


def follow_up_done_at(rng: random.Random, visited: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """When the visitor did what a visit asked (one to four days later, by now), or None while it waits: few wait
    a week, none is done within the day of the visit."""
    chance = next((p for age, p in FOLLOWED_UP if now - visited >= age), 0.0)
    if rng.random() >= chance:
        return None
    done = visited + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 3))
    return min(done, now - dt.timedelta(minutes=5))
