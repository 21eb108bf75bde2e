"""The working time left before a deadline, or gone past it, as a handler reads it beside the date: counted on the
working-day calendar the deadline was set on (core.workdays), so a weekend or a holiday before it is not counted.

`{% load appeal_clock %}{{ appeal.resolve_due_at|time_left }}`: empty for no deadline."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from linli.appeals import sla

register = template.Library()


@register.filter
def time_left(due: dt.datetime | None) -> str:
    """The working time left before `due` (or past it) from now: `sla.time_left`'s label, as the API gives it."""
    left = sla.time_left(due, timezone.now())
    return left.label if left else ""
