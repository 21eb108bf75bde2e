"""Periods of the overview: the last 30 days, a year, month, week, day or custom range read from request
parameters, and how a range splits into whole years, whole months and the days at its edges (which rollup grain
serves each part).

The overview opens on the last 30 days up to today (DEFAULT_KIND): a calendar month is nearly empty in its first
days, and a rolling window always holds a full month of appeals, so the figures of one morning compare with the
next. The assessed figures are monthly: choosing "month" shows the calendar month, and the monthly report is
always of a whole calendar month."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from linli.appeals.figures import local_tz
from linli.core.errors import ValidationFailed


@dataclass(frozen=True)
class Period:
    kind: str  # 30d | year | month | week | day | custom
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        if self.kind == LAST_DAYS_KIND:
            return _("Last %(n)s days (%(start)s — %(end)s)") % {
                "n": LAST_DAYS,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} — {self.end.isoformat()}"


MAX_DAYS = 366 * 5 + 1
# The rolling window the overview opens on: the last 30 days, today included.
LAST_DAYS = 30
LAST_DAYS_KIND = "30d"
DEFAULT_KIND = LAST_DAYS_KIND
KINDS = (LAST_DAYS_KIND, "year", "month", "week", "day")


def today() -> dt.date:
    return dt.datetime.now(tz=local_tz()).date()


def period_for(kind: str = DEFAULT_KIND, anchor: str = "", start: str = "", end: str = "") -> Period:
    """A period from request parameters; bad input raises ValidationFailed with a message for the user. The
    anchor date is a day inside the period; for the last 30 days, its last day."""

    def parse(value: str, what: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed(_("%(what)s is not a valid date (YYYY-MM-DD).") % {"what": what}) from None

    kind = kind or DEFAULT_KIND
    if kind == "custom" or (start and end and kind not in KINDS):
        lo, hi = parse(start, _("The start date")), parse(end, _("The end date"))
        if hi < lo:
            raise ValidationFailed(_("The end date is before the start date."))
        if (hi - lo).days + 1 > MAX_DAYS:
            raise ValidationFailed(_("Choose a period of at most five years."))
        return Period("custom", lo, hi)
    day = parse(anchor, _("The date")) if anchor else today()
    if kind == LAST_DAYS_KIND:
        return Period(LAST_DAYS_KIND, day - dt.timedelta(days=LAST_DAYS - 1), day)
    if kind == "year":
        return Period("year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    if kind == "week":
        lo = day - dt.timedelta(days=day.weekday())
        return Period("week", lo, lo + dt.timedelta(days=6))
    if kind == "day":
        return Period("day", day, day)
    if kind != "month":
        raise ValidationFailed(_("Unknown period."))
    last = calendar.monthrange(day.year, day.month)[1]
    return Period("month", day.replace(day=1), day.replace(day=last))


def split_months(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """Whole months inside [start, end] and the day ranges left at the edges."""
    months: list[dt.date] = []
    edges: list[tuple[dt.date, dt.date]] = []
    cursor = start
    while cursor <= end:
        last = cursor.replace(day=calendar.monthrange(cursor.year, cursor.month)[1])
        if cursor.day == 1 and last <= end:
            months.append(cursor)
        else:
            hi = min(last, end)
            if edges and edges[-1][1] + dt.timedelta(days=1) == cursor:
                edges[-1] = (edges[-1][0], hi)
            else:
                edges.append((cursor, hi))
        cursor = last + dt.timedelta(days=1)
    return months, edges


def whole_years(months: list[dt.date]) -> tuple[list[dt.date], list[dt.date]]:
    """The calendar years all of whose months are in `months`, and the months left over."""
    per_year: dict[int, int] = defaultdict(int)
    for m in months:
        per_year[m.year] += 1
    years = [dt.date(y, 1, 1) for y, n in sorted(per_year.items()) if n == 12]
    return years, [m for m in months if per_year[m.year] != 12]
