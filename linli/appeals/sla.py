"""Deadlines (SLA): which rule applies, when each clock falls due, and how a pause moves them.

Three clocks per appeal — acknowledgement, first contact with the resident, resolution — each measured in
calendar hours (emergencies do not wait for Monday), working hours or working days (linli.core.workdays).
While the appeal waits on the resident the clocks stop: on resume every deadline moves on by the time spent
waiting, counted in the clock's own unit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import workdays
from linli.core.snapshots import Snapshot

from .choices import ClockUnit, Priority, Tier
from .models import Appeal, Category, SlaRule

# The shipped defaults (issue 3): emergency 2 hours, utilities 24 hours, ordinary 7 working days, complex work
# (handled by the district or a department) 15 working days.
COMPLEX_CLOCKS: dict[str, Any] = {
    "ack": (2, ClockUnit.WORKING_HOURS),
    "contact": (1, ClockUnit.WORKING_DAYS),
    "resolve": (15, ClockUnit.WORKING_DAYS),
    "rank": 10,
}
DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "name": "紧急诉求 2小时",
        "priority": Priority.EMERGENCY,
        "ack": (15 / 60, ClockUnit.HOURS),
        "contact": (0.5, ClockUnit.HOURS),
        "resolve": (2, ClockUnit.HOURS),
        "rank": 30,
    },
    {
        "name": "水电气热 24小时",
        "category": "utilities",
        "ack": (1, ClockUnit.HOURS),
        "contact": (2, ClockUnit.HOURS),
        "resolve": (24, ClockUnit.HOURS),
        "rank": 20,
    },
    {"name": "复杂诉求（区级/部门）15个工作日", "tier": Tier.DEPARTMENT, **COMPLEX_CLOCKS},
    {"name": "复杂诉求（区级）15个工作日", "tier": Tier.DISTRICT, **COMPLEX_CLOCKS},
    {
        "name": "一般诉求 7个工作日",
        "ack": (2, ClockUnit.WORKING_HOURS),
        "contact": (1, ClockUnit.WORKING_DAYS),
        "resolve": (7, ClockUnit.WORKING_DAYS),
        "rank": 0,
    },
]


def total_due(received: dt.datetime) -> dt.datetime:
    """The total deadline of an appeal received at `received`: every appeal is resolved within
    LINLI_APPEAL_TOTAL_WORKING_DAYS working days of receipt, however often it is escalated or re-dispatched."""
    return workdays.add_working_time(received, days=float(settings.LINLI_APPEAL_TOTAL_WORKING_DAYS))


@dataclass(frozen=True)
class TimeLeft:
    """The time left before a deadline (negative: gone past it), and how a handler reads it beside the date
    ("还剩 4.5 个工作日", "已超期 1 个工作日"): the pages' filters and the API give this one. A clock that runs in
    calendar hours (an emergency's, the utilities') is said in calendar time ("还剩 40 分钟", "已超期 1.5 天"): counted
    in working time, a Friday-evening emergency far past its two hours read "under one working hour" all weekend.
    The working_* figures count working time either way."""

    due_at: dt.datetime
    working_seconds: int  # negative when past
    label: str
    seconds: int = 0  # calendar seconds, negative when past
    calendar: bool = False  # the clock runs in calendar hours, and the label counts them

    @property
    def overdue(self) -> bool:
        return self.seconds < 0 if self.calendar else self.working_seconds < 0

    @property
    def working_hours(self) -> float:
        return round(self.working_seconds / 3600, 2)

    @property
    def working_days(self) -> float:
        """Whole and half working days, rounded towards zero as the label says them: 4.5, -1."""
        days = math.floor(abs(self.working_seconds) * 2 / workdays.SECONDS_PER_DAY) / 2
        return -days if self.working_seconds < 0 else days


def time_left(due_at: dt.datetime | None, now: dt.datetime, *, calendar: bool = False) -> TimeLeft | None:
    """The working time from `now` to `due_at` (or past it) on the working-day calendar, or with `calendar` (a
    clock in calendar hours) the time as the clock counts it; None for no deadline."""
    if due_at is None:
        return None
    late = due_at < now
    seconds = (
        workdays.working_seconds_between(due_at, now)
        if late
        else workdays.working_seconds_between(now, due_at)
    )
    elapsed = int(abs((due_at - now).total_seconds()))
    label = _calendar_label(elapsed, late) if calendar else _working_label(seconds, late)
    # Past by less than a working second (a deadline on a weekend, read on that weekend) is still past.
    return TimeLeft(
        due_at=due_at,
        working_seconds=-max(seconds, 1) if late else seconds,
        label=label,
        seconds=-max(elapsed, 1) if late else elapsed,
        calendar=calendar,
    )


def _working_label(seconds: int, late: bool) -> str:
    if seconds >= workdays.SECONDS_PER_DAY:
        text = _("%(days)s working days overdue") if late else _("%(days)s working days left")
        return text % {"days": f"{math.floor(seconds * 2 / workdays.SECONDS_PER_DAY) / 2:g}"}
    if seconds >= 3600:
        text = _("%(hours)s working hours overdue") if late else _("%(hours)s working hours left")
        return text % {"hours": seconds // 3600}
    return _("under one working hour overdue") if late else _("under one working hour left")


def _calendar_label(seconds: int, late: bool) -> str:
    day = 24 * 3600
    if seconds >= day:
        text = _("%(days)s days overdue") if late else _("%(days)s days left")
        return text % {"days": f"{math.floor(seconds * 2 / day) / 2:g}"}
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if hours and minutes:
        text = _("%(hours)s h %(minutes)s min overdue") if late else _("%(hours)s h %(minutes)s min left")
        return text % {"hours": hours, "minutes": minutes}
    if hours:
        text = _("%(hours)s hours overdue") if late else _("%(hours)s hours left")
        return text % {"hours": hours}
    text = _("%(minutes)s minutes overdue") if late else _("%(minutes)s minutes left")
    return text % {"minutes": max(minutes, 1)}


def stopped_at(appeal: Appeal) -> dt.datetime | None:
    """When the appeal's clocks stopped, or None while they run: its pause while it waits on the resident, or its
    resolution or closing. No deadline of it (nor of a summoned unit's part) is said to have time left or to be
    overdue past that moment, on the pages or in the API."""
    if appeal.paused_at is not None:
        return appeal.paused_at
    if appeal.is_open:
        return None
    return appeal.closed_at or appeal.resolved_at or appeal.updated_at


def resolve_left(appeal: Appeal, now: dt.datetime) -> TimeLeft | None:
    """The time left on this tier's resolution clock, in the unit its rule counts it (calendar hours for an
    emergency), or None while the appeal's clocks stand (`stopped_at`)."""
    if stopped_at(appeal) is not None:
        return None
    rule = next((r for r in active_rules() if r.pk == appeal.sla_rule_id), None)
    return time_left(
        appeal.resolve_due_at, now, calendar=rule is not None and rule.resolve_unit == ClockUnit.HOURS
    )


def total_left(appeal: Appeal, now: dt.datetime) -> TimeLeft | None:
    """The working time left on the resident's total clock (working days), or None while the clocks stand."""
    return None if stopped_at(appeal) is not None else time_left(appeal.total_due_at, now)


def lateness(due_at: dt.datetime | None, met_at: dt.datetime | None, unit: str) -> str:
    """How long after `due_at` a deadline was met (`met_at`), said in its clock's own unit ("2 个工作日",
    "5 个工作小时", "3 小时 10 分钟" for a clock in calendar hours), or "" when it was met in time or not yet. A
    working-day clock under a working day late says working hours; met out of hours after a deadline that fell
    out of hours is "不到 1 个工作小时" late, as `time_left` says such a deadline is past."""
    if due_at is None or met_at is None or met_at <= due_at:
        return ""
    if unit == ClockUnit.HOURS:
        hours, minutes = divmod(max(int((met_at - due_at).total_seconds()) // 60, 1), 60)
        if hours and minutes:
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        if hours:
            return _("%(hours)s hours") % {"hours": hours}
        return _("%(minutes)s minutes") % {"minutes": minutes}
    seconds = workdays.working_seconds_between(due_at, met_at)
    if unit == ClockUnit.WORKING_DAYS and seconds >= workdays.SECONDS_PER_DAY:
        return _("%(days)s working days") % {
            "days": f"{math.floor(seconds * 2 / workdays.SECONDS_PER_DAY) / 2:g}"
        }
    if seconds >= 3600:
        return _("%(hours)s working hours") % {"hours": seconds // 3600}
    return _("under one working hour")


# What a deadline met late says on the appeal's page, per clock: the step that met it, and how late (`lateness`).
MET_LATE = {
    "ack": gettext_lazy("Acknowledged %(late)s late"),
    "contact": gettext_lazy("First contact %(late)s late"),
    "resolve": gettext_lazy("Resolved %(late)s late"),
    "report": gettext_lazy("Reported in %(late)s late"),
    "finish": gettext_lazy("Part completed %(late)s late"),
}


def met_late(appeal: Appeal, clock: str) -> str:
    """ "逾期 2 个工作日办结": how late the appeal met its acknowledgement ("ack"), first-contact ("contact"),
    resolution ("resolve", this tier's) or total ("total", the resident's, in working days) deadline, in that
    clock's unit as its rule counts it; "" when met in time, not met yet, or (resolution) while it is open again."""
    # Nobody to contact: no clock (one an earlier version started is not said to be missed either).
    if clock == "contact" and not appeal.has_contact:
        return ""
    rule = next((r for r in active_rules() if r.pk == appeal.sla_rule_id), None)
    if clock == "ack":
        due, met, unit = appeal.ack_due_at, appeal.acknowledged_at, rule.ack_unit if rule else ""
    elif clock == "contact":
        due, met, unit = appeal.contact_due_at, appeal.first_contact_at, rule.contact_unit if rule else ""
    else:
        resolved = None if appeal.is_open else appeal.resolved_at
        if clock == "total":
            due, met, unit = appeal.total_due_at, resolved, ClockUnit.WORKING_DAYS
        else:
            due, met, unit = appeal.resolve_due_at, resolved, rule.resolve_unit if rule else ""
    late = lateness(due, met, unit or ClockUnit.WORKING_DAYS)
    return str(MET_LATE["resolve" if clock == "total" else clock] % {"late": late}) if late else ""


def time_left_out(due_at: dt.datetime | None, now: dt.datetime) -> dict[str, Any] | None:
    """`time_left` as the API gives it (TimeLeftOut)."""
    return time_left_dict(time_left(due_at, now))


def time_left_dict(left: TimeLeft | None) -> dict[str, Any] | None:
    """A `TimeLeft` as the API gives it (TimeLeftOut); None stays None."""
    if left is None:
        return None
    return {
        "due_at": left.due_at,
        "working_seconds": left.working_seconds,
        "working_hours": left.working_hours,
        "working_days": left.working_days,
        "seconds": left.seconds,
        "calendar": left.calendar,
        "overdue": left.overdue,
        "label": left.label,
    }


def callback_due(given: dt.datetime) -> dt.datetime:
    """When a callback (回访) given to the community at `given` is due: within LINLI_CALLBACK_WORKING_DAYS working
    days (the task comes when no rating came in LINLI_RATING_WAIT_HOURS of the resolution); an open task past it is
    late."""
    return workdays.add_working_time(given, days=float(settings.LINLI_CALLBACK_WORKING_DAYS))


# Warn the handler when this share of the resolution time is left.
WARN_SHARE = 0.2


# The rules, kept in the process as a snapshot (linli.core.snapshots) of the version "sla_rules", which the rule
# writes and the admin page that edits rules bump.
SLA_RULES = "sla_rules"

_rules: Snapshot[list[SlaRule]] = Snapshot(SLA_RULES, lambda: list(SlaRule.objects.all()))


def active_rules() -> list[SlaRule]:
    """Every deadline rule (the process's copy while the rules are unchanged)."""
    return _rules.get()


def rule_for(
    *, kind: str, category: Category | None, tier: str, priority: str, rules: list[SlaRule] | None = None
) -> SlaRule | None:
    """The rule that applies: highest rank, then most matching conditions (`rules` lets bulk callers cache)."""
    category_ids = set()
    if category is not None:
        category_ids.add(category.pk)
        if category.parent_id:
            category_ids.add(category.parent_id)
    best: tuple[int, int, int] | None = None
    chosen: SlaRule | None = None
    for rule in rules if rules is not None else active_rules():
        if rule.kind and rule.kind != kind:
            continue
        if rule.tier and rule.tier != tier:
            continue
        if rule.priority and rule.priority != priority:
            continue
        if rule.category_id and rule.category_id not in category_ids:
            continue
        score = (
            sum(bool(x) for x in (rule.kind, rule.tier, rule.priority, rule.category_id)),
            rule.rank,
            -rule.pk,
        )
        # Rank first: an emergency always gets its short clock whatever else matches.
        key = (score[1], score[0], score[2])
        if best is None or key > best:
            best, chosen = key, rule
    return chosen


def due(start: dt.datetime, amount: float, unit: str) -> dt.datetime:
    if unit == ClockUnit.HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == ClockUnit.WORKING_HOURS:
        return workdays.add_working_time(start, hours=amount)
    return workdays.add_working_time(start, days=amount)


def shift(deadline: dt.datetime, unit: str, paused_from: dt.datetime, paused_to: dt.datetime) -> dt.datetime:
    """Move a deadline on by a pause, counted in the deadline's own clock."""
    if unit == ClockUnit.HOURS:
        return deadline + (paused_to - paused_from)
    return workdays.add_working_time(
        deadline, seconds=workdays.working_seconds_between(paused_from, paused_to)
    )


@dataclass
class Deadlines:
    rule: SlaRule | None
    ack_due_at: dt.datetime | None
    contact_due_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    warn_at: dt.datetime | None

    def as_fields(self) -> dict[str, Any]:
        """The clock columns of a unit given the appeal (dispatch, re-dispatch after a return, escalation, rework,
        a triage desk): every clock afresh and nothing of an earlier round counted against it, the first contact
        neither: the unit now holding the appeal calls the resident itself within its own contact clock."""
        return {
            "sla_rule": self.rule,
            "ack_due_at": self.ack_due_at,
            "contact_due_at": self.contact_due_at,
            "resolve_due_at": self.resolve_due_at,
            "warn_at": self.warn_at,
            "warned_at": None,
            "breached_at": None,
            "ack_breached_at": None,
            "contact_breached_at": None,
            "first_contact_at": None,
        }


def deadlines_for(
    appeal: Appeal, start: dt.datetime, *, tier: str | None = None, rules: list[SlaRule] | None = None
) -> Deadlines:
    """The clocks of the rule that applies, started at `start`. An appeal with nobody to contact (no contact phone,
    no resident: `Appeal.has_contact`) has no first-contact clock: None, never overdue. Asked afresh at every
    dispatch, escalation and rework, so one given a contact since has its clock from its next one."""
    rule = rule_for(
        kind=appeal.kind,
        category=appeal.category,
        tier=tier or appeal.tier,
        priority=appeal.priority,
        rules=rules,
    )
    if rule is None:
        return Deadlines(None, None, None, None, None)
    resolve_due = due(start, rule.resolve_amount, rule.resolve_unit)
    warn_at = resolve_due - (resolve_due - start) * WARN_SHARE
    return Deadlines(
        rule,
        due(start, rule.ack_amount, rule.ack_unit),
        due(start, rule.contact_amount, rule.contact_unit) if appeal.has_contact else None,
        resolve_due,
        warn_at,
    )


def resume_fields(appeal: Appeal, now: dt.datetime) -> dict[str, Any]:
    """The deadline columns after a pause from appeal.paused_at until `now`."""
    paused_from = appeal.paused_at or now
    rule = appeal.sla_rule
    fields: dict[str, Any] = {
        "paused_at": None,
        "paused_seconds": appeal.paused_seconds + int((now - paused_from).total_seconds()),
    }
    if appeal.total_due_at is not None:  # the resident's clock stops while they are waited on, too
        fields["total_due_at"] = shift(appeal.total_due_at, ClockUnit.WORKING_DAYS, paused_from, now)
    if rule is None:
        return fields
    pairs = [
        ("ack_due_at", rule.ack_unit),
        ("contact_due_at", rule.contact_unit),
        ("resolve_due_at", rule.resolve_unit),
    ]
    for name, unit in pairs:
        value = getattr(appeal, name)
        if value is not None:
            fields[name] = shift(value, unit, paused_from, now)
    if appeal.warn_at is not None:
        fields["warn_at"] = shift(appeal.warn_at, rule.resolve_unit, paused_from, now)
    return fields


def extend_fields(appeal: Appeal, days: int) -> dict[str, Any]:
    """Deadline columns after an approved extension of `days` working days: this tier's, and the resident's total
    one by as much (the resident is texted that the deadline moved by those days; left where it was, the worker
    marked the old date missed and escalated the appeal the tier above had just given more time). A total deadline
    already missed stays missed."""
    base = appeal.resolve_due_at
    if base is None:
        return {}
    new_due = workdays.add_working_time(base, days=days)
    start = appeal.clock_started_at or base
    fields: dict[str, Any] = {
        "resolve_due_at": new_due,
        "warn_at": new_due - (new_due - start) * WARN_SHARE,
        "warned_at": None,
        "breached_at": None,
    }
    if appeal.total_due_at is not None and appeal.total_breached_at is None:
        fields["total_due_at"] = workdays.add_working_time(appeal.total_due_at, days=days)
    return fields
