"""双报到 as staff see it: the registrations of their communities (pending first), one registration with the
decisions (approve, refuse with a reason, give a post, end), and each community's 扫码报到 QR code."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core import printing as core_printing
from linli.core.masking import mask_phone
from linli.core.pages import form_submit, posted_form, redirect_on_error, staff_page

from .. import printing, selectors, services, waits
from ..choices import SPECIALTY_POSTS, RegistrationSource, RegistrationStatus
from ..forms import PostForm, RefuseForm
from ..models import MemberRegistration
from .common import int_or_none, page

ORDER = Case(
    When(status=RegistrationStatus.PENDING, then=Value(0)),
    When(status=RegistrationStatus.APPROVED, then=Value(1)),
    When(status=RegistrationStatus.ACTIVE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


# Those waiting for a decision first, then those waiting for a post, each the longest waiting first (`waits`); then
# the latest.

# Registrations on one page of the list.
REGISTRATIONS_PER_PAGE = 50


# What each decision on a registration did, said on its page once it is taken (the badge alone changed).
DONE: dict[str, Any] = {
    RegistrationStatus.APPROVED: _("Approved: give %(name)s a post to finish the registration."),
    RegistrationStatus.ACTIVE: _("%(name)s is registered at the post given."),
    RegistrationStatus.REFUSED: _("Refused: %(name)s reads the reason on their registration page."),
    RegistrationStatus.ENDED: _("%(name)s's registration has ended."),
}


def _to_registration(request: HttpRequest, registration: MemberRegistration) -> HttpResponse:
    said = DONE.get(registration.status)
    if said is not None:
        messages.success(request, str(said) % {"name": registration.name})
    return redirect("party:registration", pk=registration.pk)


@staff_page
@require_GET
def registration_list(request: HttpRequest) -> HttpResponse:
    regs = selectors.member_registrations_visible_to(request.user).annotate(o=ORDER)
    status = request.GET.get("status", "")
    community_id = int_or_none(request.GET.get("community"))
    if status in RegistrationStatus.values:
        regs = regs.filter(status=status)
    if community_id:
        regs = regs.filter(community_id=community_id)
    ordered = regs.annotate(waiting_since=waits.WAITING_SINCE).order_by(
        "o", F("waiting_since").asc(nulls_last=True), "-registered_on", "-id"
    )
    rows = Paginator(ordered, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    for r in rows:
        r.phone_masked = mask_phone(r.phone)  # type: ignore[attr-defined]
        r.waited, r.overdue = waits.waited_and_overdue(r)  # type: ignore[attr-defined]
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    for s in selectors.member_registrations_visible_to(request.user).values_list("status", flat=True):
        counts[s] += 1
    context = {
        "rows": rows,
        "status": status,
        "statuses": [(v, label, counts[v]) for v, label in RegistrationStatus.choices],
        "communities": selectors.communities_visible_to(request.user),
        "community_id": community_id,
        "partial": "party/partials/registration_results.html",
        "step_within": waits.REGISTRATION_STEP_WORKING_DAYS,
    }
    return page(request, "party/registrations.html", "registrations", context)


def _detail(request: HttpRequest, pk: int, **forms: object) -> HttpResponse:
    reg = selectors.member_registration_get_for(request.user, pk)
    post, duties = SPECIALTY_POSTS.get(reg.specialty, ("", ""))
    post_form = forms.get("post_form") or PostForm(
        user=request.user, registration=reg, initial={"post": post, "duties": duties}
    )
    waited, overdue = waits.waited_and_overdue(reg)
    context = {
        "reg": reg,
        "waits_for": waits.waits_for(reg),
        "waiting_since": waits.waiting_since(reg),
        "waited": waited,
        "overdue": overdue,
        "phone_masked": mask_phone(reg.phone),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "post_form": post_form,
        "may_decide": reg.status in (RegistrationStatus.PENDING, RegistrationStatus.APPROVED),
        "may_end": reg.status
        in (RegistrationStatus.PENDING, RegistrationStatus.APPROVED, RegistrationStatus.ACTIVE),
        "earlier": list(
            selectors.member_registrations_visible_to(request.user)
            .filter(phone=reg.phone)
            .exclude(pk=reg.pk)
            .order_by("-registered_on")
        )
        if reg.phone
        else [],
    }
    return page(request, "party/registration_detail.html", "registrations", context)


@staff_page
@require_GET
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@staff_page
@require_POST
@redirect_on_error("party:registration", "pk")
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.member_registration_get_for(request.user, pk)
    return _to_registration(
        request, services.member_registration_approve(actor=request.user, registration=reg)
    )


@staff_page
@posted_form("party:registration")
@redirect_on_error("party:registration", "pk")
def registration_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.member_registration_get_for(request.user, pk)
    form = RefuseForm(request.POST)
    write = partial(services.member_registration_refuse, actor=request.user, registration=reg)
    done = partial(_to_registration, request)
    return form_submit(request, form, write, done) or _detail(request, pk, refuse_form=form)


@staff_page
@posted_form("party:registration")
@redirect_on_error("party:registration", "pk")
def registration_post(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.member_registration_get_for(request.user, pk)
    form = PostForm(request.POST, user=request.user, registration=reg)
    write = partial(services.member_registration_assign_post, actor=request.user, registration=reg)
    done = partial(_to_registration, request)
    return form_submit(request, form, write, done) or _detail(request, pk, post_form=form)


@staff_page
@require_POST
@redirect_on_error("party:registration", "pk")
def registration_end(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.member_registration_get_for(request.user, pk)
    ended = services.member_registration_end(
        actor=request.user, registration=reg, reason=request.POST.get("reason", "")
    )
    return _to_registration(request, ended)


def join_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("party:join", args=[code])) + f"?src={RegistrationSource.QR}"


@staff_page
@require_GET
def qr_codes(request: HttpRequest) -> HttpResponse:
    communities = [
        {"node": c, "url": join_url(request, c.code)} for c in selectors.communities_visible_to(request.user)
    ]
    return page(request, "party/qr_codes.html", "registrations", {"communities": communities})


@staff_page
@require_GET
def qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for(request.user, pk)
    return HttpResponse(core_printing.qr_png(join_url(request, community.code)), content_type="image/png")


@staff_page
@require_GET
def qr_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for(request.user, pk)
    pdf = printing.community_qr_sheet_pdf(community, join_url(request, community.code))
    return core_printing.pdf_response(pdf, f"register-{community.code}.pdf")
