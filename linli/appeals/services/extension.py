"""Deadlines under pressure from both sides: the unit asks the tier above for more time (an extension, approved
or refused), and the tier above urges the unit on (催办)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import Conflict

from .. import notify, sla, transitions
from ..choices import Channel, ExtensionStatus
from ..models import Appeal, ExtensionRequest, UrgeRecord
from ..permissions import Actor, signed_in_user
from ..validation import COMMENT_MAX, DESCRIPTION_MIN, clean_text, field_error


def appeal_extension_request(
    *, actor: Actor, appeal: Appeal, days: int, reason: str, channel: str = Channel.WEB
) -> ExtensionRequest:
    reason = clean_text("reason", reason, required=True, maximum=COMMENT_MAX, minimum=DESCRIPTION_MIN)
    if not 1 <= int(days) <= 30:
        raise field_error("days", _("Ask for 1 to 30 working days."))
    with transaction.atomic():
        row, target = transitions.lock_for(actor, appeal, "extension_request")
        if row.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise Conflict(_("An extension request is already waiting for a decision."))
        now = timezone.now()
        request = ExtensionRequest.objects.create(
            appeal=row, requested_by=signed_in_user(actor), days=days, reason=reason, requested_at=now
        )
        transitions.apply(
            row,
            actor=actor,
            action="extension_request",
            target=target,
            reason=reason,
            channel=channel,
            now=now,
            data={"days": days, "request": request.pk},
        )
        notify.notify_staff(
            notify.supervisors(row),
            row,
            gettext_lazy("Extension of %(days)s working days requested for %(number)s"),
            days=days,
        )
        return request


def _extension_decide(
    *, actor: Actor, request: ExtensionRequest, approve: bool, note: str
) -> ExtensionRequest:
    note = clean_text("note", note, required=not approve, maximum=COMMENT_MAX)
    action = "extension_approve" if approve else "extension_reject"
    with transaction.atomic():
        row, target = transitions.lock_for(actor, request.appeal_id, action)
        now = timezone.now()
        if (
            ExtensionRequest.objects.filter(pk=request.pk, status=ExtensionStatus.PENDING).update(
                status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
                decided_by=signed_in_user(actor),
                decided_at=now,
                decision_note=note,
            )
            != 1
        ):
            raise Conflict(_("This extension request was already decided."))
        changes = sla.extend_fields(row, request.days) if approve else {}
        transitions.apply(
            row,
            actor=actor,
            action=action,
            target=target,
            changes=changes,
            reason=note,
            now=now,
            data={"days": request.days},
        )
        title = (
            gettext_lazy("Extension approved for %(number)s")
            if approve
            else gettext_lazy("Extension refused for %(number)s")
        )
        notify.notify_staff(notify.unit_staff(row), row, title, note)
        if approve:
            notify.notify_residents(
                row, gettext_lazy("the deadline was extended by %(days)s working days"), days=request.days
            )
        request.refresh_from_db()
        return request


def appeal_extension_approve(*, actor: Actor, request: ExtensionRequest, note: str = "") -> ExtensionRequest:
    return _extension_decide(actor=actor, request=request, approve=True, note=note)


def appeal_extension_reject(*, actor: Actor, request: ExtensionRequest, note: str) -> ExtensionRequest:
    return _extension_decide(actor=actor, request=request, approve=False, note=note)


def appeal_urge(*, actor: Actor, appeal: Appeal, note: str = "", channel: str = Channel.WEB) -> UrgeRecord:
    note = clean_text("note", note, required=False, maximum=COMMENT_MAX)
    with transaction.atomic():
        row = transitions.step(
            actor,
            appeal,
            "urge",
            changes=lambda row, now: {"urge_count": row.urge_count + 1},
            reason=note,
            channel=channel,
        )
        record = UrgeRecord.objects.create(appeal=row, by=signed_in_user(actor), note=note, at=row.updated_at)
        notify.notify_staff(
            notify.unit_staff(row), row, gettext_lazy("Urged: %(number)s %(title)s"), note, title=row.title
        )
        return record
