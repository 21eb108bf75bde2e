"""A summoned part's clocks after it is set (吹哨报到, whistle.py sets them): moved on by the appeal's pause, owed
again when its appeal is reopened, and the worker's warning before the finish date and mark of a missed report-in
or finish (the department and its leader told)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import notify, sla, transitions
from ..choices import ClockUnit
from ..models import Appeal, AppealPart
from ..parts import declined_pending
from .whistle import department_leaders, part_clocks, part_handlers, part_organisers, part_record, part_row


def parts_resume(appeal: Appeal, *, paused_from: dt.datetime, now: dt.datetime) -> int:
    """Move the live parts' clocks on by a pause: waiting on the resident stops a summoned unit's clocks as it stops
    the appeal's (the worker neither warns nor chases parts of a paused appeal). A part summoned during the pause
    moves by the time since it was summoned. A clock already settled or missed stays. Inside the resume's lock;
    returns how many parts moved."""
    moved = 0
    live = AppealPart.objects.filter(appeal=appeal, withdrawn_at__isnull=True, done_at__isnull=True)
    for part in live.select_for_update():
        start = max(paused_from, part.summoned_at)
        if start >= now:
            continue
        columns: dict[str, Any] = {}
        if part.reported_in_at is None and part.report_breached_at is None:
            columns["report_due_at"] = sla.shift(part.report_due_at, ClockUnit.WORKING_HOURS, start, now)
        if part.due_at is not None and part.breached_at is None:
            columns["due_at"] = sla.shift(part.due_at, ClockUnit.WORKING_DAYS, start, now)
            if part.warn_at is not None and part.warned_at is None:
                columns["warn_at"] = sla.shift(part.warn_at, ClockUnit.WORKING_DAYS, start, now)
        if columns:
            AppealPart.objects.filter(pk=part.pk).update(**columns)
            moved += 1
    return moved


def parts_ended_with(row: Appeal) -> list[AppealPart]:
    """The parts of the locked `row` that ended only because the appeal ended (随诉求终止: neither done nor
    withdrawn when it was answered and closed), locked, in the order they were summoned: a reopening owes them
    again (`parts_owe_again`)."""
    return list(
        AppealPart.objects.select_for_update()
        .select_related("organisation")
        .filter(appeal=row, done_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("summoned_at", "pk")
    )


def parts_owe_again(row: Appeal, parts: Sequence[AppealPart], *, now: dt.datetime) -> None:
    """A reopened appeal (the resident's reopening, a rework after an unsatisfied rating) owes its summoned units'
    unfinished parts again, each standing where it stood (waiting to report in, reported in and working, said not to
    be its duty and waiting on the summoner) with fresh clocks from the working-day calendar, as a new summons gets
    them: report in within the rule's default working hours, finish by the appeal's new deadline; the marks of the
    earlier round's missed deadlines and warning are cleared (its trace keeps them). Inside the reopening's lock,
    after its new deadlines are set; the reopening's trace step names the units (its caller), and each unit is told
    in its inbox."""
    if not parts:
        return
    clocks = part_clocks(row, now=now, report_hours=None, finish_by=None)
    for part in parts:
        columns: dict[str, Any] = {
            "due_at": clocks.get("due_at"),
            "warn_at": clocks.get("warn_at"),
            "breached_at": None,
            "warned_at": None,
        }
        if part.reported_in_at is None:
            columns |= {"report_due_at": clocks["report_due_at"], "report_breached_at": None}
        AppealPart.objects.filter(pk=part.pk).update(**columns)
        for name, value in columns.items():
            setattr(part, name, value)
        reported = part.reported_in_at is not None
        due = part.due_at if reported else part.report_due_at
        notify.notify_staff(
            part_handlers(part),
            row,
            gettext_lazy("Reopened: %(number)s, your part is owed again; finish it by %(due)s")
            if reported
            else gettext_lazy("Reopened: %(number)s, your part is owed again; report in by %(due)s"),
            due=timezone.localtime(due).strftime("%m-%d %H:%M") if due is not None else "-",
        )


def part_warn(*, part: AppealPart) -> AppealPart:
    """Tell the summoned unit its part is due soon (worker)."""
    with transaction.atomic():
        row, target = transitions.lock(part.appeal_id, "part_warn")
        locked = part_row(row, part)
        now = timezone.now()
        if locked.done_at or locked.warned_at or locked.warn_at is None or locked.warn_at > now:
            return locked
        if declined_pending(locked):  # the summoner decides whether the part is the unit's at all
            return locked
        if row.paused_at is not None:  # the clocks stand while the appeal waits on the resident
            return locked
        part_record(
            row,
            locked,
            actor=None,
            action="part_warn",
            target=target,
            note="",
            now=now,
            columns={"warned_at": now},
        )
        notify.notify_staff(
            part_handlers(locked),
            row,
            gettext_lazy("Due soon: your part of %(number)s by %(due)s"),
            due=timezone.localtime(locked.due_at).strftime("%m-%d %H:%M") if locked.due_at else "-",
        )
        locked.refresh_from_db()
        return locked


def part_breach(*, part: AppealPart, clock: str) -> AppealPart:
    """A part missed a deadline (worker). `report`: not reported in in time — the department is chased and its
    leader told; `finish`: not done by its finish date — the unit, its leader and the organising unit told."""
    with transaction.atomic():
        row, target = transitions.lock(part.appeal_id, "part_breach")
        locked = part_row(row, part)
        now = timezone.now()
        due: dt.datetime | None
        if clock == "report":
            field, due, settled = "report_breached_at", locked.report_due_at, locked.reported_in_at
        else:
            field, due, settled = "breached_at", locked.due_at, locked.done_at
        if getattr(locked, field) is not None or settled is not None or due is None or due > now:
            return locked
        if declined_pending(locked):  # not the unit's breach while the summoner decides (whistle_decline.py)
            return locked
        if row.paused_at is not None:  # the clocks stand while the appeal waits on the resident
            return locked
        leaders = department_leaders(locked.organisation)
        names = "、".join(u.display_name or u.get_username() for u in leaders) or "-"
        with notify.in_deployment_language():
            reason = (
                _("%(unit)s did not report in by %(due)s: chased, and its leader told (%(leaders)s).")
                if clock == "report"
                else _("%(unit)s did not finish its part by %(due)s.")
            ) % {
                "unit": locked.organisation.name,
                "due": timezone.localtime(due).strftime("%m-%d %H:%M"),
                "leaders": names,
            }
        part_record(
            row,
            locked,
            actor=None,
            action="part_breach",
            target=target,
            note=reason,
            now=now,
            columns={field: now},
            clock=clock,
            leaders=[u.display_name or u.get_username() for u in leaders],
        )
        due_text = timezone.localtime(due).strftime("%m-%d %H:%M")
        if clock == "report":
            notify.notify_staff(
                part_handlers(locked),
                row,
                gettext_lazy("Report in now: %(number)s was due by %(due)s"),
                due=due_text,
            )
            notify.notify_staff(
                leaders,
                row,
                gettext_lazy("%(unit)s has not reported in for %(number)s (due %(due)s)"),
                unit=locked.organisation.name,
                due=due_text,
            )
        else:
            notify.notify_staff(
                [*part_handlers(locked), *leaders],
                row,
                gettext_lazy("Overdue: %(unit)s's part of %(number)s (due %(due)s)"),
                unit=locked.organisation.name,
                due=due_text,
            )
            notify.notify_staff(
                part_organisers(row),
                row,
                gettext_lazy("Overdue: %(unit)s's part of %(number)s (due %(due)s)"),
                unit=locked.organisation.name,
                due=due_text,
            )
        locked.refresh_from_db()
        return locked
