"""Care and mediation API (mounted under /api/care): the visitor's day and recording a visit or call, care plans
(confirm a level; the full read of one is audited), and mediation cases from opening to the follow-up. Objects
come through the scoping selectors (outside the caller's scope: 404); lists mask names and phones; every write
goes through the same services as the pages. Refusals answer with the stable `code` of core.errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.errors import PermissionDenied
from linli.core.masking import mask_name, mask_phone
from linli.core.scoping import get_or_404, is_staff_member
from linli.territory.schemas import ErrorOut
from linli.territory.selectors import grids_visible_to, resident_get_for

from . import selectors, services
from .models import CareContact, CarePlan, MediationCase

router = Router(tags=["care"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareContactOut(Schema):
    id: int
    kind: str
    due_on: dt.date
    state: str
    plan_id: int
    resident: str
    level: str
    address: str
    done_at: dt.datetime | None
    distance_m: int | None


class RecordIn(Schema):
    found: str
    needs_raised: str = ""
    lng: float | None = None
    lat: float | None = None


class PlanOut(Schema):
    id: int
    resident_id: int
    resident: str
    level: str
    proposed_level: str
    grid: str
    reassess_on: dt.date


class PlanDetailOut(PlanOut):
    reason: str
    proposal_reasons: str
    needs: str
    emergency_contact: str
    emergency_phone: str
    caregiver: str | None


class PlanIn(Schema):
    level: str
    reason: str
    ill: bool = False
    no_family_support: bool = False
    needs: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""


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


class PartyOut(Schema):
    side: str
    name: str
    phone: str


class CaseDetailOut(CaseOut):
    summary: str
    place: str
    parties: list[PartyOut]
    sessions: int
    agreement_terms: str | None
    follow_up_on: dt.date | None


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


def _staff(request: HttpRequest) -> User:
    if isinstance(request.user, AnonymousUser) or not is_staff_member(request.user):
        raise PermissionDenied(_("This part of Linli is for community staff only."))
    return request_account(request)


def _contact(c: CareContact) -> dict[str, Any]:
    household = c.plan.resident.household
    return {
        "id": c.pk,
        "kind": c.kind,
        "due_on": c.due_on,
        "state": c.state,
        "plan_id": c.plan_id,
        "resident": c.plan.resident.name,
        "level": c.plan.level,
        "address": household.address if household else "",
        "done_at": c.done_at,
        "distance_m": c.distance_m,
    }


def _plan(p: CarePlan, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.pk,
        "resident_id": p.resident_id,
        "resident": p.resident.name if full else mask_name(p.resident.name),
        "level": p.level,
        "proposed_level": p.proposed_level,
        "grid": p.grid.name,
        "reassess_on": p.reassess_on,
    }
    if full:
        out |= {
            "reason": p.reason,
            "proposal_reasons": p.proposal_reasons,
            "needs": p.needs,
            "emergency_contact": p.emergency_contact,
            "emergency_phone": p.emergency_phone,
            "caregiver": str(p.caregiver) if p.caregiver else None,
        }
    return out


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
    }


def _case_full(c: MediationCase) -> dict[str, Any]:
    agreement = getattr(c, "agreement", None)
    return _case(c) | {
        "summary": c.summary,
        "place": c.place,
        "parties": [{"side": p.side, "name": p.name, "phone": p.phone} for p in c.parties.all()],
        "sessions": len(c.sessions.all()),
        "agreement_terms": agreement.terms if agreement else None,
        "follow_up_on": c.follow_up_on,
    }


@router.get("/today", response=list[CareContactOut])
def today(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's visits and calls due today or overdue, and those done today."""
    user = _staff(request)
    return [_contact(c) for c in selectors.contacts_for_today(user, timezone.localdate())[:200]]


@router.post("/contacts/{contact_id}/record", response={200: CareContactOut, **ERRORS})
def contact_record(request: HttpRequest, contact_id: int, payload: RecordIn) -> dict[str, Any]:
    user = _staff(request)
    contact = selectors.contact_get_for(user, contact_id)
    services.care_contact_record(actor=user, contact=contact, **payload.dict())
    return _contact(selectors.contact_get_for(user, contact_id))


@router.get("/plans", response=list[PlanOut])
def plan_list(request: HttpRequest, level: str = "") -> list[dict[str, Any]]:
    """Care plans in the caller's scope, names masked (the plan's own endpoint is the audited full read)."""
    qs = selectors.plans_visible_to(_staff(request)).order_by("level", "id")
    if level:
        qs = qs.filter(level=level)
    return [_plan(p) for p in qs[:500]]


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan(selectors.plan_read_for(_staff(request), plan_id), full=True)


@router.post("/residents/{resident_id}/plan", response={200: PlanDetailOut, **ERRORS})
def plan_confirm(request: HttpRequest, resident_id: int, payload: PlanIn) -> dict[str, Any]:
    user = _staff(request)
    resident = resident_get_for(user, resident_id)
    plan = services.care_plan_confirm(actor=user, resident=resident, **payload.dict())
    return _plan(selectors.plan_read_for(user, plan.pk), full=True)


@router.get("/cases", response=list[CaseOut])
def case_list(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    """Mediation cases the caller may read (no parties: the case's own endpoint is the audited full read)."""
    qs = selectors.cases_visible_to(_staff(request)).order_by("-created_at", "-id")
    if state:
        qs = qs.filter(state=state)
    return [_case(c) for c in qs[:500]]


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_full(selectors.case_read_for(_staff(request), case_id))


@router.post("/cases", response={201: CaseDetailOut, **ERRORS})
def case_open(request: HttpRequest, payload: CaseIn) -> Status:
    user = _staff(request)
    grid = get_or_404(grids_visible_to(user), pk=payload.grid_id)
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
    user = _staff(request)
    services.session_record(actor=user, case=selectors.case_get_for(user, case_id), **payload.dict())
    return _case_full(selectors.case_read_for(user, case_id))


@router.post("/cases/{case_id}/agreement", response={200: CaseDetailOut, **ERRORS})
def agreement_sign(request: HttpRequest, case_id: int, payload: AgreementIn) -> dict[str, Any]:
    user = _staff(request)
    services.agreement_sign(actor=user, case=selectors.case_get_for(user, case_id), **payload.dict())
    return _case_full(selectors.case_read_for(user, case_id))


@router.post("/cases/{case_id}/follow-up", response={200: CaseDetailOut, **ERRORS})
def case_follow_up(request: HttpRequest, case_id: int, payload: FollowUpIn) -> dict[str, Any]:
    user = _staff(request)
    services.case_follow_up(actor=user, case=selectors.case_get_for(user, case_id), **payload.dict())
    return _case_full(selectors.case_read_for(user, case_id))


@router.post("/cases/{case_id}/close", response={200: CaseDetailOut, **ERRORS})
def case_close(request: HttpRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    user = _staff(request)
    services.case_close(actor=user, case=selectors.case_get_for(user, case_id), **payload.dict())
    return _case_full(selectors.case_read_for(user, case_id))


# ---- services for a person, alerts --------------------------------------------------------------------------


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
    user = _staff(request)
    plan = selectors.plan_read_for(user, plan_id)
    volunteer = (
        get_or_404(User.objects.filter(grids=plan.grid_id, is_active=True), pk=payload.volunteer_id)
        if payload.volunteer_id
        else None
    )
    service = services.care_service_order(
        actor=user,
        plan=plan,
        kind=payload.kind,
        provider=payload.provider,
        scheduled_on=payload.scheduled_on,
        volunteer=volunteer,
    )
    return Status(201, _service(service))


@router.post("/services/{service_id}/deliver", response={200: ServiceOut, **ERRORS})
def service_deliver(request: HttpRequest, service_id: int, payload: DeliverIn) -> dict[str, Any]:
    user = _staff(request)
    service = selectors.service_get_for(user, service_id)
    return _service(services.care_service_deliver(actor=user, service=service, **payload.dict()))


@router.post("/plans/{plan_id}/alert", response={201: AlertOut, **ERRORS})
def alert_raise(request: HttpRequest, plan_id: int, payload: AlertIn) -> Status:
    """One tap during a visit: an emergency work order is opened (its tracking number in `appeal_number`)."""
    user = _staff(request)
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


# ---- children's places, legal aid, the rota ------------------------------------------------------------------


class CarePlaceOut(Schema):
    id: int
    kind: str
    name: str
    community: str
    capacity: int
    taken: int
    waiting: int


class EnrolmentIn(Schema):
    child_name: str
    birth_date: dt.date
    guardian_name: str
    guardian_phone: str


class EnrolmentOut(Schema):
    id: int
    place_id: int
    child_name: str
    guardian_phone: str
    state: str


class LegalAidIn(Schema):
    grid_id: int
    applicant_name: str
    applicant_phone: str = ""
    matter: str
    summary: str
    low_income: bool = False


class LegalAidOut(Schema):
    id: int
    number: str
    matter: str
    state: str
    applicant: str
    eligibility: str
    lawyer: str | None
    outcome: str
    amount_recovered: Decimal


class RotaOut(Schema):
    id: int
    kind: str
    name: str
    organisation: str
    weekdays: str
    community: str
    on_duty_today: bool


@router.get("/children/places", response=list[CarePlaceOut])
def place_list(request: HttpRequest) -> list[dict[str, Any]]:
    qs = selectors.child_places_visible_to(_staff(request)).order_by("kind", "name")
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "name": p.name,
            "community": p.community.name,
            "capacity": p.capacity,
            "taken": p.taken,  # type: ignore[attr-defined]
            "waiting": p.waiting,  # type: ignore[attr-defined]
        }
        for p in qs
    ]


@router.post("/children/places/{place_id}/enrolments", response={201: EnrolmentOut, **ERRORS})
def enrolment_create(request: HttpRequest, place_id: int, payload: EnrolmentIn) -> Status:
    user = _staff(request)
    place = get_or_404(selectors.child_places_visible_to(user), pk=place_id)
    row = services.enrolment_create(actor=user, place=place, **payload.dict())
    return Status(
        201,
        {
            "id": row.pk,
            "place_id": row.place_id,
            "child_name": mask_name(row.child_name),
            "guardian_phone": mask_phone(row.guardian_phone),
            "state": row.state,
        },
    )


def _legal(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "matter": a.matter,
        "state": a.state,
        "applicant": mask_name(a.applicant_name),
        "eligibility": a.eligibility_note,
        "lawyer": a.lawyer.name if a.lawyer_id else None,
        "outcome": a.outcome,
        "amount_recovered": a.amount_recovered,
    }


@router.get("/legal-aid", response=list[LegalAidOut])
def legal_aid_list(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    """Legal-aid applications the caller may read, the applicant's name masked."""
    qs = selectors.legal_aid_visible_to(_staff(request)).order_by("-created_at", "-id")
    if state:
        qs = qs.filter(state=state)
    return [_legal(a) for a in qs[:500]]


@router.post("/legal-aid", response={201: LegalAidOut, **ERRORS})
def legal_aid_apply(request: HttpRequest, payload: LegalAidIn) -> Status:
    user = _staff(request)
    grid = get_or_404(grids_visible_to(user), pk=payload.grid_id)
    data = payload.dict()
    data.pop("grid_id")
    return Status(201, _legal(services.legal_aid_apply(actor=user, grid=grid, **data)))


@router.get("/rota", response=list[RotaOut])
def rota_list(request: HttpRequest) -> list[dict[str, Any]]:
    """三官两师 on the rota of the caller's communities, and whether each is on duty today."""
    today = str(timezone.localdate().isoweekday())
    qs = selectors.rota_visible_to(_staff(request)).filter(active=True).order_by("kind", "name")
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "name": p.name,
            "organisation": p.organisation,
            "weekdays": p.weekdays,
            "community": p.community.name,
            "on_duty_today": today in p.weekdays,
        }
        for p in qs
    ]
