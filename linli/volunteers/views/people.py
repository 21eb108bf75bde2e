"""The staff's pages of volunteers: the list (search, make inactive or active again), enrolling one, and a
volunteer's own page: what the register keeps of them, their hours, points and teams, and the account they sign in
with, linked by its mobile number or unlinked (one person, one volunteer record)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.accounts.auth import request_account
from linli.core.masking import mask_phone
from linli.core.pages import posted_form, redirect_on_error, safe_url, staff_page
from linli.territory.selectors import org_nodes_visible_to

from .. import permissions, selectors, services
from ..forms import EnrolForm, LinkAccountForm
from ..models import Volunteer
from .common import staff_render, submit

PER_PAGE = 50


@staff_page
@require_GET
def volunteer_list(request: HttpRequest) -> HttpResponse:
    people = selectors.volunteers_visible_to(request.user).order_by("community__path", "name")
    q = (request.GET.get("q") or "").strip()[:50]
    people = selectors.volunteers_found(people, q)
    page_obj = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    for v in page_obj:
        v.may_manage = permissions.may(request.user, "volunteer_manage", v.community.path)  # type: ignore[attr-defined]
    # A grid worker reads the volunteers of the community above their compound; enrolling is the community's.
    enrols = (
        permissions.may_manage_anywhere(request.user, "volunteer_manage")
        and org_nodes_visible_to(request.user).filter(kind="community").exists()
    )
    # A worker of one community is not told its name on every row; a street's reader is.
    many_communities = (
        selectors.volunteers_visible_to(request.user).values("community").distinct()[1:2].exists()
    )
    return staff_render(
        request,
        "volunteers/staff/volunteers.html",
        "volunteers",
        {"page": page_obj, "q": q, "enrols": enrols, "many_communities": many_communities},
    )


@staff_page
@posted_form("volunteers:staff_volunteers", kwargs=())
@redirect_on_error("volunteers:staff_volunteers")
def volunteer_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a volunteer inactive (moved away, no longer serving: no sign-up, no call to action reaches them) or
    active again; their hours, points and history stay."""
    found = selectors.volunteer_get_for(request.user, pk)
    active = request.POST.get("active") == "1"
    services.volunteer_update(
        actor=request_account(request),
        volunteer=found,
        skills=found.skills,
        certificates=found.certificates,
        availability=found.availability,
        active=active,
    )
    said = _("%(name)s is active again.") if active else _("%(name)s is made inactive.")
    messages.success(request, said % {"name": found.name})
    return redirect(safe_url(request, request.POST.get("next")) or reverse("volunteers:staff_volunteers"))


@staff_page
@require_http_methods(["GET", "POST"])
def volunteer_new(request: HttpRequest) -> HttpResponse:
    form = EnrolForm(request.POST or None, user=request.user)
    said = _("The volunteer is enrolled.")
    if done := submit(request, form, services.volunteer_enrol, said, "volunteers:staff_volunteers"):
        return done
    return staff_render(
        request, "volunteers/staff/form.html", "volunteers", {"form": form, "heading": _("Enrol a volunteer")}
    )


def _to_volunteer(volunteer: Volunteer) -> str:
    return reverse("volunteers:staff_volunteer", args=[volunteer.pk])


@staff_page
@require_http_methods(["GET", "POST"])
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer's page: the register's facts, hours, points and teams, and the account: linked by the number a
    resident signs in with (the form), or unlinked (`volunteer_unlink`)."""
    found = selectors.volunteer_get_for(request.user, pk)
    form = LinkAccountForm(request.POST or None)

    def said(linked: Volunteer) -> str:
        return _(
            "%(name)s is linked to the account %(phone)s: they see their hours, points and teams there."
        ) % {
            "name": linked.name,
            "phone": mask_phone(linked.account.phone if linked.account else ""),
        }

    write = partial(services.volunteer_link_account, volunteer=found)
    if done := submit(request, form, write, said, _to_volunteer):
        return done
    return staff_render(
        request,
        "volunteers/staff/volunteer.html",
        "volunteers",
        {
            "volunteer": found,
            "account": found.account,
            "balance": found.bank_account.balance,
            "points": selectors.points_total(found),
            "may_link": permissions.may(request.user, "account_link", found.community.path),
            "form": form,
        },
    )


@staff_page
@posted_form("volunteers:staff_volunteer")
@redirect_on_error("volunteers:staff_volunteer", "pk")
def volunteer_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.volunteer_get_for(request.user, pk)
    services.volunteer_unlink_account(
        actor=request_account(request), volunteer=found, reason=request.POST.get("reason", "")
    )
    messages.success(
        request,
        _("%(name)s's record is no longer linked to an account; it keeps its hours and points.")
        % {"name": found.name},
    )
    return redirect("volunteers:staff_volunteer", pk=pk)
