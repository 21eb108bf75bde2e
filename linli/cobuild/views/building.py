"""Staff pages of co-building carried out: a project's milestones with photos, the partner units paired with the
communities and their yearly commitment lists, and the review of the quarter's service stars before they are
published."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core.pages import (
    form_refused,
    form_submit,
    posted_form,
    redirect_on_error,
    staff_page,
    success_redirect,
)
from linli.core.roles import UNIT_ROLES
from linli.core.scoping import get_or_404
from linli.party.selectors import partner_pairings_visible_to

from .. import permissions, selectors, services
from ..choices import NeedState
from ..forms import CommitmentForm, MilestoneForm, MilestoneReachForm
from ..models import Commitment, Milestone, Project
from .common import community_page, staff_render


@community_page
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for(request.user, pk)
    form = MilestoneForm(request.POST or None)

    write = partial(services.milestone_add, actor=request.user, project=project)
    then = success_redirect(request, _("Milestone added."), "cobuild:staff_project", pk=project.pk)
    if done := form_submit(request, form, write, then):
        return done
    context = {
        "project": project,
        "spent": selectors.project_spent(project),
        "held": selectors.project_held(project),
        "unallocated": selectors.projects_unallocated(Project.objects.filter(pk=project.pk))[project.pk],
        "milestones": selectors.milestones_of([project])[project.pk],
        "matches": list(project.matches.select_related("need", "resource")),
        "commitments": list(project.commitments.select_related("pairing__partner")),
        "form": form,
        "reach_form": MilestoneReachForm(),
        "today": timezone.localdate(),
        "may": permissions.offered(request.user, [project.community.path]),
    }
    return staff_render(request, "cobuild/staff/project.html", "projects", context)


@community_page
@posted_form("cobuild:staff_project", kwargs=("pk",))
@redirect_on_error("cobuild:staff_project", "pk")
def milestone_reach(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    project = selectors.project_get_for(request.user, pk)
    milestone = get_or_404(Milestone.objects.filter(project=project), pk=milestone_id)
    form = MilestoneReachForm(request.POST, request.FILES)
    if not form.is_valid():
        form_refused(request, form)
        return redirect("cobuild:staff_project", pk=project.pk)
    services.milestone_reach(actor=request.user, milestone=milestone, **form.cleaned_data)
    messages.success(request, _("Milestone reached; the project's progress follows."))
    return redirect("cobuild:staff_project", pk=project.pk)


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year + 1)


@staff_page
@require_http_methods(["GET", "POST"])
def partners(request: HttpRequest) -> HttpResponse:
    """The partner units paired with my communities, each with its commitment list for the year."""
    year = _year(request)
    pairings = (
        partner_pairings_visible_to(request.user)
        .filter(ended_on__isnull=True)
        .order_by("community__path", "partner__name")
    )
    communities = pairings.values("community")
    form = CommitmentForm(
        request.POST or None,
        pairings=pairings,
        needs=selectors.needs_visible_to(request.user).filter(
            community__in=communities, state__in=[NeedState.OPEN, NeedState.MATCHED]
        ),
        projects=selectors.projects_visible_to(request.user).filter(community__in=communities),
    )

    write = partial(services.commitment_add, actor=request.user, year=year)
    said = _("Added to the unit's commitment list.")
    then = success_redirect(request, said, lambda commitment: f"{request.path}?year={commitment.year}")
    if done := form_submit(request, form, write, then):
        return done
    rows = selectors.commitment_lists(list(pairings), year)
    open_needs, open_projects = selectors.commitments_openable(request.user, rows)
    context: dict[str, Any] = {
        "rows": rows,
        "open_needs": open_needs,
        "open_projects": open_projects,
        "year": year,
        "years": [year - 1, year, year + 1] if year < timezone.localdate().year + 1 else [year - 1, year],
        "form": form,
        # A unit's account reads its own unit's lists: when it has none, it is told so, not of "your area".
        "unit_account": getattr(request.user, "role", None) in UNIT_ROLES,
    }
    return staff_render(request, "cobuild/staff/partners.html", "partners", context)


@staff_page
@posted_form("cobuild:staff_partners", kwargs=())
@redirect_on_error("cobuild:staff_partners")
def commitment_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    pairings = partner_pairings_visible_to(request.user)
    commitment = get_or_404(Commitment.objects.filter(pairing__in=pairings), pk=pk)
    services.commitment_fulfil(actor=request.user, commitment=commitment, note=request.POST.get("note", ""))
    messages.success(request, _("Commitment fulfilled."))
    return redirect(f"/cobuild/staff/partners/?year={commitment.year}")


def _last_quarter(day: dt.date) -> dt.date:
    start, _end = selectors.quarter_bounds(day)
    return selectors.quarter_bounds(start - dt.timedelta(days=1))[0]


@community_page
def stars(request: HttpRequest) -> HttpResponse:
    """Review the last quarter's computed service stars of a community and publish them (once)."""
    communities = selectors.communities_for(request.user)
    community = communities.filter(pk=request.GET.get("community") or 0).first() or communities.first()
    quarter = _last_quarter(timezone.localdate())
    context: dict[str, Any] = {"communities": communities, "community": community, "quarter": quarter}
    if community is not None:
        start, end = selectors.quarter_bounds(quarter)
        context |= {
            "quarter_end": end - dt.timedelta(days=1),
            "candidates": selectors.service_stars(community, quarter, top=10),
            "releases": selectors.stars_released(community),
            "published": any(r.quarter_start == start for r in selectors.stars_released(community)),
        }
    return staff_render(request, "cobuild/staff/stars.html", "stars", context)


@community_page
@posted_form("cobuild:staff_stars")
@redirect_on_error("cobuild:staff_stars")
def stars_publish(request: HttpRequest) -> HttpResponse:
    """Publish the last quarter's stars, leaving out the providers ticked, each with its reason."""
    community = get_or_404(selectors.communities_for(request.user), pk=request.POST.get("community") or 0)
    left_out = {
        int(key.removeprefix("leave_")): request.POST.get(f"why_{key.removeprefix('leave_')}", "")
        for key in request.POST
        if key.startswith("leave_") and key.removeprefix("leave_").isdigit()
    }
    services.stars_publish(
        actor=request.user,
        community=community,
        quarter_start=_last_quarter(timezone.localdate()),
        left_out=left_out,
    )
    messages.success(request, _("The service stars are published on the community's public page."))
    return redirect(f"/cobuild/staff/stars/?community={community.pk}")
