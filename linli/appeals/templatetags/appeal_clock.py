"""The working time left before a deadline, or gone past it, as a handler reads it beside the date: counted on the
working-day calendar the deadline was set on (core.workdays), so a weekend or a holiday before it is not counted.

`{% load appeal_clock %}{{ appeal.resolve_due_at|time_left }}`: empty for no deadline; a summoned unit's part,
`{{ part|part_left:"report" }}` or `{{ part|part_left:"finish" }}`, and an appeal's own, `{{ appeal|resolve_left }}`
(in the unit its rule counts: calendar hours for an emergency) and `{{ appeal|total_left }}`: empty while that clock
does not run (as the API's `null`)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from linli.appeals import parts, sla
from linli.appeals.models import Appeal, AppealPart
from linli.appeals.parts import part_time_left

register = template.Library()


@register.filter
def time_left(due: dt.datetime | None) -> str:
    """The working time left before `due` (or past it) from now: `sla.time_left`'s label, as the API gives it."""
    left = sla.time_left(due, timezone.now())
    return left.label if left else ""


@register.filter
def part_left(part: AppealPart, clock: str) -> str:
    """The working time left on a part's report-in ("report") or completion ("finish") clock, as the API gives it
    (`parts.part_time_left`: nothing once the appeal is closed or waits on the resident, the part done or
    withdrawn)."""
    report, finish = part_time_left(part, timezone.now())
    left = report if clock == "report" else finish
    return left.label if left else ""


@register.filter
def resolve_left(appeal: Appeal) -> str:
    """This tier's resolution clock, as the API's `resolve_time_left` (`sla.resolve_left`)."""
    left = sla.resolve_left(appeal, timezone.now())
    return left.label if left else ""


@register.filter
def total_left(appeal: Appeal) -> str:
    """The resident's total clock, as the API's `total_time_left` (`sla.total_left`)."""
    left = sla.total_left(appeal, timezone.now())
    return left.label if left else ""


@register.filter
def met_late(appeal: Appeal, clock: str) -> str:
    """ "逾期 2 个工作日办结" beside a deadline the appeal met late ("ack", "contact", "resolve", "total"), in the
    clock's unit (`sla.met_late`); empty when met in time or not yet."""
    return sla.met_late(appeal, clock)


@register.filter
def part_met_late(part: AppealPart, clock: str) -> str:
    """The same for a summoned part's report-in ("report") and completion ("finish") (`parts.part_met_late`)."""
    return parts.part_met_late(part, clock)
