"""The working time left before a deadline, or gone past it, as a handler reads it beside the date: counted on the
working-day calendar the deadline was set on (core.workdays), so a weekend or a holiday before it is not counted.

`{% load appeal_clock %}{{ appeal.resolve_due_at|time_left }}`: empty for no deadline."""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.workdays import SECONDS_PER_DAY, working_seconds_between

register = template.Library()


def _days(seconds: int) -> str:
    """Whole and half working days, rounded down: 4.5, 6."""
    return f"{math.floor(seconds * 2 / SECONDS_PER_DAY) / 2:g}"


def time_left_text(due: dt.datetime | None, now: dt.datetime) -> str:
    if due is None:
        return ""
    late = due < now
    seconds = working_seconds_between(due, now) if late else working_seconds_between(now, due)
    if seconds >= SECONDS_PER_DAY:
        text = _("%(days)s working days overdue") if late else _("%(days)s working days left")
        return text % {"days": _days(seconds)}
    if seconds >= 3600:
        text = _("%(hours)s working hours overdue") if late else _("%(hours)s working hours left")
        return text % {"hours": seconds // 3600}
    return _("under one working hour overdue") if late else _("under one working hour left")


@register.filter
def time_left(due: dt.datetime | None) -> str:
    """The working time left before `due` (or past it) from now."""
    return time_left_text(due, timezone.now())
