"""推动落实: results tracked to completion. A leaf's progress is reported with a timeline entry; a parent's is
the weighted mean of its parts (dropped parts leave the mean), rolled up to the root in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals import services as appeal_services
from linli.appeals.choices import AppealKind, Outcome
from linli.appeals.models import Appeal
from linli.core.errors import DomainError, InvalidTransition, ValidationFailed
from linli.core.orgpath import path_ids
from linli.core.photos import photo_to_store
from linli.core.roles import Role
from linli.core.workdays import add_working_time

from .. import permissions
from ..choices import ESCALATION_AFTER, EscalationLevel, ResultStatus, SourceKind
from ..models import AgendaSource, Decision, MeetingEvent, Result, ResultDeadline, ResultUpdate
from ..workflow import RESULT_STAGES
from ._common import Actor, invalid, notify, person, text


def _status_for(progress: int) -> str:
    if progress >= 100:
        return ResultStatus.DONE
    return ResultStatus.IN_PROGRESS if progress > 0 else ResultStatus.PLANNED


def _check_open(result: Result) -> None:
    if result.meeting.stage not in RESULT_STAGES:
        raise InvalidTransition(_("This meeting's results can no longer change."))


def result_part_add(
    *, actor: Actor, parent: Result, title: str, weight: int = 1, due_on: dt.date | None = None
) -> Result:
    """Split a result into parts; the parent's progress is then rolled up from them."""
    permissions.require(actor, "meeting_run", parent.meeting.node.path)
    _check_open(parent)
    if not 1 <= weight <= 100:
        raise invalid("weight", _("A weight is between 1 and 100."))
    with transaction.atomic():
        if Result.objects.select_for_update().get(pk=parent.pk).status == ResultStatus.DROPPED:
            raise InvalidTransition(
                _("This result was dropped: report progress on it again before splitting it.")
            )
        part = Result.objects.create(
            meeting=parent.meeting,
            decision=parent.decision,
            parent=parent,
            title=text("title", title, limit=120),
            weight=weight,
            due_on=due_on or parent.due_on,
        )
        deadlines_create(part)
        _roll_up(parent.pk)
    return part


def result_progress(
    *,
    actor: Actor,
    result: Result,
    progress: int,
    note: str,
    dropped: bool = False,
    photo: UploadedFile | None = None,
) -> Result:
    """Report what was done and the progress after it (0–100) on a result without parts."""
    permissions.require(actor, "result_update", result.meeting.node.path)
    _check_open(result)
    if not 0 <= progress <= 100:
        raise invalid("progress", _("Progress is between 0 and 100."))
    note = text("note", note, limit=300)
    stored = photo_to_store(photo) if photo is not None else None  # upright, without the phone's position
    with transaction.atomic():
        locked = Result.objects.select_for_update().get(pk=result.pk)
        if locked.children.exists():
            raise ValidationFailed(_("This result has parts: its progress is rolled up from them."))
        locked.progress = progress
        locked.status = ResultStatus.DROPPED if dropped else _status_for(progress)
        locked.save(update_fields=["progress", "status", "updated_at"])
        ResultUpdate.objects.create(
            result=locked,
            progress=progress,
            status=locked.status,
            note=note,
            actor=person(actor),
            photo=stored or "",
        )
        if locked.parent_id:
            _roll_up(locked.parent_id)
        if locked.decision_id:
            _deliver(locked.decision_id, actor)
    return locked


def _deliver(decision_id: int, actor: Actor) -> list[str]:
    """When a decision's result is done, the appeals its agenda item grouped are resolved through the appeals
    service (a consultation as answered, others as fixed), each in its own savepoint: an appeal that cannot be
    resolved now (not yet with a unit, waiting on the resident, already closed, departments still working) stays
    as it is, and the meeting's history names what was resolved and what was left to its handler."""
    root = Result.objects.filter(decision_id=decision_id, parent__isnull=True).first()
    if root is None or root.status != ResultStatus.DONE:
        return []
    decision = Decision.objects.select_related("meeting").get(pk=decision_id)
    if decision.item_id is None:
        return []
    appeals = Appeal.objects.filter(
        pk__in=AgendaSource.objects.filter(
            item_id=decision.item_id, kind=SourceKind.APPEAL, appeal__isnull=False
        ).values_list("appeal_id", flat=True)
    ).order_by("pk")
    note = _("Decided at the meeting “%(meeting)s” and carried out: %(decision)s") % {
        "meeting": decision.meeting.title,
        "decision": decision.text,
    }
    resolved: list[str] = []
    left: list[str] = []
    for appeal in appeals:
        outcome = Outcome.ANSWERED if appeal.kind == AppealKind.CONSULTATION else Outcome.FIXED
        try:
            with transaction.atomic():
                # The system resolves it: the meeting's decision, not the appeal's handler, settled the matter.
                appeal_services.appeal_resolve(actor=None, appeal=appeal, note=note, outcome=outcome)
        except DomainError:
            if appeal.is_open:
                left.append(appeal.tracking_number)
            continue
        resolved.append(appeal.tracking_number)
    if resolved or left:
        summary = _("Appeals resolved: %(resolved)s. Left to their handlers: %(left)s.") % {
            "resolved": "、".join(resolved) or "—",
            "left": "、".join(left) or "—",
        }
        MeetingEvent.objects.create(
            meeting=decision.meeting, action="appeals_resolved", note=summary[:300], actor=person(actor)
        )
    return resolved


def _roll_up(pk: int | None) -> None:
    """Recompute the progress of result `pk` and of its ancestors from their parts (weighted)."""
    while pk is not None:
        node = Result.objects.select_for_update().get(pk=pk)
        parts = [c for c in node.children.all() if c.status != ResultStatus.DROPPED]
        total_weight = sum(c.weight for c in parts)
        progress = round(sum(c.weight * c.progress for c in parts) / total_weight) if total_weight else 0
        status = _status_for(progress)
        if (node.progress, node.status) != (progress, status):
            node.progress, node.status = progress, status
            node.save(update_fields=["progress", "status", "updated_at"])
        pk = node.parent_id


LEVEL_ORDER = [EscalationLevel.COMMUNITY, EscalationLevel.STREET, EscalationLevel.DISTRICT]
LEVEL_ROLES = {
    EscalationLevel.COMMUNITY: Role.COMMUNITY_WORKER,
    EscalationLevel.STREET: Role.STREET_OFFICER,
    EscalationLevel.DISTRICT: Role.DISTRICT_LEADER,
}


def deadlines_create(result: Result) -> None:
    """The result's escalation rows: a set number of working days after the end of its due date, each level is
    told (ESCALATION_AFTER) unless the result is done or dropped by then."""
    end_of_due = timezone.make_aware(dt.datetime.combine(result.due_on, dt.time(18)))
    ResultDeadline.objects.bulk_create(
        ResultDeadline(
            result=result,
            level=level,
            due_on=timezone.localtime(add_working_time(end_of_due, days=ESCALATION_AFTER[level])).date(),
        )
        for level in LEVEL_ORDER
    )


def result_escalate(*, deadline: ResultDeadline) -> bool:
    """Tell the deadline's level that its result is overdue, once: the row is claimed by compare-and-swap on
    `fired_at`, so two workers never both send it. False when it was claimed already or the result is closed."""
    result = Result.objects.select_related("meeting__node", "meeting__created_by").get(pk=deadline.result_id)
    if result.status not in (ResultStatus.PLANNED, ResultStatus.IN_PROGRESS):
        return False
    now = timezone.now()
    if ResultDeadline.objects.filter(pk=deadline.pk, fired_at__isnull=True).update(fired_at=now) != 1:
        return False
    level = EscalationLevel(deadline.level)
    if not result.escalated_to or LEVEL_ORDER.index(level) > LEVEL_ORDER.index(
        EscalationLevel(result.escalated_to)
    ):
        Result.objects.filter(pk=result.pk).update(escalated_to=level)
    meeting = result.meeting
    recipients: list[Any] = list(
        User.objects.filter(
            role=LEVEL_ROLES[level], is_active=True, org_node_id__in=path_ids(meeting.node.path)
        )
    )
    if level == EscalationLevel.COMMUNITY and meeting.created_by is not None:
        recipients.append(meeting.created_by)
    title = {
        EscalationLevel.COMMUNITY: _("A meeting decision is overdue"),
        EscalationLevel.STREET: _("A meeting decision is overdue: escalated to the street"),
        EscalationLevel.DISTRICT: _("A meeting decision is overdue: escalated to the district"),
    }[level]
    body = _("%(title)s was due on %(due)s (%(meeting)s, %(area)s).") % {
        "title": result.title,
        "due": result.due_on.isoformat(),
        "meeting": meeting.title,
        "area": meeting.node.name,
    }
    notify(
        list({u.pk: u for u in recipients}.values()),
        title=title,
        body=body,
        url=reverse("deliberation:meeting", args=[meeting.pk]),
    )
    return True
