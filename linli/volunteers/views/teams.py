"""A team's page: for the staff of its community, its details, leader, members with their hours and its
activities, with the forms that change them (details; members added through a search and removed; the leader made
from a member's row, or none); for the team's leader, the same page to read (`/volunteers/teams/<id>/`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.accounts.auth import request_account
from linli.core.errors import NotFound
from linli.core.pages import (
    form_errors,
    posted_form,
    redirect_on_error,
    section_page,
    signed_in_page,
    staff_page,
)
from linli.core.scoping import get_or_404

from .. import permissions, selectors, services
from ..forms import TeamAddForm, TeamEditForm, TeamLeaderForm
from ..models import VolunteerTeam
from .common import STAFF_SECTIONS

PAST_PER_PAGE = 10
CANDIDATES_PER_PAGE = 20


def _about(request: HttpRequest, team: VolunteerTeam) -> dict[str, Any]:
    """What both pages show: the members with their hours (phones masked), coming and past activities."""
    members = list(selectors.team_members(team))
    activities = selectors.team_activities(team)
    past = selectors.past_activities(activities)
    return {
        "team": team,
        "members": members,
        "team_hours": sum((m.team_hours or Decimal(0) for m in members), Decimal(0)),  # type: ignore[attr-defined]
        "upcoming": list(selectors.upcoming_activities(activities)),
        "past": Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("past")),
    }


def _staff_page(
    request: HttpRequest, team: VolunteerTeam, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The staff's team page, with the forms given (a refused one bound, as posted) and fresh ones for the rest."""
    user = request.user
    find = (request.POST.get("find") or request.GET.get("find") or "").strip()[:50]
    edit = forms.get("edit") or TeamEditForm(
        initial=model_to_dict(team, fields=["name", "colour", "party_org", "description"]),
        user=user,
        team=team,
    )
    add = forms.get("add") or TeamAddForm(user=user, team=team)
    candidates = Paginator(selectors.team_candidates(user, team, find), CANDIDATES_PER_PAGE)
    context = _about(request, team) | {
        "edit_form": edit,
        "leader_form": forms.get("leader"),  # only a refused one: each member's row posts its own button
        "add_form": add,
        "find": find,
        "candidates": candidates.get_page(request.GET.get("candidates")),
        "ticked": set(add["members"].value() or []) if add.is_bound else set(),
        "waiting": list(selectors.join_requests_waiting(team)),
    }
    return section_page(
        request,
        "volunteers/staff/team.html",
        context,
        sections=STAFF_SECTIONS,
        section="teams",
        table=permissions.TABLE,
        areas=[team.community.path],
        status=status,
    )


@staff_page
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_page(request, selectors.team_get_for(request.user, pk))


def _write(request: HttpRequest, pk: int, key: str, form_class: Any, write: Any, said: str) -> HttpResponse:
    """One of the page's forms posted: valid and taken by the service → said, back to the page; else the page
    again (422) with this form as posted, its error on it."""
    team = selectors.team_get_for(request.user, pk)
    form = form_class(request.POST, user=request.user, team=team)
    if form.is_valid():
        with form_errors(form):
            write(actor=request_account(request), team=team, **form.cleaned_data)
            messages.success(request, said)
            return redirect("volunteers:staff_team", pk=pk)
    return _staff_page(request, team, status=422, **{key: form})


@staff_page
@posted_form("volunteers:staff_team")
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "edit", TeamEditForm, services.team_update, _("The team's details are saved."))


@staff_page
@posted_form("volunteers:staff_team")
def team_leader(request: HttpRequest, pk: int) -> HttpResponse:
    said = (
        _("The team's leader is changed.")
        if request.POST.get("leader")
        else _("The team has no leader for now.")
    )
    return _write(request, pk, "leader", TeamLeaderForm, services.team_leader_set, said)


@staff_page
@posted_form("volunteers:staff_team")
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "add", TeamAddForm, services.team_members_add, _("The members are added."))


@staff_page
@posted_form("volunteers:staff_team", kwargs=("pk",))
@redirect_on_error("volunteers:staff_team", "pk")
def team_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    team = selectors.team_get_for(request.user, pk)
    leaving = selectors.volunteer_get_for(request.user, member)
    services.team_member_remove(actor=request_account(request), team=team, member=leaving)
    messages.success(request, _("%(name)s has left the team.") % {"name": leaving.name})
    return redirect("volunteers:staff_team", pk=pk)


@signed_in_page
@require_GET
def team_led(request: HttpRequest, pk: int) -> HttpResponse:
    """A team's page for a volunteer of its community. Its leader reads its members, their hours and activities,
    and answers the requests to join; any other volunteer reads what it does and asks to join (or sees the answer
    to their request)."""
    user = request.user
    if selectors.teams_led_by(user).filter(pk=pk).exists():
        team = selectors.team_led_by(user, pk)
        context = _about(request, team) | {
            "leads": True,
            "waiting": list(selectors.join_requests_waiting(team)),
        }
        return render(request, "volunteers/team.html", context)
    team = get_or_404(selectors.teams_to_join(user), pk=pk)
    volunteer = selectors.own_volunteer(user)
    activities = selectors.team_activities(team)
    context = {
        "team": team,
        "leads": False,
        "member": volunteer is not None and team.members.filter(pk=volunteer.pk).exists(),
        "asked": team.join_requests.filter(volunteer=volunteer).order_by("-created_at").first(),
        "upcoming": list(selectors.upcoming_activities(activities)),
        "past": Paginator(selectors.past_activities(activities), PAST_PER_PAGE).get_page(
            request.GET.get("past")
        ),
    }
    return render(request, "volunteers/team.html", context)


@signed_in_page
@posted_form("volunteers:team")
@redirect_on_error("volunteers:team", "pk")
def team_join(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer asks to join a team of their community."""
    team = get_or_404(selectors.teams_to_join(request.user), pk=pk)
    services.team_join_ask(actor=request_account(request), team=team, note=request.POST.get("note", ""))
    messages.success(request, _("Your request is sent. The answer will come to your inbox."))
    return redirect("volunteers:team", pk=pk)


def _decide(request: HttpRequest, pk: int, rid: int, answer: str, back: str) -> HttpResponse:
    asked = selectors.join_request_get_for(request.user, rid)
    if asked.team_id != pk or answer not in ("accept", "decline"):
        raise NotFound()
    accept = answer == "accept"
    services.team_join_decide(
        actor=request_account(request), request=asked, accept=accept, reason=request.POST.get("reason", "")
    )
    name = asked.volunteer.name
    said = (
        _("%(name)s has joined the team.")
        if accept
        else _("The request of %(name)s is declined; they are told why.")
    )
    messages.success(request, said % {"name": name})
    return redirect(back, pk=pk)


@signed_in_page
@posted_form("volunteers:team", kwargs=("pk",))
@redirect_on_error("volunteers:team", "pk")
def team_join_decide(request: HttpRequest, pk: int, rid: int, answer: str) -> HttpResponse:
    """The team's leader answers a request to join, from the team's page."""
    return _decide(request, pk, rid, answer, "volunteers:team")


@staff_page
@posted_form("volunteers:staff_team", kwargs=("pk",))
@redirect_on_error("volunteers:staff_team", "pk")
def staff_join_decide(request: HttpRequest, pk: int, rid: int, answer: str) -> HttpResponse:
    """A worker of the community answers a request to join, from the staff's team page."""
    return _decide(request, pk, rid, answer, "volunteers:staff_team")
