"""吹哨报到, when a summoned unit finds the matter outside its duties: instead of reporting in it says so, with why
(不属于本单位职责); the summoner (the organising unit, or the tier above) is told at once and decides — it withdraws
the summons (whistle.part_withdraw; another unit may then be summoned) or insists with a note, and the unit is told.

While the summoner decides, the part marks nothing against the unit: the worker neither chases its report-in nor
warns or marks its finish date (part_deadlines.part_breach, part_warn). The unit answered the summons by declining, so when
the summoner insists it gets the rule's report-in window afresh (from the insisting, never earlier than the date it
had, at most its finish date); the finish date stays where it was. A unit that changes its mind simply reports in,
which settles its decline as well. A unit declines once: after the summoner insists
it reports in and does its part (a dispute beyond that goes to the tier above, outside this step)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import Conflict, PermissionDenied
from linli.core.workdays import add_working_time

from .. import notify, transitions
from ..models import AppealPart
from ..permissions import Actor, may_act_on_part, require
from ..validation import COMMENT_MAX, DESCRIPTION_MIN, clean_text
from .whistle import part_handlers, part_organisers, part_record, part_row, report_in_limits


def _answered(part: AppealPart) -> str | None:
    """Why the unit can no longer say the matter is not its duty, or None while it may."""
    if part.done_at is not None or part.reported_in_at is not None:
        return _("Your unit has already reported in: it can no longer say the matter is not its duty.")
    if part.insisted_at is not None:
        return _("The summoner has insisted your unit does its part: report in and do it.")
    if part.declined_at is not None:
        return _("Your unit has already said this is not its duty; the summoner is deciding.")
    return None


def part_decline(*, actor: Actor, part: AppealPart, reason: str) -> AppealPart:
    """不属于本单位职责: the summoned unit's people, before reporting in, say the matter is outside its duties and
    why; the summoner is told at once, to withdraw the summons or insist."""
    reason = clean_text("reason", reason, required=True, maximum=COMMENT_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = transitions.lock(part.appeal_id, "part_decline")
        locked = part_row(row, part)
        if actor is not None and not may_act_on_part(actor, locked):
            raise PermissionDenied()
        refused = _answered(locked)
        if refused:
            raise Conflict(refused)
        require(actor, "part_decline", row)  # the action table agrees: an unanswered part of the actor's unit
        now = timezone.now()
        part_record(
            row,
            locked,
            actor=actor,
            action="part_decline",
            target=target,
            note=reason,
            now=now,
            columns={"declined_at": now, "decline_reason": reason},
        )
        notify.notify_staff(
            part_organisers(row),
            row,
            gettext_lazy(
                "%(unit)s says %(number)s is not its duty: withdraw the summons or insist it does its part"
            ),
            reason,
            unit=locked.organisation.name,
        )
        locked.refresh_from_db()
        return locked


def part_insist(*, actor: Actor, part: AppealPart, note: str) -> AppealPart:
    """The summoner insists a unit that said the matter is not its duty does its part, saying why; the unit is
    told, and reports in within the rule's report-in window from now (its finish date stays)."""
    note = clean_text("note", note, required=True, maximum=COMMENT_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = transitions.lock(part.appeal_id, "part_insist")
        locked = part_row(row, part)
        if locked.declined_at is None:
            raise Conflict(
                _("This unit has not said the matter is not its duty: there is nothing to insist on.")
            )
        if locked.insisted_at is not None:
            raise Conflict(_("The summoner has already insisted this unit does its part."))
        require(actor, "part_insist", row)
        now = timezone.now()
        default_hours, _limit = report_in_limits(row)
        report_due = max(locked.report_due_at, add_working_time(now, hours=default_hours))
        if locked.due_at is not None:
            report_due = min(report_due, max(locked.due_at, locked.report_due_at))
        part_record(
            row,
            locked,
            actor=actor,
            action="part_insist",
            target=target,
            note=note,
            now=now,
            columns={"insisted_at": now, "insist_note": note, "report_due_at": report_due},
            report_due_at=report_due.isoformat(),
        )
        notify.notify_staff(
            part_handlers(locked),
            row,
            gettext_lazy("The summoner insists your unit does its part of %(number)s: report in by %(due)s"),
            note,
            due=timezone.localtime(report_due).strftime("%m-%d %H:%M"),
        )
        locked.refresh_from_db()
        return locked
