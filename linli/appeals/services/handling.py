"""The unit's work on an appeal: acknowledge, contact the resident, start, pause and resume, resolve, answer a
consultation at first contact, and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import Conflict, PermissionDenied
from linli.core.photos import validate_photo

from .. import notify, sla, transitions
from ..choices import RESOLVE_OUTCOMES, AppealKind, Channel, Outcome, PhotoStage
from ..models import Appeal
from ..permissions import Actor, require
from ..validation import DESCRIPTION_MIN, NOTE_MAX, clean_text, field_error
from .part_deadlines import parts_resume
from .photos import photos_save


def appeal_acknowledge(*, actor: Actor, appeal: Appeal, channel: str = Channel.WEB) -> Appeal:
    with transaction.atomic():
        row = transitions.step(
            actor, appeal, "acknowledge", changes=lambda row, now: {"acknowledged_at": now}, channel=channel
        )
        notify.notify_residents(row, gettext_lazy("acknowledged by %(unit)s"), unit=row.unit_name)
        return row


def appeals_acknowledge_bulk(
    *, actor: Actor, appeals: Sequence[Appeal], channel: str = Channel.WEB
) -> dict[str, list[str]]:
    """Acknowledge many; each one on its own, so one conflict does not undo the others."""
    done: list[str] = []
    failed: list[str] = []
    for appeal in appeals:
        try:
            appeal_acknowledge(actor=actor, appeal=appeal, channel=channel)
            done.append(appeal.tracking_number)
        except (Conflict, PermissionDenied):
            failed.append(appeal.tracking_number)
    return {"acknowledged": done, "failed": failed}


def appeal_contact(*, actor: Actor, appeal: Appeal, note: str = "", channel: str = Channel.HOTLINE) -> Appeal:
    """Record a contact with the resident (the first one stops the first-contact clock)."""
    note = clean_text("note", note, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        return transitions.step(
            actor,
            appeal,
            "contact",
            changes=lambda row, now: {} if row.first_contact_at else {"first_contact_at": now},
            reason=note,
            channel=channel,
        )


def appeal_start(*, actor: Actor, appeal: Appeal, note: str = "", channel: str = Channel.WEB) -> Appeal:
    note = clean_text("note", note, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        row = transitions.step(actor, appeal, "start", reason=note, channel=channel)
        notify.notify_residents(row, gettext_lazy("work has started"))
        return row


def appeal_pause(*, actor: Actor, appeal: Appeal, reason: str, channel: str = Channel.WEB) -> Appeal:
    """Stop the clocks while waiting on the resident (documents, access to the home…)."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        row = transitions.step(
            actor,
            appeal,
            "pause",
            changes=lambda row, now: {"paused_at": now, "state_before_pause": row.state},
            reason=reason,
            channel=channel,
        )
        notify.notify_residents(row, gettext_lazy("we are waiting for you: %(reason)s"), reason=reason)
        return row


def appeal_resume(*, actor: Actor, appeal: Appeal, note: str = "", channel: str = Channel.WEB) -> Appeal:
    """Start the clocks again: the appeal's, the resident's total and each summoned part's move on by the pause."""
    note = clean_text("note", note, required=False, maximum=NOTE_MAX)
    pause: dict[str, dt.datetime] = {}

    def changes(row: Appeal, now: dt.datetime) -> dict[str, Any]:
        pause.update(start=row.paused_at or now, end=now)
        return {**sla.resume_fields(row, now), "state_before_pause": ""}

    with transaction.atomic():
        row = transitions.step(actor, appeal, "resume", changes=changes, reason=note, channel=channel)
        parts_resume(row, paused_from=pause["start"], now=pause["end"])
        notify.notify_residents(row, gettext_lazy("work has resumed"))
        return row


def appeal_resolve(
    *,
    actor: Actor,
    appeal: Appeal,
    note: str,
    outcome: str = Outcome.FIXED,
    photos: Sequence[UploadedFile] = (),
    channel: str = Channel.WEB,
) -> Appeal:
    """Resolved needs a note; a closed-without-fix outcome (not our responsibility, no further action) is kept
    distinct from fixed."""
    note = clean_text("note", note, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    if outcome not in [str(o) for o in RESOLVE_OUTCOMES]:
        raise field_error(
            "outcome", _("Choose an outcome: fixed, answered, not our responsibility or no further action.")
        )
    for upload in photos:
        validate_photo(upload)
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "resolve")
        if outcome == Outcome.ANSWERED and row.kind != AppealKind.CONSULTATION:
            raise field_error("outcome", _("Only a consultation can be closed as answered."))
        if row.parts.filter(done_at__isnull=True, withdrawn_at__isnull=True).exists():
            raise field_error("outcome", _("Summoned departments have not finished their parts yet."))
        return resolution_record(
            row, actor=actor, target=target, note=note, outcome=outcome, photos=photos, channel=channel
        )


def resolution_record(
    row: Appeal,
    *,
    actor: Actor,
    target: str,
    note: str,
    outcome: str,
    photos: Sequence[UploadedFile] = (),
    channel: str = "",
) -> Appeal:
    """Resolve the locked `row` (by its handler, or when the last summoned department completes its part)."""
    now = timezone.now()
    wait = dt.timedelta(hours=float(getattr(settings, "LINLI_RATING_WAIT_HOURS", 72)))
    changes = {
        "resolved_at": now,
        "outcome": outcome,
        "resolution_note": note,
        "resolved_tier": row.tier,
        "resolved_on_time": bool(row.resolve_due_at is None or now <= row.resolve_due_at)
        and bool(row.total_due_at is None or now <= row.total_due_at)
        and not row.events.filter(action="breach", data__clock__in=["resolve", "total"]).exists(),
        "callback_due_at": now + wait,
        "first_contact_at": row.first_contact_at or (now if row.has_contact else None),
        "acknowledged_at": row.acknowledged_at or now,
    }
    transitions.apply(
        row,
        actor=actor,
        action="resolve",
        target=target,
        changes=changes,
        reason=note,
        channel=channel,
        now=now,
        data={"outcome": outcome},
    )
    photos_save(row, photos, stage=PhotoStage.RESOLUTION, actor=actor)
    notify.notify_residents(
        row,
        gettext_lazy("resolved (%(outcome)s). Please rate how it was handled."),
        outcome=Outcome(outcome).label,
    )
    return row


def appeal_answer_on_first_contact(
    *, actor: Actor, appeal: Appeal, answer: str, channel: str = Channel.HOTLINE
) -> Appeal:
    """A hotline consultation answered on the spot: closed at first contact, outcome answered."""
    answer = clean_text("answer", answer, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row, target = transitions.lock(appeal, "answer")
        if row.kind != AppealKind.CONSULTATION:
            raise field_error("answer", _("Only a consultation can be answered at first contact."))
        require(actor, "answer", row)
        now = timezone.now()
        changes = {
            "outcome": Outcome.ANSWERED,
            "resolution_note": answer,
            "resolved_at": now,
            "closed_at": now,
            "first_contact_at": now,
            "resolved_tier": row.tier or "",
            "resolved_on_time": True,
        }
        transitions.apply(
            row,
            actor=actor,
            action="answer",
            target=target,
            changes=changes,
            reason=answer,
            channel=channel,
            now=now,
        )
        notify.notify_residents(row, gettext_lazy("answered: %(answer)s"), answer=answer[:60])
        return row


def appeal_comment(*, actor: Actor, appeal: Appeal, note: str, channel: str = Channel.WEB) -> Appeal:
    note = clean_text("note", note, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        return transitions.step(actor, appeal, "comment", reason=note, channel=channel)
