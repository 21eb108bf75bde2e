"""What every appeals endpoint shares: the router, an appeal as a list row and as its detail for the caller,
the scoped lookup, and the operation ids.

The operation ids are part of the public API (clients generated from the OpenAPI document name their methods
by them): they keep the names they had when the API was one module, `linli_appeals_api_<name>`, wherever the
endpoint now lives.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router

from linli.core.audit import audit_record
from linli.core.clientip import client_ip

from .. import selectors, sla
from ..catalogue_api import router as catalogue_router
from ..choices import CallbackStatus
from ..models import Appeal
from ..parts import part_out
from ..permissions import actions_for, gave_contact, is_appeal_resident, may_see_contact

router = Router(tags=["appeals"])
router.add_router("/catalogue", catalogue_router)


def operation_id(name: str) -> str:
    """The stable operation id of the endpoint `name`."""
    return f"linli_appeals_api_{name}"


def appeal_row(
    appeal: Appeal, *, full_contact: bool = False, now: dt.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": appeal.pk,
        "tracking_number": appeal.tracking_number,
        "kind": appeal.kind,
        "kind_label": str(appeal.get_kind_display()),
        "category_code": appeal.category.code if appeal.category else None,
        "category_name": str(appeal.category) if appeal.category else None,
        "title": appeal.title,
        "channel": appeal.channel,
        "state": appeal.state,
        "state_label": str(appeal.get_state_display()),
        "priority": appeal.priority,
        "tier": appeal.tier,
        "unit_name": appeal.unit_name,
        "grid_code": appeal.grid.code if appeal.grid else None,
        "contact_name": appeal.contact_name if full_contact else appeal.contact_name_masked,
        "contact_phone": appeal.contact_phone if full_contact else appeal.contact_phone_masked,
        "address": appeal.address,
        "created_at": appeal.created_at,
        "ack_due_at": appeal.ack_due_at,
        "resolve_due_at": appeal.resolve_due_at,
        "total_due_at": appeal.total_due_at,
        "resolve_time_left": sla.time_left_dict(sla.resolve_left(appeal, now)),
        "total_time_left": sla.time_left_dict(sla.total_left(appeal, now)),
        "overdue": bool(appeal.is_open and appeal.resolve_due_at and appeal.resolve_due_at < now),
        "outcome": appeal.outcome,
    }


def appeal_detail(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    user = request.user
    full = may_see_contact(user, appeal)
    if full and not gave_contact(user, appeal):
        audit_record(actor=user, action="appeal.contact.read", obj=appeal, ip=client_ip(request) or None)
    now = timezone.now()
    data = appeal_row(appeal, full_contact=full, now=now)
    data.update(
        {
            "description": appeal.description,
            "contact_due_at": appeal.contact_due_at if appeal.has_contact else None,
            "first_contact_at": appeal.first_contact_at,
            "lng": appeal.lng,
            "lat": appeal.lat,
            "resolution_note": appeal.resolution_note,
            "primary_tracking_number": appeal.primary.tracking_number
            if appeal.primary_id and appeal.primary
            else None,
            "split_from_tracking_number": appeal.split_from.tracking_number
            if appeal.split_from_id and appeal.split_from
            else None,
            "split_into": list(appeal.split_parts.order_by("id").values_list("tracking_number", flat=True)),
            "rework_count": appeal.rework_count,
            "return_count": appeal.return_count,
            "escalation_count": appeal.escalation_count,
            "disclosure_withheld": appeal.disclosure_withheld,
            "photos": [
                reverse("api:appeal_photo", kwargs={"appeal_id": appeal.pk, "photo_id": p.pk})
                for p in appeal.photos.all()
            ],
            "parts": [part_out(p, now) for p in appeal.parts.all()],
            "trace": list(appeal.events.all()),
            "ratings": list(appeal.ratings.all()),
            "actions": actions_for(user, appeal),
            "callback": None if is_appeal_resident(user, appeal) else _callback(appeal, now),
        }
    )
    return data


def _callback(appeal: Appeal, now: dt.datetime) -> dict[str, Any] | None:
    """The callback (CallbackOut); the reverse one-to-one raises AttributeError (→ None) when there is none."""
    task = getattr(appeal, "callback", None)
    if task is None:
        return None
    is_open = task.status == CallbackStatus.OPEN
    return {
        **{
            name: getattr(task, name)
            for name in ("status", "created_at", "due_at", "attempts", "last_attempt_at")
        },
        "done_at": task.done_at,
        "time_left": sla.time_left_out(task.due_at, now) if is_open else None,
        "late": selectors.callback_is_late(task, now),
    }


def appeal_for(request: HttpRequest, appeal_id: int, *, write: bool = True) -> Appeal:
    """The appeal in the caller's scope (NotFound outside it)."""
    return selectors.appeal_get_for(request.user, appeal_id, write=write)


def respond(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    """The appeal's detail as the caller now sees it, read afresh."""
    return appeal_detail(request, selectors.appeal_detail(request.user, appeal.pk))
