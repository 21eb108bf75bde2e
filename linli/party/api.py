"""Party API (mounted under /api/party): organisations, members, member registration (双报到), beacon households,
partner units, member points, branch stars and their rules; under /branch a branch secretary's own branch
(`branch_api`). Every object is read through the scoping selectors (outside the caller's area: 404 in the path,
422 on its field in the body, `core.api_refs`) and every
write goes through the same services as the pages. Registering online and a member's own view are public."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Router

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref
from linli.core.errors import ValidationFailed
from linli.core.masking import mask_phone
from linli.core.scoping import ScopedUser
from linli.territory.schemas import ErrorOut
from linli.territory.selectors import buildings_visible_to, grids_visible_to, residents_visible_to

from . import indicators, permissions, selectors, services, waits
from .api_shapes import rating_out as _rating
from .api_shapes import ref as _ref
from .branch_api import router as branch_router
from .choices import MEMBER_POINTS_DEFAULTS, MemberPointsKind
from .filters import StarFilters
from .member_api import router as member_router
from .models import (
    BeaconHousehold,
    MemberPointsEntry,
    MemberRegistration,
    PartnerPairing,
    PartyMember,
    PartyOrg,
)
from .schemas import (
    ApplyIn,
    BeaconIn,
    BeaconOut,
    BeaconPage,
    EndIn,
    LeaveIn,
    MemberDetailOut,
    MemberIn,
    MemberPage,
    MemberPatch,
    MyRegistrationOut,
    MyRegistrationPage,
    PairingIn,
    PairingOut,
    PairingPage,
    PartyOrgIn,
    PartyOrgOut,
    PartyOrgPage,
    PartyOrgPatch,
    PointsEntryOut,
    PointsEntryPage,
    PointsGrantIn,
    PositionIn,
    PostIn,
    RefuseIn,
    RegistrationOut,
    RegistrationPage,
    StarApproveIn,
    StarComputeIn,
    StarRatingOut,
    StarRatingPage,
    StarReturnIn,
    StarRulesIn,
    StarRulesOut,
    TransferIn,
)

router = Router(tags=["party"])
router.add_router("/branch", branch_router)  # 我的支部: a branch secretary's own branch
router.add_router("/me", member_router)  # 我的党员信息: a member's own record and points
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _org(o: PartyOrg) -> dict[str, Any]:
    return {
        "id": o.pk,
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "category": o.category,
        "name": o.name,
        "parent": _ref(o.parent),
        "org_node": _ref(o.org_node),
        "grid": _ref(o.grid),
        "building": _ref(o.building),
        "property_company": _ref(o.property_company),
        "secretary": o.secretary,
    }


def _related(user: ScopedUser, payload: PartyOrgPatch) -> dict[str, Any]:
    return {
        "name": payload.name,
        "org_node": body_ref("org_node_id", selectors.attach_nodes_for(user), payload.org_node_id),
        "parent": body_ref("parent_id", selectors.party_org_parents_for(user), payload.parent_id),
        "grid": body_ref("grid_id", grids_visible_to(user), payload.grid_id),
        "building": body_ref("building_id", buildings_visible_to(user), payload.building_id),
        "category": payload.category,
        "property_company": body_ref(
            "property_company_id", selectors.property_companies_for(user), payload.property_company_id
        ),
    }


@router.get("/orgs", response=PartyOrgPage)
def org_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The organisations of the caller's area, down the tree (by area, kind, name), a page at a time."""
    qs = selectors.party_orgs_visible_to(staff_caller(request))
    return page(qs.order_by("org_node__path", "kind", "name", "pk"), limit, offset, _org)


@router.get("/orgs/{org_id}", response={200: PartyOrgOut, **ERRORS})
def org_detail(request: HttpRequest, org_id: int) -> dict[str, Any]:
    return _org(selectors.party_org_get_for(staff_caller(request), org_id))


@router.post("/orgs", response={201: PartyOrgOut, **ERRORS})
def org_create(request: HttpRequest, payload: PartyOrgIn) -> tuple[int, dict[str, Any]]:
    user = staff_caller(request)
    org = services.party_org_create(actor=user, kind=payload.kind, **_related(user, payload))
    return 201, _org(org)


@router.patch("/orgs/{org_id}", response={200: PartyOrgOut, **ERRORS})
def org_update(request: HttpRequest, org_id: int, payload: PartyOrgPatch) -> dict[str, Any]:
    user = staff_caller(request)
    org = selectors.party_org_get_for(user, org_id)
    return _org(services.party_org_update(actor=user, org=org, **_related(user, payload)))


# --- members -------------------------------------------------------------------------------------------------


def _member(m: PartyMember, *, history: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m.pk,
        "name": m.name,
        "party_org": _ref(m.party_org),
        "status": m.status,
        "position": m.position,
        "phone": mask_phone(m.phone),
        "joined_on": m.joined_on,
        "left_on": m.left_on,
        "workplace": m.workplace,
    }
    if history:
        out["history"] = [
            {
                "kind": e.kind,
                "on": e.on,
                "from_org": _ref(e.from_org),
                "to_org": _ref(e.to_org),
                "position": e.position,
                "note": e.note,
            }
            for e in selectors.member_history(m)
        ]
    return out


@router.get("/members", response=MemberPage)
def member_list(
    request: HttpRequest,
    org_id: int | None = None,
    status: str = "active",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """The members of the caller's area (`status`: active unless asked; `org_id`: one organisation's) in the order
    they were entered, a page at a time."""
    qs = selectors.party_members_visible_to(staff_caller(request)).filter(status=status)
    if org_id is not None:
        qs = qs.filter(party_org_id=org_id)
    return page(qs.order_by("pk"), limit, offset, _member)


@router.get("/members/{member_id}", response={200: MemberDetailOut, **ERRORS})
def member_detail(request: HttpRequest, member_id: int) -> dict[str, Any]:
    return _member(selectors.party_member_get_for(staff_caller(request), member_id), history=True)


@router.post("/members", response={201: MemberDetailOut, **ERRORS})
def member_join(request: HttpRequest, payload: MemberIn) -> tuple[int, dict[str, Any]]:
    user = staff_caller(request)
    member = services.party_member_create(
        actor=user,
        name=payload.name,
        party_org=body_ref("party_org_id", selectors.party_orgs_visible_to(user), payload.party_org_id),
        resident=body_ref("resident_id", residents_visible_to(user), payload.resident_id),
        phone=payload.phone,
        joined_on=payload.joined_on,
        workplace=payload.workplace,
    )
    return 201, _member(member, history=True)


@router.patch("/members/{member_id}", response={200: MemberDetailOut, **ERRORS})
def member_update(request: HttpRequest, member_id: int, payload: MemberPatch) -> dict[str, Any]:
    """A member's name, phone, employer, date of joining or linked resident record corrected, as on the member's
    edit page: only the fields sent change (an empty phone clears it); audited with the fields changed."""
    user = staff_caller(request)
    member = services.party_member_update(
        actor=user,
        member=selectors.party_member_get_for(user, member_id),
        name=payload.name,
        phone=payload.phone,
        workplace=payload.workplace,
        joined_on=payload.joined_on,
        resident=body_ref("resident_id", residents_visible_to(user), payload.resident_id),
    )
    return _member(member, history=True)


@router.post("/members/{member_id}/transfer", response={200: MemberDetailOut, **ERRORS})
def member_transfer(request: HttpRequest, member_id: int, payload: TransferIn) -> dict[str, Any]:
    user = staff_caller(request)
    member = services.party_member_transfer(
        actor=user,
        member=selectors.party_member_get_for(user, member_id),
        to_org=body_ref("to_org_id", selectors.party_orgs_visible_to(user), payload.to_org_id),
        on=payload.on,
        note=payload.note,
    )
    return _member(member, history=True)


@router.post("/members/{member_id}/leave", response={200: MemberDetailOut, **ERRORS})
def member_leave(request: HttpRequest, member_id: int, payload: LeaveIn) -> dict[str, Any]:
    user = staff_caller(request)
    member = selectors.party_member_get_for(user, member_id)
    return _member(
        services.party_member_leave(actor=user, member=member, reason=payload.reason, on=payload.on),
        history=True,
    )


@router.post("/members/{member_id}/position", response={200: MemberDetailOut, **ERRORS})
def member_position(request: HttpRequest, member_id: int, payload: PositionIn) -> dict[str, Any]:
    user = staff_caller(request)
    member = selectors.party_member_get_for(user, member_id)
    return _member(
        services.party_member_set_position(actor=user, member=member, position=payload.position), history=True
    )


# --- registrations (双报到) -------------------------------------------------------------------------------------


def _registration(r: MemberRegistration) -> dict[str, Any]:
    waited, overdue = waits.waited_and_overdue(r)
    return {
        "id": r.pk,
        "name": r.name,
        "phone": mask_phone(r.phone),
        "community": _ref(r.community),
        "workplace": r.workplace,
        "workplace_branch": r.workplace_branch,
        "specialty": r.specialty,
        "availability": r.availability,
        "source": r.source,
        "status": r.status,
        "registered_on": r.registered_on,
        "grid": _ref(r.grid),
        "post": r.post,
        "duties": r.duties,
        "refusal_reason": r.refusal_reason,
        "refusal_note": r.refusal_note,
        "waiting_since": waits.waiting_since(r),
        "waited_working_days": waited,
        "overdue": overdue,
    }


def _mine(r: MemberRegistration) -> dict[str, Any]:
    return {
        "token": r.token or "",
        "community": _ref(r.community),
        "status": r.status,
        "status_label": r.get_status_display(),
        "grid": _ref(r.grid),
        "post": r.post,
        "duties": r.duties,
        "refusal_reason": r.refusal_reason,
        "refusal_reason_label": r.get_refusal_reason_display() if r.refusal_reason else "",
        "refusal_note": r.refusal_note,
    }


@router.post("/registrations/apply", response={201: MyRegistrationOut, **ERRORS}, auth=None)
def registration_apply(request: HttpRequest, payload: ApplyIn) -> tuple[int, dict[str, Any]]:
    """双报到 online, open to anyone: the answer carries the token of the member's own view."""
    data = payload.dict()
    community = body_ref("community_code", selectors.community_by_code, data.pop("community_code"))
    reg = services.member_registration_apply(actor=request.user, community=community, **data)
    return 201, _mine(reg)


@router.get("/registrations/mine", response=MyRegistrationPage)
def registration_mine_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The caller's own registrations, by the mobile number a resident signed in with, the latest first (none for
    staff): each with the token of its page, for a member who lost the link."""
    return page(selectors.member_registrations_of(request.user), limit, offset, _mine)


@router.get("/registrations/mine/{token}", response={200: MyRegistrationOut, **ERRORS}, auth=None)
def registration_mine(request: HttpRequest, token: str) -> dict[str, Any]:
    return _mine(selectors.member_registration_by_token(token))


@router.get("/registrations", response=RegistrationPage)
def registration_list(
    request: HttpRequest, status: str | None = None, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The 双报到 registrations of the caller's area, the latest first, a page at a time."""
    qs = selectors.member_registrations_visible_to(staff_caller(request)).order_by("-registered_on", "-id")
    if status:
        qs = qs.filter(status=status)
    return page(qs, limit, offset, _registration)


def _reg(request: HttpRequest, registration_id: int) -> tuple[ScopedUser, MemberRegistration]:
    user = staff_caller(request)
    return user, selectors.member_registration_get_for(user, registration_id)


@router.post("/registrations/{registration_id}/approve", response={200: RegistrationOut, **ERRORS})
def registration_approve(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    user, reg = _reg(request, registration_id)
    return _registration(services.member_registration_approve(actor=user, registration=reg))


@router.post("/registrations/{registration_id}/refuse", response={200: RegistrationOut, **ERRORS})
def registration_refuse(request: HttpRequest, registration_id: int, payload: RefuseIn) -> dict[str, Any]:
    user, reg = _reg(request, registration_id)
    return _registration(
        services.member_registration_refuse(
            actor=user, registration=reg, reason=payload.reason, note=payload.note
        )
    )


@router.post("/registrations/{registration_id}/post", response={200: RegistrationOut, **ERRORS})
def registration_post(request: HttpRequest, registration_id: int, payload: PostIn) -> dict[str, Any]:
    user, reg = _reg(request, registration_id)
    grid = body_ref("grid_id", grids_visible_to(user), payload.grid_id)
    return _registration(
        services.member_registration_assign_post(
            actor=user, registration=reg, grid=grid, post=payload.post, duties=payload.duties
        )
    )


@router.post("/registrations/{registration_id}/end", response={200: RegistrationOut, **ERRORS})
def registration_end(request: HttpRequest, registration_id: int, payload: EndIn) -> dict[str, Any]:
    user, reg = _reg(request, registration_id)
    return _registration(
        services.member_registration_end(actor=user, registration=reg, reason=payload.reason)
    )


# --- beacon households and partner units ------------------------------------------------------------------------


def _beacon(b: BeaconHousehold) -> dict[str, Any]:
    return {
        "id": b.pk,
        "member": _ref(b.member),
        "grid": _ref(b.grid),
        "household_address": b.household.address,
        "households_served": b.households_served,
    }


@router.get("/beacons", response=BeaconPage)
def beacon_list(
    request: HttpRequest, grid_id: int | None = None, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The beacon households of the caller's area (`grid_id`: one grid's), by grid and member, a page at a time."""
    qs = selectors.beacon_households_visible_to(staff_caller(request))
    if grid_id is not None:
        qs = qs.filter(grid_id=grid_id)
    return page(qs.order_by("grid__code", "member__name", "pk"), limit, offset, _beacon)


@router.post("/beacons", response={201: BeaconOut, **ERRORS})
def beacon_designate(request: HttpRequest, payload: BeaconIn) -> tuple[int, dict[str, Any]]:
    user = staff_caller(request)
    member = body_ref("member_id", partial(selectors.party_member_get_for, user), payload.member_id)
    beacon = services.beacon_household_designate(
        actor=user, member=member, households_served=payload.households_served
    )
    return 201, _beacon(beacon)


def _pairing(p: PartnerPairing) -> dict[str, Any]:
    return {
        "id": p.pk,
        "partner": _ref(p.partner),
        "community": _ref(p.community),
        "kind": p.kind,
        "member_count": p.member_count,
        "contact_name": p.contact_name,
        "contact_phone": mask_phone(p.contact_phone),
        "since": p.since,
        "ended_on": p.ended_on,
        "note": p.note,
    }


@router.get("/partners", response=PairingPage)
def partner_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The partner pairings of the caller's area (ended ones too), by community and unit, a page at a time."""
    qs = selectors.partner_pairings_visible_to(staff_caller(request))
    return page(qs.order_by("community__path", "partner__name", "pk"), limit, offset, _pairing)


@router.post("/partners", response={201: PairingOut, **ERRORS})
def partner_create(request: HttpRequest, payload: PairingIn) -> tuple[int, dict[str, Any]]:
    user = staff_caller(request)
    data = payload.dict()
    community = body_ref("community_id", partial(selectors.community_get_for, user), data.pop("community_id"))
    partner = body_ref("partner_id", selectors.partner_units_for(user), data.pop("partner_id"))
    pairing = services.partner_pairing_create(actor=user, community=community, partner=partner, **data)
    return 201, _pairing(pairing)


@router.post("/partners/{pairing_id}/end", response={200: PairingOut, **ERRORS})
def partner_end(request: HttpRequest, pairing_id: int, payload: EndIn) -> dict[str, Any]:
    user = staff_caller(request)
    pairing = selectors.partner_pairing_get_for(user, pairing_id)
    return _pairing(services.partner_pairing_end(actor=user, pairing=pairing, reason=payload.reason))


# --- member points and branch stars ------------------------------------------------------------------------


@router.get("/members/{member_id}/points", response={200: PointsEntryPage, **ERRORS})
def member_points(
    request: HttpRequest, member_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """A member's points ledger, the latest entry first, a page at a time."""
    member = selectors.party_member_get_for(staff_caller(request), member_id)
    return page(selectors.member_points_ledger(member), limit, offset, lambda entry: entry)


@router.post("/members/{member_id}/points", response={201: PointsEntryOut, **ERRORS})
def member_points_grant(
    request: HttpRequest, member_id: int, payload: PointsGrantIn
) -> tuple[int, MemberPointsEntry]:
    user = staff_caller(request)
    member = selectors.party_member_get_for(user, member_id)
    return 201, services.member_points_grant(
        actor=user, member=member, points=payload.points, reason=payload.reason
    )


@router.get("/stars", response={200: StarRatingPage, **ERRORS})
def star_list(
    request: HttpRequest,
    year: int | None = None,
    state: str = "",
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """The ratings of the caller's area, the latest year first, a page at a time; `state` as on the list page
    (party/filters.py): `waiting` (for the branch's self-assessment: computed or returned), `submitted`,
    `approved`; empty: all."""
    filters = StarFilters({"state": state})
    if not filters.is_valid():
        raise ValidationFailed(extra={"fields": filters.errors})
    qs = filters.apply(selectors.star_ratings_visible_to(staff_caller(request)))
    if year is not None:
        qs = qs.filter(year=year)
    return page(qs.order_by("-year", "branch__name", "pk"), limit, offset, _rating)


@router.post("/stars/compute", response={200: StarRatingOut, **ERRORS})
def star_compute(request: HttpRequest, payload: StarComputeIn) -> dict[str, Any]:
    user = staff_caller(request)
    branch = body_ref("branch_id", partial(selectors.party_org_get_for, user), payload.branch_id)
    return _rating(services.branch_stars_compute(actor=user, branch=branch, year=payload.year))


@router.post("/stars/{rating_id}/approve", response={200: StarRatingOut, **ERRORS})
def star_approve(request: HttpRequest, rating_id: int, payload: StarApproveIn) -> dict[str, Any]:
    user = staff_caller(request)
    rating = selectors.star_rating_get_for(user, rating_id)
    return _rating(
        services.branch_stars_approve(actor=user, rating=rating, stars=payload.stars, note=payload.note)
    )


@router.post("/stars/{rating_id}/return", response={200: StarRatingOut, **ERRORS})
def star_return(request: HttpRequest, rating_id: int, payload: StarReturnIn) -> dict[str, Any]:
    """Return a branch's self-assessment to it with the reason (退回修改); the branch submits it again."""
    user = staff_caller(request)
    rating = selectors.star_rating_get_for(user, rating_id)
    return _rating(services.branch_stars_return(actor=user, rating=rating, reason=payload.reason))


@router.post("/stars/{rating_id}/remind", response={200: StarRatingOut, **ERRORS})
def star_remind(request: HttpRequest, rating_id: int) -> dict[str, Any]:
    """Remind a branch that has not assessed itself (or not again, after a return) to submit its self-assessment:
    an inbox entry for the accounts that lead it and a text to its secretary and deputies (at most once a day)."""
    user = staff_caller(request)
    rating = selectors.star_rating_get_for(user, rating_id)
    return _rating(services.branch_stars_remind(actor=user, rating=rating))


def _star_rules(user: ScopedUser) -> dict[str, Any]:
    weights = services.indicator_weights()
    return {
        "weights": [
            {"code": i.code, "label": str(i.label), "weight": weights[i.code], "default": i.weight}
            for i in indicators.registered()
        ],
        "member_points": [
            {
                "kind": kind,
                "label": str(MemberPointsKind(kind).label),
                "points": services.member_points_per_unit(kind),
                "default": default,
            }
            for kind, default in MEMBER_POINTS_DEFAULTS.items()
        ],
        "total": sum(weights.values()),
        "may_set": permissions.may(user, "rules_set", "/"),
    }


@router.get("/stars/rules", response={200: StarRulesOut, **ERRORS})
def star_rules(request: HttpRequest) -> dict[str, Any]:
    """The yardstick every branch is rated by: each indicator's weight, and the member points per unit of each
    kind (everyone on staff reads it)."""
    return _star_rules(staff_caller(request))


@router.put("/stars/rules", response={200: StarRulesOut, **ERRORS})
def star_rules_set(request: HttpRequest, payload: StarRulesIn) -> dict[str, Any]:
    """Change weights and member points (an administrator only); what is not given keeps its value."""
    user = staff_caller(request)
    services.star_rules_set(actor=user, weights=payload.weights, member_points=payload.member_points)
    return _star_rules(user)
