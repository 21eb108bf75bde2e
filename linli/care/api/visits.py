"""The visitor's day and recording a visit or call; care plans (confirm a level; the full read of one is audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.masking import mask_name
from linli.core.scoping import signed_in_account
from linli.territory.selectors import resident_get_for

from .. import selectors, services
from ..choices import ContactState
from ..models import CareContact, CarePlan
from ..visitors import visitors_for
from .common import ERRORS, account, listed, router


class AttemptOut(Schema):
    outcome: str
    at: dt.datetime


class CareContactOut(Schema):
    id: int
    kind: str
    due_on: dt.date
    state: str
    outcome: str | None  # reached or refused once done; null while open or covered
    attempts: list[AttemptOut]
    plan_id: int
    resident: str
    level: str
    address: str
    done_at: dt.datetime | None
    distance_m: int | None
    assignee: str | None
    assignee_kind: str


class CareContactPage(Schema):
    count: int
    items: list[CareContactOut]


class RecordIn(Schema):
    # reached | refused close the contact; not_at_home (a visit) | no_answer (a call) record an attempt.
    outcome: str = "reached"
    found: str = ""
    needs_raised: str = ""
    lng: float | None = None
    lat: float | None = None
    minutes: int | None = None


class VisitorOut(Schema):
    account_id: int
    kind: str
    name: str


class VisitorIn(Schema):
    account_id: int | None = None


class ReassessmentOut(Schema):
    plan_id: int
    resident_id: int
    resident: str
    level: str
    grid: str
    reassess_on: dt.date
    due: bool
    overdue: bool


class ReassessmentPage(Schema):
    count: int
    items: list[ReassessmentOut]


class PlanOut(Schema):
    id: int
    resident_id: int
    resident: str
    level: str
    proposed_level: str
    grid: str
    reassess_on: dt.date


class PlanPage(Schema):
    count: int
    items: list[PlanOut]


class PlanDetailOut(PlanOut):
    reason: str
    proposal_reasons: str
    needs: str
    emergency_contact: str
    emergency_phone: str
    caregiver: str | None
    caregiver_kind: str


class PlanIn(Schema):
    level: str
    reason: str
    ill: bool = False
    no_family_support: bool = False
    needs: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""
    caregiver_id: int | None = None


def _contact(c: CareContact) -> dict[str, Any]:
    household = c.plan.resident.household
    return {
        "id": c.pk,
        "kind": c.kind,
        "due_on": c.due_on,
        "state": c.state,
        "outcome": c.outcome if c.state == ContactState.DONE else None,  # open or covered: nothing recorded
        "attempts": [{"outcome": a.outcome, "at": a.at} for a in c.attempts.all()],
        "plan_id": c.plan_id,
        "resident": c.plan.resident.name,
        "level": c.plan.level,
        "address": household.address if household else "",
        "done_at": c.done_at,
        "distance_m": c.distance_m,
        "assignee": str(c.assignee) if c.assignee else None,
        "assignee_kind": c.assignee_kind,
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
            "caregiver_kind": p.caregiver_kind,
        }
    return out


@router.get("/today", response=CareContactPage)
def today(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """The caller's visits and calls due today or overdue, and those done today (a volunteer or party member: the
    ones assigned to them), red first and the late ones first within a colour, a page at a time."""
    qs = selectors.contacts_for_today(signed_in_account(request.user), timezone.localdate())
    return page(qs, limit, offset, _contact)  # by level, lateness and due date, then id


@router.post("/contacts/{contact_id}/record", response={200: CareContactOut, **ERRORS})
def contact_record(request: HttpRequest, contact_id: int, payload: RecordIn) -> dict[str, Any]:
    """Record a visit or call: its visitor (a volunteer or member: within reach of the home, by the phone's
    position), or a worker of the area. `outcome` reached or refused closes it; not_at_home (a visit) or
    no_answer (a call) records an attempt and leaves it open (`attempts` lists them)."""
    user = signed_in_account(request.user)
    contact = selectors.contact_get_for(user, contact_id)
    services.care_contact_record(actor=user, contact=contact, **payload.dict())
    return _contact(selectors.contact_get_for(user, contact_id))


@router.post("/contacts/{contact_id}/cover", response={200: CareContactOut, **ERRORS})
def contact_cover(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    """Close an escalated visit or call as covered by the later one of the kind that reached the person (409
    when it is not escalated or nobody reached them since). Missed ones are covered when the person is reached."""
    user = signed_in_account(request.user)
    contact = selectors.contact_get_for(user, contact_id)
    services.care_contact_cover(actor=user, contact=contact)
    return _contact(selectors.contact_get_for(user, contact_id))


@router.get("/plans", response=PlanPage)
def plan_list(
    request: HttpRequest, level: str = "", limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """Care plans in the caller's scope, names masked (the plan's own endpoint is the audited full read), a page
    at a time."""
    qs = selectors.plans_visible_to(staff_caller(request)).order_by("level", "id")
    return listed(qs, _plan, limit, offset, level=level)


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan(selectors.plan_read_for(staff_caller(request), plan_id), full=True)


@router.post("/residents/{resident_id}/plan", response={200: PlanDetailOut, **ERRORS})
def plan_confirm(request: HttpRequest, resident_id: int, payload: PlanIn) -> dict[str, Any]:
    user = staff_caller(request)
    resident = resident_get_for(user, resident_id)
    data = payload.dict()
    caregiver = account("caregiver_id", data.pop("caregiver_id"))
    plan = services.care_plan_confirm(actor=user, resident=resident, caregiver=caregiver, **data)
    return _plan(selectors.plan_read_for(user, plan.pk), full=True)


@router.get("/plans/{plan_id}/visitors", response={200: list[VisitorOut], **ERRORS})
def plan_visitors(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """Who the caller may assign the plan's visits to: the grid's workers, the community's volunteers and party
    members who have an account."""
    user = staff_caller(request)
    plan = selectors.plan_get_for(user, plan_id)
    return [
        {"account_id": v.account.pk, "kind": v.kind, "name": v.name} for v in visitors_for(user, plan.grid)
    ]


@router.put("/plans/{plan_id}/visitor", response={200: PlanDetailOut, **ERRORS})
def plan_visitor_set(request: HttpRequest, plan_id: int, payload: VisitorIn) -> dict[str, Any]:
    """Who visits from today on (null: the grid's grid worker); the open visits and calls from today go to them."""
    user = staff_caller(request)
    plan = selectors.plan_get_for(user, plan_id)
    services.care_plan_visitor_set(actor=user, plan=plan, visitor=account("account_id", payload.account_id))
    return _plan(selectors.plan_read_for(user, plan_id), full=True)


@router.post("/contacts/{contact_id}/assign", response={200: CareContactOut, **ERRORS})
def contact_assign(request: HttpRequest, contact_id: int, payload: VisitorIn) -> dict[str, Any]:
    user = staff_caller(request)
    contact = selectors.contact_get_for(user, contact_id)
    services.care_contact_assign(
        actor=user, contact=contact, assignee=account("account_id", payload.account_id)
    )
    return _contact(selectors.contact_get_for(user, contact_id))


@router.get("/reassessments", response=ReassessmentPage)
def reassessments(
    request: HttpRequest, days: int = 14, limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """Plans whose reassessment is overdue or falls due within `days`, the most overdue first (names masked), a
    page at a time."""
    user = staff_caller(request)
    today = timezone.localdate()

    def row(p: CarePlan) -> dict[str, Any]:
        return {
            "plan_id": p.pk,
            "resident_id": p.resident_id,
            "resident": mask_name(p.resident.name),
            "level": p.level,
            "grid": p.grid.name,
            "reassess_on": p.reassess_on,
            "due": p.reassess_on <= today,
            "overdue": p.reassess_on < today,
        }

    qs = selectors.reassessments_due(user, today, within_days=max(0, min(days, 90)))
    return page(qs, limit, offset, row)  # by due date, then id
