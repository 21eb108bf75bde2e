"""Accounts API: a resident's sign-in by one-time code, the signed-in user, household claims (a resident's, and
those a community worker verifies), and the staff accounts of the caller's area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.clientip import client_ip
from linli.core.errors import ValidationFailed, invalid
from linli.core.masking import mask_phone
from linli.territory.schemas import ErrorOut, GridRef

from . import selectors, services
from .auth import request_account
from .models import HouseholdClaim, User

router = Router(tags=["accounts"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MeOut(Schema):
    id: int
    username: str
    name: str = Field(description="display name")
    role: str = Field(description="resident, grid_worker, community_worker, street_officer, ...")
    org_node_id: int | None = Field(description="the org node a staff member is attached to")
    organisation_id: int | None = Field(description="the department of a department handler")
    household_id: int | None = Field(description="a resident's verified household")
    household_verified: bool


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who you are signed in as, your role and what you are attached to."""
    return _me(request_account(request))


def _me(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "role": user.role,
        "org_node_id": user.org_node_id,
        "organisation_id": user.organisation_id,
        "household_id": user.household_id if user.household_verified_at else None,
        "household_verified": user.household_verified_at is not None,
    }


class StaffOut(Schema):
    id: int
    username: str
    name: str = Field(description="display name")
    role: str = Field(description="grid_worker, part_time_grid_worker, grid_leader, building_captain, ...")
    org_node_id: int
    org_node: str = Field(description="the community, compound or street the account is attached to")
    building_id: int | None = Field(description="the building a building captain looks after")
    grids: list[GridRef] = Field(description="the grids the account works in")
    phone: str = Field(description="masked, e.g. 139****1111")
    is_active: bool = Field(description="false: switched off, cannot sign in")
    last_login: dt.datetime | None


class StaffPage(Schema):
    count: int
    items: list[StaffOut]


def _staff_out(u: User) -> dict[str, Any]:
    assert u.org_node is not None  # staff_visible_to lists only accounts placed in the tree
    return {
        "id": u.pk,
        "username": u.username,
        "name": str(u),
        "role": u.role,
        "org_node_id": u.org_node_id,
        "org_node": u.org_node.name,
        "building_id": u.building_id,
        "grids": [{"id": g.pk, "code": g.code, "name": g.name, "kind": g.kind} for g in u.grids.all()],
        "phone": mask_phone(u.phone),
        "is_active": u.is_active,
        "last_login": u.last_login,
    }


@router.get("/staff", response=StaffPage, summary="Staff accounts of your area")
def staff(
    request: HttpRequest,
    q: str = Query(
        "", max_length=50, description="a part of the name or user name, or a number's last 4+ digits"
    ),
    role: str = Query("", description="one staff role: grid_worker, community_worker, street_officer, ..."),
    state: str = Query("", description="on (can sign in) or off (switched off); both when empty"),
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """The staff accounts placed in your area (switched off ones too), by place, role and user name, a page at a
    time, phones masked: what /accounts/staff/ lists, with its filters. For community workers, street officers,
    district leaders and administrators (403 for anyone else); a role or state not one of these, 422."""
    if role and role not in dict(selectors.STAFF_ROLES):
        raise invalid("role", _("“%(value)s” is not a staff role.") % {"value": role})
    if state and state not in selectors.STAFF_STATES:
        raise invalid("state", _("The state is on or off."))
    rows = selectors.staff_found(
        selectors.staff_visible_to(staff_caller(request)), text=q, role=role, state=state
    )
    return page(rows, limit, offset, _staff_out)


# --- a resident's sign-in by one-time code ----------------------------------------------------------------------


class CodeRequestIn(Schema):
    phone: str = Field(description="a mainland mobile number: 13800001111, +86 138 0000 1111")


class CodeSentOut(Schema):
    phone_masked: str = Field(description="the number the code went to, masked: 138****1111")
    expires_at: dt.datetime = Field(description="the code is refused after this")
    resend_after: dt.datetime = Field(description="no other code is sent to this number before this")


class CodeCheckIn(Schema):
    phone: str
    code: str = Field(description="the six digits of the SMS")


class SignedInOut(Schema):
    account: MeOut
    csrf_token: str = Field(description="send it as the X-CSRFToken header with every write of this session")
    session_expires_at: dt.datetime = Field(description="sign in again after this")


class JsonRequired(ValidationFailed):
    code = "json_required"
    status = 415


@router.post(
    "/sign-in/code",
    response={200: CodeSentOut, **ERRORS},
    auth=None,
    summary="Send a resident a sign-in code",
)
def sign_in_code(request: HttpRequest, payload: CodeRequestIn) -> dict[str, Any]:
    """Sends a six-digit code by SMS to a mobile number, as the phone sign-in page does, with its limits: one a
    minute (`otp_too_soon`, `extra.retry_after` in seconds) and ten a day (`otp_daily_limit`)."""
    sent = services.otp_request(phone=payload.phone)
    return {
        "phone_masked": mask_phone(sent.phone),
        "expires_at": sent.expires_at,
        "resend_after": sent.resend_after,
    }


@router.post(
    "/sign-in",
    response={200: SignedInOut, 415: ErrorOut, **ERRORS},
    auth=None,
    summary="Sign a resident in with the code",
)
def sign_in(request: HttpRequest, payload: CodeCheckIn) -> dict[str, Any]:
    """Checks the code sent to the number and signs the resident in (the account is made on the first sign-in):
    the answer sets the session cookie, which later calls send, and gives the CSRF token every write of the
    session sends as `X-CSRFToken`. Refused as on the page: `otp_wrong` (with `extra.attempts_left`), `otp_void`
    (none sent, expired, used, or entered wrongly five times), 403 for a disabled account; 415 for a body not sent
    as `application/json`, which no form of another site can send."""
    if request.content_type != "application/json":
        raise JsonRequired(_("Send the request as JSON (Content-Type: application/json)."))
    user = services.otp_verify(phone=payload.phone, code=payload.code, ip=client_ip(request) or None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return {
        "account": _me(user),
        "csrf_token": get_token(request),
        "session_expires_at": request.session.get_expiry_date(),
    }


@router.post("/sign-out", response={204: None}, summary="End the session")
def sign_out(request: HttpRequest) -> Status:
    """Ends the session the call is made with (an API key stays valid until an administrator revokes it)."""
    logout(request)
    return Status(204, None)


# --- household claims -------------------------------------------------------------------------------------------


class HouseholdClaimIn(Schema):
    address: str = Field(max_length=200, description="the building's address as on the door plate")
    unit: int | None = Field(
        None, ge=1, le=99, description="the entrance (单元), when the room number repeats"
    )
    room: str = Field(max_length=20, description="the room number: 101, 101室")
    name: str = Field(max_length=50, description="the claimant's name as registered with the community")


class MyHouseholdClaimOut(Schema):
    id: int
    household_address: str = Field(description="the household the claim names, as registered")
    address_text: str = Field(description="the address as the resident wrote it")
    claimant_name: str
    status: str = Field(description="pending, approved or rejected")
    status_label: str
    reason: str = Field(description="why it was rejected")
    created_at: dt.datetime
    decided_at: dt.datetime | None


class MyHouseholdClaimPage(Schema):
    count: int
    items: list[MyHouseholdClaimOut]


class HouseholdClaimOut(MyHouseholdClaimOut):
    household_id: int
    grid: GridRef
    phone: str = Field(description="the claimant's mobile number, masked")
    name_matches: bool = Field(description="the name given is registered in the household")
    decided_by: str | None = Field(description="who approved or rejected it")


class HouseholdClaimPage(Schema):
    count: int
    items: list[HouseholdClaimOut]


class ClaimRejectIn(Schema):
    reason: str = Field(description="said to the resident, at most 200 characters")


def _my_claim_out(c: HouseholdClaim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "household_address": c.household.address,
        "address_text": c.address_text,
        "claimant_name": c.claimant_name,
        "status": c.status,
        "status_label": c.get_status_display(),
        "reason": c.reason,
        "created_at": c.created_at,
        "decided_at": c.decided_at,
    }


def _claim_out(c: HouseholdClaim) -> dict[str, Any]:
    grid = c.household.building.grid
    return {
        **_my_claim_out(c),
        "household_id": c.household_id,
        "grid": {"id": grid.pk, "code": grid.code, "name": grid.name, "kind": grid.kind},
        "phone": mask_phone(c.account.phone),
        "name_matches": bool(getattr(c, "name_matches", False)),
        "decided_by": str(c.decided_by) if c.decided_by else None,
    }


@router.post("/household-claims", response={201: MyHouseholdClaimOut, **ERRORS}, summary="Claim a household")
def household_claim(request: HttpRequest, payload: HouseholdClaimIn) -> Status:
    """A signed-in resident claims the household they live in, named as on the door plate (building address,
    entrance, room) with their name as registered; a community worker verifies it. As the claim page: one claim
    waits at a time (409 `claim_pending`); an address, room or entrance that names no one household is refused
    with the field to correct (`extra.field`)."""
    user = services.claimant(request_account(request))
    household = selectors.household_for_claim(payload.address, payload.room, payload.unit)
    claim = services.household_claim(
        actor=user, household=household, claimant_name=payload.name, address_text=payload.address
    )
    return Status(201, _my_claim_out(claim))


@router.get("/household-claims/mine", response=MyHouseholdClaimPage, summary="My household claims")
def household_claims_mine(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The caller's own claims, the newest first, each with its state and, when rejected, why."""
    return page(selectors.claims_of_account(request_account(request)), limit, offset, _my_claim_out)


def _verifier(request: HttpRequest) -> User:
    """As the verification page: staff only, then a community worker or administrator."""
    return services.claim_verifier(staff_caller(request))


@router.get("/household-claims", response={200: HouseholdClaimPage, **ERRORS}, summary="Claims to verify")
def household_claims_waiting(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The claims waiting in your area, the oldest first: what /accounts/verifications/ lists. For community
    workers and administrators (403 for anyone else); phones masked."""
    return page(selectors.household_claims_pending_for(_verifier(request)), limit, offset, _claim_out)


@router.post(
    "/household-claims/{claim_id}/approve",
    response={200: HouseholdClaimOut, **ERRORS},
    summary="Approve a claim",
)
def household_claim_approve(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    """Ties the resident's account to the household. A claim outside your area is 404, one decided already 409."""
    user = _verifier(request)
    claim = selectors.household_claim_get_for(user, claim_id)
    services.household_claim_verify(actor=user, claim=claim, ip=client_ip(request) or None)
    return _claim_out(selectors.household_claim_get_for(user, claim_id))


@router.post(
    "/household-claims/{claim_id}/reject",
    response={200: HouseholdClaimOut, **ERRORS},
    summary="Reject a claim",
)
def household_claim_reject(request: HttpRequest, claim_id: int, payload: ClaimRejectIn) -> dict[str, Any]:
    """Rejects the claim with a reason the resident reads. A claim outside your area is 404, one decided already
    409."""
    user = _verifier(request)
    claim = selectors.household_claim_get_for(user, claim_id)
    services.household_claim_reject(
        actor=user, claim=claim, reason=payload.reason, ip=client_ip(request) or None
    )
    return _claim_out(selectors.household_claim_get_for(user, claim_id))
