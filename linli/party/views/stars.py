"""Member points, branch meetings (三会一课) and branch stars (星级党支部): a member's ledger with the secretary's
entries, the meetings recorded with who attended, and each branch's yearly rating with its evidence, the
branch's self-assessment and the street's review (approve with the stars granted, or return with a reason)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.pages import (
    form_errors,
    form_submit,
    posted_form,
    redirect_on_error,
    safe_url,
    staff_page,
    success_redirect,
)

from .. import permissions, selectors, services
from ..choices import StarState
from ..filters import StarFilters
from ..forms import MeetingForm, PointsGrantForm, StarApproveForm, StarReturnForm, StarRulesForm
from ..models import BranchStarRating
from .common import int_or_none, ledger_page, page, points_rules


@staff_page
@require_http_methods(["GET", "POST"])
def member_points(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.party_member_get_for(request.user, pk)
    form = PointsGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.member_points_grant(actor=request.user, member=member, **form.cleaned_data)
            messages.success(request, _("The entry is added to the member's ledger."))
            return redirect("party:member_points", pk=pk)
    year = timezone.localdate().year
    context = {
        "member": member,
        "ledger": ledger_page(request, member),
        "total": selectors.member_points_total(member),
        "year_total": selectors.member_points_total(member, year=year),
        "year": year,
        "form": form,
        "actions": permissions.actions_for(request.user, member.party_org.org_node.path),
        **points_rules(),
    }
    return page(request, "party/member_points.html", "members", context)


# Meetings on one page of the staff list, latest first (every branch of the area meets every month or so).
MEETINGS_PER_PAGE = 30


@staff_page
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    branch_id = int_or_none(request.GET.get("branch"))
    initial = {"branch": branch_id} if branch_id else {}
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.branch_meeting_record(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting is recorded; those who attended earned their points."))
            return redirect("party:meetings")
    meetings = selectors.branch_meetings_visible_to(request.user).order_by("-held_on", "-id")
    if branch_id:
        meetings = meetings.filter(branch_id=branch_id)
    context = {
        "meetings": Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page")),
        "form": form,
        "branch_id": branch_id,
    }
    return page(request, "party/meetings.html", "meetings", context)


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    year = int_or_none(request.GET.get("year") or request.POST.get("year")) or this_year
    return year if 2000 <= year <= this_year else this_year


# Branches on one page of the stars list: a street has a few dozen to a few hundred.
STARS_PER_PAGE = 30


@staff_page
@require_GET
def star_list(request: HttpRequest) -> HttpResponse:
    """Each branch with its rating of the year (or none yet), and how the ratings spread over the stars; `state`
    (the one filter of `party.filters`, shared with the API) keeps the branches whose rating stands there."""
    year = _year(request)
    filters = StarFilters(request.GET)
    ratings = selectors.star_ratings_visible_to(request.user).filter(year=year)
    branches = selectors.branches_visible_to(request.user).order_by("org_node__path", "name")
    listed = (
        branches if not filters.state else branches.filter(pk__in=filters.apply(ratings).values("branch_id"))
    )
    page_obj = Paginator(listed, STARS_PER_PAGE).get_page(request.GET.get("page"))
    shown = [b.pk for b in page_obj]
    by_branch = {r.branch_id: r for r in ratings.filter(branch_id__in=shown)}
    led = selectors.branches_with_leaders(shown)
    rows = [
        {
            "branch": b,
            "rating": by_branch.get(b.pk),
            "may_compute": permissions.may(request.user, "stars_compute", b.org_node.path),
            # 审定 only where the person may approve (the street); anyone else reads the evidence.
            "may_review": permissions.may(request.user, "stars_approve", b.org_node.path),
            "may_remind": b.pk in by_branch and _may_remind(request, by_branch[b.pk]),
            "has_leader": b.pk in led,
        }
        for b in page_obj
    ]
    distribution = selectors.star_distribution(ratings)
    context = {
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "page": page_obj,
        "rows": rows,
        "state": filters.state,
        "states": filters.counts(ratings),
        "branch_count": page_obj.paginator.count if not filters.state else branches.count(),
        "distribution": [{"stars": n, "count": c} for n, c in enumerate(distribution)],
        "rated": sum(distribution),
        "with_stars": sum(distribution[1:]),
    }
    return page(request, "party/stars.html", "stars", context)


@staff_page
@require_POST
@redirect_on_error("party:stars")
def star_compute(request: HttpRequest) -> HttpResponse:
    branch = selectors.party_org_get_for(request.user, int_or_none(request.POST.get("branch")) or 0)
    rating = services.branch_stars_compute(actor=request.user, branch=branch, year=_year(request))
    messages.success(request, _("Computed: %(stars)d stars.") % {"stars": rating.stars})
    return redirect("party:star", pk=rating.pk)


def _may_remind(request: HttpRequest, rating: BranchStarRating) -> bool:
    """Whether the page offers to remind the branch: the rating waits for the branch, it was not reminded within
    the day (the page says when it was), and the user is the street."""
    recent = rating.reminded_at is not None and timezone.now() - rating.reminded_at < services.REMIND_EVERY
    return (
        not recent
        and StarState.SUBMITTED in services.STAR_TRANSITIONS[rating.state]
        and permissions.may(request.user, "stars_remind", rating.branch.org_node.path)
    )


def _review_page(
    request: HttpRequest,
    rating: BranchStarRating,
    approve: StarApproveForm | None = None,
    send_back: StarReturnForm | None = None,
) -> HttpResponse:
    """The street's review: the computed figures, the branch's claim and the stars granted side by side, the
    indicators with the evidence and the branch's notes, and the actions the state allows."""
    path = rating.branch.org_node.path
    moves = services.STAR_TRANSITIONS[rating.state]
    asked = rating.claimed_stars if rating.claimed_stars is not None else rating.computed_stars
    notes = rating.claim_notes or {}
    context = {
        "rating": rating,
        "lines": [{**line, "note": notes.get(line["code"], "")} for line in rating.indicators],
        "may_approve": "approved" in moves and permissions.may(request.user, "stars_approve", path),
        "may_return": "returned" in moves and permissions.may(request.user, "stars_return", path),
        "may_compute": rating.state != "approved" and permissions.may(request.user, "stars_compute", path),
        "may_remind": _may_remind(request, rating),
        "has_leader": bool(selectors.branches_with_leaders([rating.branch_id])),
        "approve_form": approve or StarApproveForm(initial={"stars": asked}),
        "return_form": send_back or StarReturnForm(),
        "star_range": range(1, 6),
    }
    return page(request, "party/star_detail.html", "stars", context)


@staff_page
@require_GET
def star_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, selectors.star_rating_get_for(request.user, pk))


@staff_page
@posted_form("party:star")
@redirect_on_error("party:star", "pk")
def star_approve(request: HttpRequest, pk: int) -> HttpResponse:
    rating = selectors.star_rating_get_for(request.user, pk)
    form = StarApproveForm(request.POST)
    approve = partial(services.branch_stars_approve, actor=request.user, rating=rating)
    said = success_redirect(
        request,
        lambda r: _("The rating is approved: %(stars)d stars.") % {"stars": r.stars},
        "party:star",
        pk=pk,
    )
    return form_submit(request, form, approve, said) or _review_page(request, rating, approve=form)


@staff_page
@posted_form("party:star")
@redirect_on_error("party:star", "pk")
def star_return(request: HttpRequest, pk: int) -> HttpResponse:
    rating = selectors.star_rating_get_for(request.user, pk)
    form = StarReturnForm(request.POST)
    send_back = partial(services.branch_stars_return, actor=request.user, rating=rating)
    said = success_redirect(request, _("The self-assessment is returned to the branch."), "party:star", pk=pk)
    return form_submit(request, form, send_back, said) or _review_page(request, rating, send_back=form)


@staff_page
@require_POST
@redirect_on_error("party:star", "pk")
def star_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """The street reminds a branch that has not assessed itself (or not again after a return); back to the page
    it came from (`next`: the list of branches) or the rating's page."""
    rating = services.branch_stars_remind(
        actor=request.user, rating=selectors.star_rating_get_for(request.user, pk)
    )
    messages.success(
        request,
        _("%(branch)s is reminded to assess itself (reminder %(n)d).")
        % {"branch": rating.branch.name, "n": rating.reminders},
    )
    return redirect(safe_url(request, request.POST.get("next")) or reverse("party:star", args=[pk]))


@staff_page
@require_http_methods(["GET", "POST"])
def star_rules(request: HttpRequest) -> HttpResponse:
    """The yardstick every branch is rated by: each indicator's weight, and the member points per unit of each
    kind. Everyone on staff reads it; an administrator changes it."""
    form = StarRulesForm(request.POST or None)
    may_set = permissions.may(request.user, "rules_set", "/")
    if not may_set:  # read, not typed into: there is nothing to save them with
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.star_rules_set(actor=request.user, **form.split())
            messages.success(request, _("The star weights and member points are saved."))
            return redirect("party:star_rules")
    context = {
        "form": form,
        "may_set": may_set,
        "total": sum(services.indicator_weights().values()),
    }
    return page(request, "party/star_rules.html", "stars", context)
