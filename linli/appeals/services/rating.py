"""After resolution: the resident's rating (an unsatisfied one sends the appeal back for rework), closing, and the
callback to a resident who has not rated in time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import User
from linli.core.errors import Conflict
from linli.core.roles import Role

from .. import notify, routing, sla, transitions
from ..choices import AppealState, CallbackMiss, CallbackStatus, Channel, Rating
from ..models import Appeal, AppealRating, CallbackTask
from ..permissions import (
    CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE,
    Actor,
    callback_attempts_left,
    is_appeal_resident,
    require,
    signed_in_user,
)
from ..validation import COMMENT_MAX, clean_text, field_error
from .dispatch import unit_assign
from .part_deadlines import parts_ended_with, parts_owe_again


def appeal_rate(
    *,
    actor: Actor,
    appeal: Appeal,
    value: str,
    comment: str = "",
    phone: str = "",
    channel: str = Channel.WEB,
) -> Appeal:
    """The resident rates (or a community worker records the rating given on a callback). Unsatisfied reopens
    the appeal to the same unit with a fresh deadline (rework) and tells everyone concerned."""
    if value not in Rating.values:
        raise field_error("value", _("Choose satisfied, basically satisfied or unsatisfied."))
    comment = clean_text("comment", comment, required=value == Rating.UNSATISFIED, maximum=COMMENT_MAX)
    with transaction.atomic():
        row, _target = transitions.lock_for(actor, appeal, "rate", phone=phone)
        # Not the resident: staff recording the rating given on the callback (the table allows no one else).
        by_callback = not is_appeal_resident(actor, row, phone)
        now = timezone.now()
        rounds = row.ratings.count() + 1
        AppealRating.objects.create(
            appeal=row,
            value=value,
            comment=comment,
            by=signed_in_user(actor),
            channel=Channel.HOTLINE if by_callback else channel,
            round=rounds,
            at=now,
        )
        CallbackTask.objects.filter(appeal=row, status=CallbackStatus.OPEN).update(
            status=CallbackStatus.DONE, done_at=now, done_by=signed_in_user(actor)
        )
        unsatisfied = value == Rating.UNSATISFIED
        transitions.apply(
            row,
            actor=actor,
            action="rate",
            # Unsatisfied: rated, then reopened for rework under the same lock.
            target=AppealState.RATED if unsatisfied else transitions.target_of(row, "rate"),
            changes={"rated_at": now},
            reason=comment,
            channel=channel,
            now=now,
            data={"value": value, "round": rounds},
        )
        if unsatisfied:
            return _rework(row, actor=actor, reason=comment, now=now)
        notify.notify_staff(
            notify.unit_staff(row),
            row,
            gettext_lazy("Rated %(value)s: %(number)s"),
            comment,
            value=Rating(value).label,
        )
        return row


def _rework(row: Appeal, *, actor: Actor, reason: str, now: dt.datetime) -> Appeal:
    return rework_assign(
        row,
        actor=actor,
        reason=reason,
        now=now,
        resident_title=gettext_lazy("reopened for rework by %(unit)s; new deadline %(due)s"),
        supervisor_title=gettext_lazy("Rework after an unsatisfied rating: %(number)s"),
    )


def rework_assign(
    row: Appeal,
    *,
    actor: Actor,
    reason: str,
    now: dt.datetime,
    resident_title: Promise,
    supervisor_title: Promise,
    action: str = "rework",
    channel: str = Channel.SYSTEM,
    extra: dict[str, Any] | None = None,
) -> Appeal:
    """Give the locked, resolved `row` back to the unit that handled it with fresh deadlines (a rework after an
    unsatisfied rating, or the resident reopening it), and tell the resident (`%(unit)s`, `%(due)s`) and the tier
    above. Every clock starts again, the contact clock too (sla.Deadlines.as_fields clears the first contact): the
    unit calls the resident who said it is not solved, the earlier round's call does not answer for this one. The earlier resolution note stays in the trace (the
    resolve event), not as the result of an appeal that is open again. A summoned unit whose part ended only because
    the appeal ended (answered at first contact while it was still owed) owes it again, with fresh clocks
    (part_deadlines.parts_owe_again); the step's trace names those units (`owed_again`)."""
    owed = parts_ended_with(row)
    unit_assign(
        row,
        actor=actor,
        tier=row.tier,
        unit_node=row.unit_node,
        unit_org=row.unit_org,
        reason=reason,
        channel=channel,
        action=action,
        extra={
            "rework_count": row.rework_count + 1,
            "outcome": "",
            "resolution_note": "",
            "resolved_at": None,
            "resolved_on_time": None,
            "callback_due_at": None,
            "rated_at": None,
            **(extra or {}),
        },
        data={"owed_again": [p.organisation.name for p in owed]} if owed else None,
        now=now,
    )
    parts_owe_again(row, owed, now=now)
    notify.notify_residents(
        row,
        resident_title,
        unit=row.unit_name,
        due=timezone.localtime(row.resolve_due_at).strftime("%Y-%m-%d %H:%M") if row.resolve_due_at else "-",
    )
    notify.notify_staff(notify.supervisors(row), row, supervisor_title, reason)
    return row


def appeal_close(*, actor: Actor, appeal: Appeal, reason: str = "", channel: str = Channel.WEB) -> Appeal:
    reason = clean_text("reason", reason, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        row = transitions.step(
            actor,
            appeal,
            "close",
            changes=lambda row, now: {"closed_at": now},
            reason=reason,
            channel=Channel.SYSTEM if actor is None else channel,
        )
        notify.notify_residents(row, gettext_lazy("closed"))
        return row


def callback_create(*, appeal: Appeal) -> CallbackTask | None:
    """No rating in time: a callback task for the community (the worker job calls this). None for an appeal with
    nobody to call back (`Appeal.has_contact`): it closes instead (`appeal_close_unrated`)."""
    with transaction.atomic():
        row, target = transitions.lock(appeal, "callback")
        if row.callback_due_at is None or not row.has_contact:
            return None
        community = None
        base = row.grid.org_node if row.grid_id and row.grid else row.unit_node
        if base is not None:
            chain = routing.ancestors(base)
            community = chain.get("community") or chain.get("street") or base
        now = timezone.now()
        task = CallbackTask.objects.filter(appeal=row).first()
        if task is None:
            task = CallbackTask.objects.create(
                appeal=row, community=community, created_at=now, due_at=sla.callback_due(now)
            )
        elif task.status != CallbackStatus.OPEN:
            # Resolved again after rework: the earlier round's task opens again for this round's callback. The
            # due mark is cleared either way, so the job does not find the appeal on its next pass.
            task.status, task.created_at, task.community = CallbackStatus.OPEN, now, community
            task.due_at = sla.callback_due(now)
            task.done_at, task.done_by, task.note = None, None, ""
            task.attempts, task.last_attempt_at = 0, None
            task.save(
                update_fields=[
                    *("status", "created_at", "due_at", "community", "done_at", "done_by", "note"),
                    *("attempts", "last_attempt_at"),
                ]
            )
        transitions.apply(
            row,
            actor=None,
            action="callback",
            target=target,
            changes={"callback_due_at": None},
            channel=Channel.SYSTEM,
        )
        if community is not None:
            notify.notify_staff(
                User.objects.filter(org_node=community, role=Role.COMMUNITY_WORKER, is_active=True),
                row,
                gettext_lazy("Call back the resident of %(number)s: no rating yet"),
            )
        return task


def appeal_close_unrated(*, appeal: Appeal) -> Appeal:
    """No rating in time on an appeal with nobody to call back (no contact phone, no resident: a patrol's or a
    sensor's report, an Open311 request — `Appeal.has_contact`): nobody can rate it and nobody can be called, so it
    closes when the rating window passes, without a callback task, its trace saying why (the worker job calls
    this, as it would give another appeal its callback)."""
    with transaction.atomic():
        row, target = transitions.lock(appeal, "close")
        if row.callback_due_at is None or row.has_contact:
            return row
        now = timezone.now()
        with notify.in_deployment_language():
            reason = _(
                "Closed without a rating: there is nobody to call back (no contact phone, no resident)."
            )
        transitions.apply(
            row,
            actor=None,
            action="close",
            target=target,
            changes={"closed_at": now, "callback_due_at": None},
            reason=reason,
            channel=Channel.SYSTEM,
            now=now,
            data={"unrated": "no_contact"},
        )
        return row


def _open_callback(row: Appeal) -> CallbackTask:
    task = CallbackTask.objects.filter(appeal=row, status=CallbackStatus.OPEN).first()
    if task is None:
        raise Conflict(_("This callback is already done."))
    return task


def callback_attempt_record(
    *,
    actor: Actor,
    appeal: Appeal | int,
    result: str = CallbackMiss.NO_ANSWER,
    note: str = "",
    channel: str = Channel.WEB,
) -> CallbackTask:
    """回访未接通: a call on the open callback that did not reach the resident, counted on the task and traced
    (when, who, why); a note is required when the reason is "other"."""
    if result not in CallbackMiss.values:
        raise field_error("result", _("Choose why the call did not get through."))
    note = clean_text("note", note, required=result == CallbackMiss.OTHER, maximum=COMMENT_MAX)
    with transaction.atomic():
        row, target = transitions.lock(appeal, "callback_attempt")
        task = _open_callback(row)
        require(actor, "callback_attempt", row)
        now = timezone.now()
        CallbackTask.objects.filter(pk=task.pk).update(attempts=F("attempts") + 1, last_attempt_at=now)
        task.refresh_from_db()
        transitions.apply(
            row,
            actor=actor,
            action="callback_attempt",
            target=target,
            reason=note,
            channel=channel,
            now=now,
            data={"attempt": task.attempts, "result": result},
        )
        return task


def callback_unreachable(
    *, actor: Actor, appeal: Appeal | int, note: str = "", channel: str = Channel.WEB
) -> CallbackTask:
    """不评价结案: the resident could not be reached after the callback's failed calls
    (permissions.CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE of them): the appeal closes without a rating."""
    note = clean_text("note", note, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        row, target = transitions.lock(appeal, "callback_unreachable")
        task = _open_callback(row)
        if left := callback_attempts_left(row):
            require(
                actor, "callback_attempt", row
            )  # someone who may not call back is not told about the calls
            raise Conflict(
                _(
                    "Record %(needed)s calls that did not reach the resident before closing without a rating "
                    "(%(done)s recorded so far)."
                )
                % {"needed": CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE, "done": task.attempts},
                extra={"attempts": task.attempts, "left": left},
            )
        require(actor, "callback_unreachable", row)
        now = timezone.now()
        if (
            CallbackTask.objects.filter(pk=task.pk, status=CallbackStatus.OPEN).update(
                status=CallbackStatus.UNREACHABLE,
                done_at=now,
                done_by=signed_in_user(actor),
                note=note,
            )
            != 1
        ):
            raise Conflict(_("This callback is already done."))
        transitions.apply(
            row,
            actor=actor,
            action="callback_unreachable",
            target=target,
            changes={"closed_at": now},
            reason=note,
            channel=channel,
            now=now,
            data={"attempts": task.attempts},
        )
        task.refresh_from_db()
        return task
