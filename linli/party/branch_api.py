"""The branch secretary's API (mounted under /api/party/branch): the organisations they lead, a branch's members
with their points, its members' 双报到 registrations, its meetings (三会一课) and recording one, a member's ledger
and an entry of points, computing the branch's star rating and submitting its self-assessment (自评). The same selectors and
services as the 我的支部 pages: outside the organisations the caller leads (or, for staff, their area) an
object is not found (404); a write the caller may not make is refused (403)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_refs
from linli.core.masking import mask_phone
from linli.core.scoping import ScopedUser, get_or_404
from linli.territory.schemas import ErrorOut

from . import permissions, selectors, services, waits
from .api_shapes import rating_out, ref
from .models import MemberPointsEntry, MemberRegistration, PartyOrg
from .schemas import (
    BranchLedOut,
    BranchMeetingIn,
    BranchMeetingOut,
    BranchMeetingPage,
    BranchRegistrationPage,
    BranchSummaryOut,
    PointsEntryOut,
    PointsEntryPage,
    PointsGrantIn,
    StarRatingOut,
    StarSubmitIn,
)

router = Router(tags=["party"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _branch(request: HttpRequest, org_id: int) -> tuple[ScopedUser, PartyOrg]:
    user: ScopedUser = request.user  # type: ignore[assignment]  # api_auth: a signed-in account
    return user, selectors.branch_get_for(user, org_id)


@router.get("/mine", response=list[BranchLedOut])
def branch_mine(request: HttpRequest) -> list[dict[str, Any]]:
    """The organisations the caller leads as secretary or deputy (empty for everyone else)."""
    return [
        {
            "id": p.party_org.pk,
            "name": p.party_org.name,
            "kind": p.party_org.kind,
            "org_node": ref(p.party_org.org_node),
            "position": p.position,
        }
        for p in selectors.leading_posts(request.user).order_by("party_org__name")
    ]


@router.get("/{org_id}", response={200: BranchSummaryOut, **ERRORS})
def branch_summary(request: HttpRequest, org_id: int) -> dict[str, Any]:
    user, branch = _branch(request, org_id)
    year = timezone.localdate().year
    rating = selectors.branch_rating_latest(branch)
    return {
        "id": branch.pk,
        "name": branch.name,
        "kind": branch.kind,
        "year": year,
        "members": [
            {
                "id": m.pk,
                "name": m.name,
                "position": m.position,
                "phone": mask_phone(m.phone),
                "party_org": ref(m.party_org),
                "points_year": m.points_year,  # type: ignore[attr-defined]
                "points_total": m.points_total,  # type: ignore[attr-defined]
            }
            for m in selectors.branch_members(branch, year=year)
        ],
        "rating": rating_out(rating) if rating is not None else None,
        "may": sorted(permissions.branch_actions_for(user, branch)),
    }


def _registration(r: MemberRegistration) -> dict[str, Any]:
    waited, overdue = waits.waited_and_overdue(r)
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "name": r.name,
        "community": ref(r.community),
        "status": r.status,
        "registered_on": r.registered_on,
        "grid": ref(r.grid),
        "post": r.post,
        "waits_for": waits.waits_for(r),
        "waited_working_days": waited,
        "overdue": overdue,
    }


@router.get("/{org_id}/registrations", response={200: BranchRegistrationPage, **ERRORS})
def branch_registrations(
    request: HttpRequest, org_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The 双报到 registrations of the branch's members, the latest first, a page at a time."""
    _user, branch = _branch(request, org_id)
    return page(selectors.branch_registrations(branch), limit, offset, _registration)


@router.get("/{org_id}/meetings", response={200: BranchMeetingPage, **ERRORS})
def branch_meetings(
    request: HttpRequest, org_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The branch's meetings (三会一课), the latest first, a page at a time."""
    _user, branch = _branch(request, org_id)
    return page(selectors.branch_meetings_of(branch), limit, offset, lambda meeting: meeting)


@router.post("/{org_id}/meetings", response={201: BranchMeetingOut, **ERRORS})
def branch_meeting_record(request: HttpRequest, org_id: int, payload: BranchMeetingIn) -> tuple[int, Any]:
    """Record a meeting with who attended (members of the branch, by id): each earns the meeting's points."""
    user, branch = _branch(request, org_id)
    attendees = body_refs("attendee_ids", selectors.party_members_in_reach(user), payload.attendee_ids)
    meeting = services.branch_meeting_record(
        actor=user,
        branch=branch,
        kind=payload.kind,
        held_on=payload.held_on,
        topic=payload.topic,
        attendees=attendees,
    )
    return 201, selectors.branch_meetings_of(branch).get(pk=meeting.pk)


@router.get("/{org_id}/members/{member_id}/points", response={200: PointsEntryPage, **ERRORS})
def branch_member_points(
    request: HttpRequest,
    org_id: int,
    member_id: int,
    limit: int = limit_param(),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """A member's points ledger, the latest entry first, a page at a time."""
    _user, branch = _branch(request, org_id)
    member = get_or_404(selectors.branch_members(branch, year=timezone.localdate().year), pk=member_id)
    return page(selectors.member_points_ledger(member), limit, offset, lambda entry: entry)


@router.post("/{org_id}/members/{member_id}/points", response={201: PointsEntryOut, **ERRORS})
def branch_member_points_grant(
    request: HttpRequest, org_id: int, member_id: int, payload: PointsGrantIn
) -> tuple[int, MemberPointsEntry]:
    user, branch = _branch(request, org_id)
    member = get_or_404(selectors.branch_members(branch, year=timezone.localdate().year), pk=member_id)
    return 201, services.member_points_grant(
        actor=user, member=member, points=payload.points, reason=payload.reason
    )


@router.post("/{org_id}/stars/compute", response={200: StarRatingOut, **ERRORS})
def branch_star_compute(request: HttpRequest, org_id: int) -> dict[str, Any]:
    """The branch's self-assessment: this year's rating computed from the records (the street approves)."""
    user, branch = _branch(request, org_id)
    return rating_out(
        services.branch_stars_compute(actor=user, branch=branch, year=timezone.localdate().year)
    )


@router.post("/{org_id}/stars/{rating_id}/submit", response={200: StarRatingOut, **ERRORS})
def branch_star_submit(
    request: HttpRequest, org_id: int, rating_id: int, payload: StarSubmitIn
) -> dict[str, Any]:
    """The branch's self-assessment (自评): the stars it claims, why, and notes by indicator code; submitted
    again the same way after the street returns it."""
    user, branch = _branch(request, org_id)
    rating = get_or_404(selectors.star_ratings_in_reach(user).filter(branch=branch), pk=rating_id)
    return rating_out(
        services.branch_stars_submit(
            actor=user,
            rating=rating,
            claimed_stars=payload.claimed_stars,
            statement=payload.statement,
            notes=payload.notes,
        )
    )
