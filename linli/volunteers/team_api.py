"""Teams in the volunteering API (on the router of `volunteers.api`): the teams of the caller's communities, a
team's page (its staff, or its leader, read it), and the writes of its page, each through the same service:
details, leader, members added and removed. Outside the caller's scope: 404; a role that may not change teams:
403; a refused write: 422 with `extra.field`, or 409."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from linli.core.api_access import staff_caller
from linli.core.api_refs import body_ref, body_refs
from linli.core.errors import NotFound
from linli.core.masking import mask_phone
from linli.core.scoping import Account, get_or_404, is_staff_member, signed_in_account
from linli.party.selectors import party_orgs_visible_to

from . import permissions, selectors, services
from .api import ERRORS, ref, router
from .choices import JoinState
from .models import Activity, TeamJoinRequest, VolunteerTeam
from .schemas import (
    JoinAnswerIn,
    JoinAskIn,
    JoinRequestOut,
    TeamDetailOut,
    TeamIn,
    TeamLeaderIn,
    TeamMembersIn,
    TeamOut,
)

RECENT = 10  # the team's latest past activities in its detail (all of them: the activities list)


def _team(t: VolunteerTeam) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "colour": t.colour,
        "description": t.description,
        "community": ref(t.community),
        "party_org": ref(t.party_org),
        "leader": ref(t.leader),
        "member_count": getattr(t, "member_count", None) or t.members.count(),
    }


def _when(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "state": a.state,
        "place": a.place,
        "starts_at": getattr(a, "first_start", None),
        "ends_at": getattr(a, "last_end", None),
    }


def _detail(request: HttpRequest, team: VolunteerTeam) -> dict[str, Any]:
    members = selectors.team_members(team)
    activities = selectors.team_activities(team)
    return (
        _team(team)
        | {
            "member_count": len(members),
            "members": [
                {
                    "id": m.pk,
                    "name": m.name,
                    "kind": m.kind,
                    "phone": mask_phone(m.phone),
                    "active": m.active,
                    "leader": m.pk == team.leader_id,
                    "team_hours": m.team_hours or Decimal(0),  # type: ignore[attr-defined]
                    "all_hours": m.all_hours or Decimal(0),  # type: ignore[attr-defined]
                }
                for m in members
            ],
            "upcoming": [_when(a) for a in selectors.upcoming_activities(activities)],
            "recent": [_when(a) for a in selectors.past_activities(activities)[:RECENT]],
            "may_manage": permissions.may(request.user, "team_manage", team.community.path),
        }
    )


def _managed(request: HttpRequest, team_id: int) -> tuple[Account, VolunteerTeam]:
    user = staff_caller(request)
    return user, selectors.team_get_for(user, team_id)


@router.get("/teams", response={200: list[TeamOut], **ERRORS})
def team_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every team of the caller's communities (a community has a handful)."""
    return [_team(t) for t in selectors.teams_visible_to(staff_caller(request))]


@router.get("/teams/{team_id}", response={200: TeamDetailOut, **ERRORS})
def team_detail(request: HttpRequest, team_id: int) -> dict[str, Any]:
    """A team's page: its members with their confirmed hours (with the team, and in all), coming activities and
    the ten latest past ones. Its community's staff read it, and so does its leader."""
    if is_staff_member(request.user):
        team = selectors.team_get_for(request.user, team_id)
    else:
        team = selectors.team_led_by(request.user, team_id)
    return _detail(request, team)


@router.patch("/teams/{team_id}", response={200: TeamDetailOut, **ERRORS})
def team_update(request: HttpRequest, team_id: int, payload: TeamIn) -> dict[str, Any]:
    """Change a team's name, colour, description or parent party organisation; what is left out is kept."""
    user, team = _managed(request, team_id)
    given = payload.dict(exclude_unset=True)
    party_org = team.party_org
    if "party_org_id" in given:
        org_id = given["party_org_id"]
        party_org = body_ref("party_org_id", party_orgs_visible_to(user), org_id)
    services.team_update(
        actor=user,
        team=team,
        name=given.get("name") or team.name,
        colour=given.get("colour") or team.colour,
        description=team.description if given.get("description") is None else given["description"],
        party_org=party_org,
    )
    return _detail(request, selectors.team_get_for(user, team_id))


@router.put("/teams/{team_id}/leader", response={200: TeamDetailOut, **ERRORS})
def team_leader(request: HttpRequest, team_id: int, payload: TeamLeaderIn) -> dict[str, Any]:
    """Name the leader (`volunteer_id: null`: none); a volunteer not yet a member joins the team."""
    user, team = _managed(request, team_id)
    leader = body_ref("volunteer_id", selectors.volunteers_visible_to(user), payload.volunteer_id)
    services.team_leader_set(actor=user, team=team, leader=leader)
    return _detail(request, selectors.team_get_for(user, team_id))


@router.post("/teams/{team_id}/members", response={200: TeamDetailOut, **ERRORS})
def team_members_add(request: HttpRequest, team_id: int, payload: TeamMembersIn) -> dict[str, Any]:
    """Add volunteers of the team's community (each id one the caller sees, else 404)."""
    user, team = _managed(request, team_id)
    people = body_refs("volunteer_ids", selectors.volunteers_visible_to(user), payload.volunteer_ids)
    services.team_members_add(actor=user, team=team, members=people)
    return _detail(request, selectors.team_get_for(user, team_id))


@router.delete("/teams/{team_id}/members/{volunteer_id}", response={200: TeamDetailOut, **ERRORS})
def team_member_remove(request: HttpRequest, team_id: int, volunteer_id: int) -> dict[str, Any]:
    """A member leaves the team (409 for its leader: name another first)."""
    user, team = _managed(request, team_id)
    member = team.members.filter(pk=volunteer_id).first()
    if member is None:
        raise NotFound(_("This volunteer is not a member of this team."))
    services.team_member_remove(actor=user, team=team, member=member)
    return _detail(request, selectors.team_get_for(user, team_id))


# --- joining a team: a volunteer asks, the team's leader or its community's staff answer -------------------------


def _join(r: TeamJoinRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "team": ref(r.team),
        "volunteer": ref(r.volunteer),
        "note": r.note,
        "state": r.state,
        "reason": r.reason,
        "created_at": r.created_at,
        "decided_at": r.decided_at,
    }


@router.get("/teams-to-join", response={200: list[TeamOut], **ERRORS})
def teams_to_join(request: HttpRequest) -> list[dict[str, Any]]:
    """The teams of the caller's own community, which they may ask to join (none without a volunteer record)."""
    return [_team(t) for t in selectors.teams_to_join(signed_in_account(request.user))]


@router.post("/teams/{team_id}/join", response={201: JoinRequestOut, **ERRORS})
def team_join(request: HttpRequest, team_id: int, payload: JoinAskIn) -> tuple[int, dict[str, Any]]:
    """Ask to join a team of one's own community (409 when a member already, or already asked)."""
    user = signed_in_account(request.user)
    team = get_or_404(selectors.teams_to_join(user), pk=team_id)
    return 201, _join(services.team_join_ask(actor=user, team=team, note=payload.note))


@router.get("/teams/{team_id}/join-requests", response={200: list[JoinRequestOut], **ERRORS})
def team_join_requests(request: HttpRequest, team_id: int) -> list[dict[str, Any]]:
    """A team's requests waiting for an answer, for its leader and its community's staff."""
    user = signed_in_account(request.user)
    waiting = selectors.join_requests_visible_to(user).filter(team_id=team_id, state=JoinState.PENDING)
    return [_join(r) for r in waiting.order_by("created_at")]


@router.get("/join-requests/mine", response={200: list[JoinRequestOut], **ERRORS})
def my_join_requests(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own requests to join, the newest first, with their answers."""
    own = selectors.own_volunteer(signed_in_account(request.user))
    rows = own.join_requests.select_related("team", "volunteer") if own else TeamJoinRequest.objects.none()
    return [_join(r) for r in rows.order_by("-created_at")]


@router.post("/join-requests/{request_id}/{answer}", response={200: JoinRequestOut, **ERRORS})
def join_request_answer(
    request: HttpRequest, request_id: int, answer: str, payload: JoinAnswerIn
) -> dict[str, Any]:
    """`accept` (the volunteer joins the team) or `decline` (with `reason`, which they are told)."""
    if answer not in ("accept", "decline"):
        raise NotFound()
    user = signed_in_account(request.user)
    asked = selectors.join_request_get_for(user, request_id)
    done = services.team_join_decide(
        actor=user, request=asked, accept=answer == "accept", reason=payload.reason
    )
    return _join(done)
