"""我的支部 (my branch): the pages a branch's secretary or deputy works in, on a phone or a desk. They are usually
residents, not staff: what they see follows from their member record (`selectors.leading_posts`), scoped to the
organisations they lead and those under them (staff of the area may open the same pages). Members with their
points, the members' 双报到 registrations, the branch's meetings (三会一课) and recording one with who attended,
an entry of points up or down with a reason, and the branch's star rating with its indicators, its
self-assessment (自评) and the street's answer. Every write goes through the party services with the secretary
as actor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.masking import mask_phone
from linli.core.pages import form_errors, redirect_on_error, refused_status, signed_in_page
from linli.core.scoping import get_or_404
from linli.core.session_memo import correct

from .. import permissions, selectors, services, waits
from ..choices import MemberPointsKind, MemberPosition, StarState
from ..forms import MeetingForm, PointsGrantForm, StarSelfAssessmentForm
from ..models import BranchStarRating, PartyOrg
from .common import int_or_none, ledger_page, points_rules

# A refusal of a write (not the secretary of that branch, points for oneself) is shown on the form, with
# everything typed kept, like a field error.
REFUSALS = (ValidationFailed, PermissionDenied)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"led": _led(request), **context}, status=refused_status(request))


def _led(request: HttpRequest) -> list[PartyOrg]:
    led = [post.party_org for post in selectors.leading_posts(request.user).order_by("party_org__name")]
    # The menu's remembered answer follows what this page has just read (a post that has ended loses its entry).
    correct(request, permissions.LEADS_KEY, bool(led))
    return led


@signed_in_page
@require_GET
def branch_home(request: HttpRequest) -> HttpResponse:
    """The organisations the person leads: straight to the one, or a choice of several."""
    led = _led(request)
    if not led:
        raise PermissionDenied(
            _("This page is for a branch's secretary or deputy secretary, and you hold neither position now.")
        )
    if len(led) == 1:
        return redirect("party:branch", pk=led[0].pk)
    return render(request, "party/branch/choose.html", {"led": led})


# The branch's meetings on its page, latest first, ten to a page (a branch meets every month or so, for years);
# its members' registrations twenty to a page (`?registrations=`), so each list keeps the other's page.
MEETINGS_PER_PAGE = 10
REGISTRATIONS_PER_PAGE = 20


@signed_in_page
@require_GET
def branch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    branch = selectors.branch_get_for(request.user, pk)
    year = timezone.localdate().year
    members = list(selectors.branch_members(branch, year=year))
    for m in members:
        m.phone_masked = mask_phone(m.phone)  # type: ignore[attr-defined]
    registrations = Paginator(selectors.branch_registrations(branch), REGISTRATIONS_PER_PAGE).get_page(
        request.GET.get("registrations")
    )
    for r in registrations:
        r.waits_for = waits.waits_for(r)  # type: ignore[attr-defined]
        r.waited, r.overdue = waits.waited_and_overdue(r)  # type: ignore[attr-defined]
    rating = selectors.branch_rating_latest(branch)
    may = permissions.branch_actions_for(request.user, branch)
    context = {
        "branch": branch,
        "year": year,
        "members": members,
        "leaders": [m for m in members if m.position != MemberPosition.MEMBER],
        "registrations": registrations,
        "meetings": Paginator(selectors.branch_meetings_of(branch), MEETINGS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "rating": rating,
        "star_range": range(1, 6),
        "notes": _notes(rating),
        "may_record": "meeting_record" in may,
        "may_grant": "points_grant" in may,
        "may_compute": "stars_compute" in may
        and (rating is None or rating.year < year or rating.state != StarState.APPROVED),
        "may_submit": "stars_submit" in may and rating is not None and _assessable(rating),
        "earlier_waiting": [r for r in selectors.branch_ratings_waiting(branch) if r != rating]
        if "stars_submit" in may
        else [],
    }
    return _render(request, "party/branch/detail.html", context)


@signed_in_page
@require_http_methods(["GET", "POST"])
def branch_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a meeting of the branch (三会一课) and tick who attended: each earns the meeting's points."""
    branch = selectors.branch_get_for(request.user, pk)
    form = MeetingForm(request.POST or None, user=request.user, branch=branch, initial={"branch": branch.pk})
    form.fields["branch"].widget = forms.HiddenInput()
    if request.method == "POST" and form.is_valid():
        with form_errors(form, catch=REFUSALS):
            data = {**form.cleaned_data, "branch": branch}
            meeting = services.branch_meeting_record(actor=request.user, **data)
            messages.success(
                request,
                _("The meeting is recorded; %(n)d members who attended earned their points.")
                % {"n": meeting.attendees.count()},
            )
            return redirect("party:branch", pk=branch.pk)
    meeting_points = services.member_points_per_unit(MemberPointsKind.MEETING)
    context = {"branch": branch, "form": form, "meeting_points": meeting_points}
    return _render(request, "party/branch/meeting_form.html", context)


@signed_in_page
@require_http_methods(["GET", "POST"])
def branch_member_points(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """A member's ledger and an entry of points up or down with the reason."""
    branch = selectors.branch_get_for(request.user, pk)
    year = timezone.localdate().year
    member = get_or_404(selectors.branch_members(branch, year=year), pk=member_pk)
    form = PointsGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, catch=REFUSALS):
            services.member_points_grant(actor=request.user, member=member, **form.cleaned_data)
            messages.success(request, _("The entry is added to the member's ledger."))
            return redirect("party:branch_member_points", pk=branch.pk, member_pk=member.pk)
    context = {
        "branch": branch,
        "member": member,
        "year": year,
        "ledger": ledger_page(request, member),
        "form": form,
        "may_grant": permissions.may_for(request.user, "points_grant", branch),
        # Not offered on one's own record (the service refuses it): another leader or the community enters it.
        "own": selectors.leading_posts(request.user).filter(pk=member.pk).exists(),
        **points_rules(),
    }
    return _render(request, "party/branch/member_points.html", context)


def _assessable(rating: BranchStarRating) -> bool:
    return StarState.SUBMITTED in services.STAR_TRANSITIONS[rating.state]


def _notes(rating: BranchStarRating | None) -> list[dict[str, object]]:
    """The rating's indicators, each with the branch's own note beside the evidence."""
    if rating is None:
        return []
    notes = rating.claim_notes or {}
    return [{**line, "note": notes.get(line["code"], "")} for line in rating.indicators]


@signed_in_page
@require_http_methods(["GET", "POST"])
def branch_star_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch's self-assessment (自评) of its latest rating: the stars it claims, why, and a note on any
    indicator; sent to the street, which approves it or returns it with a reason (then it is assessed again)."""
    branch = selectors.branch_get_for(request.user, pk)
    year = int_or_none(request.GET.get("year"))  # an earlier year the street reminded the branch of
    rating = selectors.branch_rating_latest(branch, year)
    if rating is None or not _assessable(rating):
        messages.info(request, _("There is no rating of the branch waiting for its self-assessment."))
        return redirect("party:branch", pk=branch.pk)
    form = StarSelfAssessmentForm(request.POST or None, rating=rating)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, catch=REFUSALS):
            services.branch_stars_submit(actor=request.user, rating=rating, **form.submission())
            messages.success(request, _("The self-assessment is sent to the street for review."))
            return redirect(reverse("party:branch", args=[branch.pk]) + "#stars")
    context = {
        "branch": branch,
        "rating": rating,
        "form": form,
        "lines": list(zip(rating.indicators, form.notes, strict=True)),
        "may_submit": permissions.may_for(request.user, "stars_submit", branch),
        "star_range": range(1, 6),
    }
    return _render(request, "party/branch/self_assessment.html", context)


@signed_in_page
@require_POST
@redirect_on_error("party:branch", "pk")
def branch_star_compute(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch's self-assessment: its rating of this year computed from the records (the street approves)."""
    branch = selectors.branch_get_for(request.user, pk)
    rating = services.branch_stars_compute(actor=request.user, branch=branch, year=timezone.localdate().year)
    messages.success(request, _("Computed: %(stars)d stars.") % {"stars": rating.stars})
    return redirect("party:branch", pk=branch.pk)
