"""The working-day calendar used for deadlines.

Choices (documented here because every deadline in Linli depends on them):

- Working days follow the official State Council calendar through the `chinese_calendar` package: statutory
  holidays are off even on weekdays, and make-up working days (调休上班) are on even on a Saturday or Sunday.
  Days the administrator enters in the admin (工作日历, `CalendarOverride`) come first: that is how a year the
  package does not know yet gets its holidays as soon as they are announced. For such a year without entries,
  Monday to Friday are working days. Each process keeps the entries as a snapshot (linli.core.snapshots,
  name "calendar"): a change is seen at once by the process that made it and within seconds by every other.
- Working hours are 09:00–18:00 Asia/Shanghai (settings TIME_ZONE), nine hours a day, with no lunch break
  subtracted: the hotline and the community offices answer through the day.
- "N working days" means N × 9 working hours, so a deadline set at 10:00 on a working day falls at 10:00 on the
  N-th following working day. Work started outside working hours starts at the next opening.
- A deadline that lands exactly on the end of a working day stays there (18:00), it does not roll to the next
  morning.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .audit import audit_record
from .errors import PermissionDenied, ValidationFailed
from .models import CalendarOverride
from .scoping import Actor, is_admin
from .snapshots import Snapshot, bump

DAY_START = dt.time(9, 0)
DAY_END = dt.time(18, 0)
HOURS_PER_DAY = 9
SECONDS_PER_DAY = HOURS_PER_DAY * 3600


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


CALENDAR = "calendar"


def _read_overrides() -> dict[dt.date, bool]:
    try:
        return dict(CalendarOverride.objects.values_list("day", "is_workday"))
    except DatabaseError:  # no table yet (before migrate): only the package's calendar
        return {}


_overrides = Snapshot(CALENDAR, _read_overrides)


@lru_cache(maxsize=4096)
def _is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    """True on an official working day, including make-up working days on weekends."""
    overridden = _overrides.get().get(day)
    return overridden if overridden is not None else _is_workday(day)


# The longest run of days entered at once: a holiday (春节, 国庆 are at most nine days), with room to spare.
LONGEST_RUN_DAYS = 31


def calendar_run_refusal(day: dt.date, last_day: dt.date) -> str | None:
    """Why the days from `day` to `last_day` cannot be entered at once, or None."""
    if 0 <= (last_day - day).days < LONGEST_RUN_DAYS:
        return None
    return _("The last day must be on or after the first day, and at most %(days)s days later.") % {
        "days": LONGEST_RUN_DAYS - 1
    }


def calendar_override_set(
    *, actor: Actor, day: dt.date, is_workday: bool, name: str, last_day: dt.date | None = None
) -> CalendarOverride:
    """Set one day's working status by hand (administrators), or every day from `day` to `last_day` (both
    included: a holiday of several days at once); deadlines computed afterwards follow it. Returns `day`'s entry."""
    if not is_admin(actor):
        raise PermissionDenied()
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationFailed(_("Name the day, e.g. 春节 (at most 60 characters)."), extra={"field": "name"})
    last_day = last_day or day
    if refusal := calendar_run_refusal(day, last_day):
        raise ValidationFailed(refusal, extra={"field": "last_day"})
    with transaction.atomic():
        entries = []
        for offset in range((last_day - day).days + 1):
            entry, _created = CalendarOverride.objects.update_or_create(
                day=day + dt.timedelta(days=offset), defaults={"is_workday": is_workday, "name": name}
            )
            audit_record(
                actor=actor, action="calendar_override_set", obj=entry, detail={"workday": is_workday}
            )
            entries.append(entry)
        bump(CALENDAR)
    return entries[0]


def calendar_override_delete(*, actor: Actor, entry: CalendarOverride) -> None:
    if not is_admin(actor):
        raise PermissionDenied()
    with transaction.atomic():
        audit_record(actor=actor, action="calendar_override_delete", obj=entry)
        entry.delete()
        bump(CALENDAR)


# From November on, next year's holidays must be known: from the package, or entered by the administrator.
HOLIDAYS_DUE_MONTH = 11


def holidays_missing_year(today: dt.date | None = None) -> int | None:
    """Next year, when it is November or later and next year's holidays are neither in the `chinese_calendar`
    package nor entered in the admin (at least one day off of that year); else None. Read from the table (one
    query, only from November on), so it is right in every process at once."""
    today = today or dt.datetime.now(tz=_tz()).date()
    if today.month < HOLIDAYS_DUE_MONTH:
        return None
    year = today.year + 1
    try:
        chinese_calendar.is_holiday(dt.date(year, 1, 1))
        return None
    except NotImplementedError:
        pass
    try:
        entered = CalendarOverride.objects.filter(day__year=year, is_workday=False).exists()
    except DatabaseError:  # no database yet (a fresh install before migrate): no calendar to warn about
        return None
    return None if entered else year


def holidays_missing_message(year: int) -> str:
    """The warning administrators see on their home page and in `linli check`."""
    return _(
        "The holidays of %(year)s are not entered yet: until they are, deadlines in %(year)s count every Monday "
        "to Friday as a working day. Enter the State Council's holiday arrangement for %(year)s in the admin at "
        "%(path)s (系统 → 工作日历 → 增加): each holiday once, from its first to its last day, with 工作日 not "
        "ticked (名称 e.g. 春节); then each make-up working day on its own, with 工作日 ticked (名称 e.g. "
        "春节调休上班)."
    ) % {"year": year, "path": reverse("admin:core_calendaroverride_add")}


def next_workday(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    day += dt.timedelta(days=1)
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not accepted; pass an aware datetime")
    return moment.astimezone(_tz())


def _open(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, DAY_START, tzinfo=_tz())


def _close(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, DAY_END, tzinfo=_tz())


def _clamp_forward(moment: dt.datetime) -> dt.datetime:
    """The first working instant at or after `moment` (an opening if it falls outside working hours)."""
    local = _local(moment)
    day = local.date()
    if is_workday(day):
        if local < _open(day):
            return _open(day)
        if local < _close(day):
            return local
    return _open(next_workday(day))


def add_working_time(
    start: dt.datetime, *, hours: float = 0, days: float = 0, seconds: float = 0
) -> dt.datetime:
    """`start` plus the given working time (days count as nine working hours each); returns an aware datetime."""
    remaining = dt.timedelta(seconds=seconds + hours * 3600 + days * SECONDS_PER_DAY)
    if remaining < dt.timedelta(0):
        raise ValueError("working time to add must not be negative")
    current = _clamp_forward(start)
    while True:
        left_today = _close(current.date()) - current
        if remaining <= left_today:
            return current + remaining
        remaining -= left_today
        current = _open(next_workday(current.date()))


def working_seconds_between(a: dt.datetime, b: dt.datetime) -> int:
    """Working seconds from `a` to `b` (0 if b is not after a)."""
    if b <= a:
        return 0
    start = _local(a)
    end = _local(b)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_workday(day):
            lo = max(start, _open(day))
            hi = min(end, _close(day))
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return int(total)
