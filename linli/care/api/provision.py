"""Services for a person in care (booked, delivered) and the one-tap alert from a visit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.scoping import signed_in_account

from .. import selectors, services
from .common import ERRORS, account, router


class ServiceIn(Schema):
    kind: str
    provider: str
    scheduled_on: dt.date
    volunteer_id: int | None = None


class ServiceOut(Schema):
    id: int
    plan_id: int
    kind: str
    provider: str
    scheduled_on: dt.date
    state: str
    hours: Decimal
    volunteer: str | None


class ServicePage(Schema):
    count: int
    items: list[ServiceOut]


class DeliverIn(Schema):
    hours: Decimal
    note: str


class AlertIn(Schema):
    kind: str
    note: str = ""


class AlertOut(Schema):
    id: int
    plan_id: int
    kind: str
    source: str
    appeal_number: str
    created_at: dt.datetime


def _service(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "plan_id": s.plan_id,
        "kind": s.kind,
        "provider": s.provider,
        "scheduled_on": s.scheduled_on,
        "state": s.state,
        "hours": s.hours,
        "volunteer": str(s.volunteer) if s.volunteer_id else None,
    }


@router.post("/plans/{plan_id}/services", response={201: ServiceOut, **ERRORS})
def service_order(request: HttpRequest, plan_id: int, payload: ServiceIn) -> Status:
    user = staff_caller(request)
    plan = selectors.plan_read_for(user, plan_id)
    volunteer = account("volunteer_id", payload.volunteer_id)
    service = services.care_service_order(
        actor=user,
        plan=plan,
        kind=payload.kind,
        provider=payload.provider,
        scheduled_on=payload.scheduled_on,
        volunteer=volunteer,
    )
    return Status(201, _service(service))


@router.get("/services/today", response=ServicePage)
def services_today(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """The services the caller gives (a volunteer, a party member or a worker) booked for today or earlier and
    not yet given, the oldest first, a page at a time."""
    qs = selectors.services_for_today(signed_in_account(request.user), timezone.localdate())
    return page(qs, limit, offset, _service)  # by day, then id


@router.post("/services/{service_id}/deliver", response={200: ServiceOut, **ERRORS})
def service_deliver(request: HttpRequest, service_id: int, payload: DeliverIn) -> dict[str, Any]:
    """The service was given (by whoever gives it, a volunteer or member too, or a worker of the area)."""
    user = signed_in_account(request.user)
    service = selectors.service_get_for(user, service_id)
    return _service(services.care_service_deliver(actor=user, service=service, **payload.dict()))


@router.post("/plans/{plan_id}/alert", response={201: AlertOut, **ERRORS})
def alert_raise(request: HttpRequest, plan_id: int, payload: AlertIn) -> Status:
    """One tap during a visit (the visitor may be a volunteer or member): an emergency work order is opened (its
    tracking number in `appeal_number`)."""
    user = signed_in_account(request.user)
    plan = selectors.plan_read_for(user, plan_id)
    alert = services.care_alert_raise(actor=user, plan=plan, source="visit", **payload.dict())
    return Status(
        201,
        {
            "id": alert.pk,
            "plan_id": alert.plan_id,
            "kind": alert.kind,
            "source": alert.source,
            "appeal_number": alert.appeal_number,
            "created_at": alert.created_at,
        },
    )
