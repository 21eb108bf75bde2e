"""Who visits: a plan's visitor (a worker of the grid, a volunteer or a party member of the community) and one
contact reassigned; the minutes volunteers and members give in visits and calls, handed to the time bank
(`core.served`) once each; and reassessment on a schedule (the responsible worker told once per due date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import served
from linli.core.audit import audit_record
from linli.core.errors import Conflict
from linli.core.roles import Role
from linli.core.scoping import Actor

from .. import permissions, rules
from ..choices import ContactOutcome, ContactState, VisitorKind
from ..models import CareContact, CarePlan
from ..selectors import contact_get_for, plan_get_for
from ..visitors import visitor_check
from .plans import _notify_later, _path, hand_over_due


def _tell_assigned(person: Any, plan: CarePlan, what: str) -> None:
    _notify_later(
        person,
        _("Care visits assigned to you: %(name)s") % {"name": plan.resident.name},
        what,
        reverse("care:today"),
    )


@transaction.atomic
def care_plan_visitor_set(*, actor: Actor, plan: CarePlan, visitor: Any) -> CarePlan:
    """Who visits the person from today: a worker of the grid, or a volunteer or party member of the community
    with an account. The open contacts from today on go to them; what is past stays with whoever had it."""
    plan = plan_get_for(actor, plan.pk, lock=True)
    permissions.require(actor, "care_assess", _path(plan.grid))
    if visitor is not None and plan.caregiver_id == visitor.pk:
        kind = plan.caregiver_kind  # the visitor stays, even one no longer offered (a volunteer who left)
    else:
        kind = visitor_check(actor, plan.grid, visitor)
    plan.caregiver = visitor
    plan.caregiver_kind = kind
    plan.save(update_fields=["caregiver", "caregiver_kind", "updated_at"])
    today = timezone.localdate()
    moved = plan.contacts.filter(state=ContactState.DUE, due_on__gte=today).update(
        assignee=visitor, assignee_kind=kind
    )
    if visitor is not None and moved:
        _tell_assigned(visitor, plan, _("%(n)d visits and calls from today.") % {"n": moved})
    audit_record(
        actor=actor,
        action="care_plan_visitor_set",
        obj=plan,
        detail={"visitor": getattr(visitor, "pk", None), "kind": kind, "moved": moved},
    )
    return plan


@transaction.atomic
def care_contact_assign(*, actor: Actor, contact: CareContact, assignee: Any) -> CareContact:
    """Give one open visit or call to someone else (a worker, volunteer or party member), who is told."""
    contact = contact_get_for(actor, contact.pk, lock=True)
    permissions.require(actor, "care_assess", _path(contact.plan.grid))
    if contact.state not in (ContactState.DUE, ContactState.MISSED, ContactState.ESCALATED):
        raise Conflict(_("This visit was already recorded."))
    kind = visitor_check(actor, contact.plan.grid, assignee)
    contact.assignee = assignee
    contact.assignee_kind = kind
    contact.save(update_fields=["assignee", "assignee_kind", "updated_at"])
    if assignee is not None:
        _tell_assigned(
            assignee,
            contact.plan,
            _("%(kind)s on %(day)s") % {"kind": contact.get_kind_display(), "day": contact.due_on},
        )
    audit_record(
        actor=actor,
        action="care_contact_assign",
        obj=contact,
        detail={"assignee": getattr(assignee, "pk", None), "kind": kind},
    )
    return contact


def care_contact_hours_hand_over(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Hand the time each visit or call a volunteer or party member recorded to the apps that credit service
    done (`core.served`: the community's time bank pays a volunteer; someone who is not one is not paid), once per
    contact (the worker's job): how many were credited somewhere."""
    return hand_over_due(
        CareContact.objects.filter(
            state=ContactState.DONE,
            outcome=ContactOutcome.REACHED,  # a refusal is no visit made: nothing to credit
            served_at__isnull=True,
            done_by_id=F("assignee_id"),
            assignee_kind__in=[VisitorKind.VOLUNTEER, VisitorKind.MEMBER],
        )
        .select_related("plan__grid__org_node__parent", "plan__resident")
        .order_by("done_at", "id"),
        lambda row, community_id: served.Served(
            source=f"care.contact:{row.pk}",
            account_id=row.done_by_id or 0,
            community_id=community_id,
            title=f"{row.get_kind_display()} · {row.plan.resident.name}"[:200],
            minutes=row.minutes or rules.contact_minutes(row.kind),
            on=timezone.localdate(row.done_at) if row.done_at else row.due_on,
        ),
        "care contact",
        now=now or timezone.now(),
        limit=limit,
    )


def _responsible(plan: CarePlan) -> list[Any]:
    """Who is told a reassessment is due: the plan's visitor when a worker, else the grid's grid workers."""
    if plan.caregiver_id and plan.caregiver_kind == VisitorKind.WORKER:
        return [plan.caregiver]
    return list(plan.grid.workers.filter(role=Role.GRID_WORKER, is_active=True).order_by("pk"))


def care_reassessments_remind(*, today: dt.date | None = None, limit: int = 500) -> int:
    """Reassessment on a schedule: tell the responsible worker of each plan whose reassessment date has come,
    once per date (claimed by compare-and-swap on `reassess_notified_on`; confirming a new level sets a new date,
    which is told in its turn). Returns how many plans were told about."""
    today = today or timezone.localdate()
    told = 0
    with transaction.atomic():
        due = list(
            CarePlan.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(reassess_on__lte=today)
            .filter(Q(reassess_notified_on__isnull=True) | ~Q(reassess_notified_on=F("reassess_on")))
            .select_related("resident", "grid", "caregiver")
            .order_by("reassess_on", "id")[:limit]
        )
        for plan in due:
            if (
                not CarePlan.objects.filter(pk=plan.pk, reassess_on=plan.reassess_on)
                .exclude(reassess_notified_on=plan.reassess_on)
                .update(reassess_notified_on=plan.reassess_on)
            ):
                continue
            told += 1
            title = _("Reassessment due: %(name)s (%(level)s) since %(day)s") % {
                "name": plan.resident.name,
                "level": plan.get_level_display(),
                "day": plan.reassess_on,
            }
            url = reverse("care:assess", args=[plan.resident_id])
            for worker in _responsible(plan):
                _notify_later(worker, title, _("Confirm the level again with a reason."), url)
    return told
