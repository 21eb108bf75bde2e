"""Children's places and their sign-ups, legal-aid applications, the rota of professionals on call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param
from linli.core.api_refs import body_ref
from linli.core.masking import mask_name, mask_phone
from linli.core.scoping import get_or_404
from linli.territory.selectors import grids_visible_to

from .. import selectors, services
from .common import ERRORS, listed, router


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


class LegalAidPage(Schema):
    count: int
    items: list[LegalAidOut]


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
    qs = selectors.child_places_visible_to(staff_caller(request)).order_by("kind", "name")
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
    user = staff_caller(request)
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


@router.get("/legal-aid", response=LegalAidPage)
def legal_aid_list(
    request: HttpRequest, state: str = "", limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """Legal-aid applications the caller may read, the latest first, a page at a time, the applicant's name
    masked."""
    qs = selectors.legal_aid_visible_to(staff_caller(request)).order_by("-created_at", "-id")
    return listed(qs, _legal, limit, offset, state=state)


@router.post("/legal-aid", response={201: LegalAidOut, **ERRORS})
def legal_aid_apply(request: HttpRequest, payload: LegalAidIn) -> Status:
    user = staff_caller(request)
    grid = body_ref("grid_id", grids_visible_to(user), payload.grid_id)
    data = payload.dict()
    data.pop("grid_id")
    return Status(201, _legal(services.legal_aid_apply(actor=user, grid=grid, **data)))


@router.get("/rota", response=list[RotaOut])
def rota_list(request: HttpRequest) -> list[dict[str, Any]]:
    """三官两师 on the rota of the caller's communities, and whether each is on duty today."""
    today = str(timezone.localdate().isoweekday())
    qs = selectors.rota_visible_to(staff_caller(request)).filter(active=True).order_by("kind", "name")
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
