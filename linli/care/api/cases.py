"""Mediation cases from opening to the follow-up (the full read of one is audited; lists carry no parties)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param
from linli.core.api_refs import body_ref
from linli.territory.selectors import grids_visible_to

from .. import selectors, services
from ..models import MediationCase
from .common import ERRORS, listed, router


class PartyIn(Schema):
    side: str
    name: str
    phone: str = ""


class CaseIn(Schema):
    grid_id: int
    kind: str
    source: str
    summary: str
    place: str = ""
    appeal_number: str = ""
    parties: list[PartyIn]


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    source: str
    state: str
    outcome: str
    grid: str
    amount_recovered: Decimal
    created_at: dt.datetime
    summary: str
    follow_up_on: dt.date | None


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class PartyOut(Schema):
    side: str
    name: str
    phone: str


class CaseDetailOut(CaseOut):
    place: str
    parties: list[PartyOut]
    sessions: int
    agreement_terms: str | None


class SessionIn(Schema):
    held_at: dt.datetime
    attendees: str
    notes: str


class AgreementIn(Schema):
    terms: str
    signed_on: dt.date
    amount: Decimal = Decimal(0)
    follow_up_on: dt.date | None = None


class FollowUpIn(Schema):
    note: str
    holds: bool
    amount_recovered: Decimal = Decimal(0)


class CloseIn(Schema):
    outcome: str
    note: str


def _case(c: MediationCase) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "kind": c.kind,
        "source": c.source,
        "state": c.state,
        "outcome": c.outcome,
        "grid": c.grid.name,
        "amount_recovered": c.amount_recovered,
        "created_at": c.created_at,
        "summary": c.summary,
        "follow_up_on": c.follow_up_on,
    }


def _case_full(c: MediationCase) -> dict[str, Any]:
    agreement = getattr(c, "agreement", None)
    return _case(c) | {
        "place": c.place,
        "parties": [{"side": p.side, "name": p.name, "phone": p.phone} for p in c.parties.all()],
        "sessions": len(c.sessions.all()),
        "agreement_terms": agreement.terms if agreement else None,
    }


def _case_act(
    request: HttpRequest, case_id: int, service: Callable[..., Any], payload: Schema
) -> dict[str, Any]:
    """One step of a case (the service looks the case up again and locks it): the case as it is now."""
    user = staff_caller(request)
    service(actor=user, case=selectors.case_get_for(user, case_id), **payload.dict())
    return _case_full(selectors.case_read_for(user, case_id))


@router.get("/cases", response=CasePage)
def case_list(
    request: HttpRequest,
    state: str = "",
    follow_up: Literal["", "due"] = "",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> Any:
    """Mediation cases the caller may read, the latest first, a page at a time (no parties: the case's own
    endpoint is the audited full read); `follow_up=due`: the signed agreements whose follow-up visit falls today or
    earlier, the earliest first (the page's 待回访)."""
    user = staff_caller(request)
    if follow_up:
        due = selectors.cases_follow_up_due(user, timezone.localdate()).order_by("follow_up_on", "id")
        return listed(due, _case, limit, offset)
    qs = selectors.cases_visible_to(user).order_by("-created_at", "-id")
    return listed(qs, _case, limit, offset, state=state)


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_full(selectors.case_read_for(staff_caller(request), case_id))


@router.post("/cases", response={201: CaseDetailOut, **ERRORS})
def case_open(request: HttpRequest, payload: CaseIn) -> Status:
    user = staff_caller(request)
    grid = body_ref("grid_id", grids_visible_to(user), payload.grid_id)
    case = services.case_open(
        actor=user,
        grid=grid,
        kind=payload.kind,
        source=payload.source,
        summary=payload.summary,
        place=payload.place,
        appeal_number=payload.appeal_number,
        parties=[p.dict() for p in payload.parties],
    )
    return Status(201, _case_full(selectors.case_read_for(user, case.pk)))


@router.post("/cases/{case_id}/sessions", response={200: CaseDetailOut, **ERRORS})
def session_record(request: HttpRequest, case_id: int, payload: SessionIn) -> dict[str, Any]:
    return _case_act(request, case_id, services.session_record, payload)


@router.post("/cases/{case_id}/agreement", response={200: CaseDetailOut, **ERRORS})
def agreement_sign(request: HttpRequest, case_id: int, payload: AgreementIn) -> dict[str, Any]:
    return _case_act(request, case_id, services.agreement_sign, payload)


@router.post("/cases/{case_id}/follow-up", response={200: CaseDetailOut, **ERRORS})
def case_follow_up(request: HttpRequest, case_id: int, payload: FollowUpIn) -> dict[str, Any]:
    return _case_act(request, case_id, services.case_follow_up, payload)


@router.post("/cases/{case_id}/close", response={200: CaseDetailOut, **ERRORS})
def case_close(request: HttpRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    return _case_act(request, case_id, services.case_close, payload)
