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
from linli.core.pages import (
    form_errors,
    posted_form,
    redirect_on_error,
    section_page,
    signed_in_page,
    staff_page,
)

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
    """The page of a team the signed-in volunteer leads, to read: its members, their hours and its activities."""
    return render(request, "volunteers/team.html", _about(request, selectors.team_led_by(request.user, pk)))
