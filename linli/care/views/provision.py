"""Pages of services for a person (book on the plan's page, deliver or cancel) and of one-tap alerts: from a
visit (the record page's buttons) and from the button kept at home (a secret link, no sign-in: the elderly person
or their family taps it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.accounts.auth import request_account
from linli.core.errors import ValidationFailed
from linli.core.links import public_link
from linli.core.pages import (
    form_refused,
    posted_form,
    redirect_on_error,
    refused_message,
    signed_in_page,
    staff_page,
)
from linli.core.printing import qr_png
from linli.core.scoping import is_staff_member

from .. import selectors, services
from ..choices import AlertKind, AlertSource
from ..forms import AlertForm, CancelServiceForm, DeliverForm, ServiceForm
from ..visitors import visitors_for


@staff_page
@posted_form("care:plan")
@redirect_on_error("care:plan", "pk")
def service_order(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_read_for(request.user, pk)
    form = ServiceForm(request.POST, visitors=visitors_for(request.user, plan.grid))
    if not form.is_valid():
        raise ValidationFailed(refused_message(form))
    services.care_service_order(actor=request_account(request), plan=plan, **form.cleaned_data)
    messages.success(request, _("Service booked."))
    return redirect("care:plan", pk=plan.pk)


@signed_in_page
@require_POST
def service_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Deliver or cancel a service; the volunteer or member who gives it may mark it given from their day."""
    service = selectors.service_get_for(request.user, pk)
    back = request.POST.get("next") == "today" or not is_staff_member(request.user)
    target = redirect("care:today") if back else redirect("care:plan", pk=service.plan_id)
    form = DeliverForm(request.POST) if action == "deliver" else CancelServiceForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)  # said naming the field; what was typed is filled in again on the page
        return target
    actor = request_account(request)
    # A refusal goes to the middleware, which says it on the page the person came from.
    if action == "deliver":
        services.care_service_deliver(actor=actor, service=service, **form.cleaned_data)
        messages.success(request, _("Service recorded as delivered."))
    else:
        services.care_service_cancel(actor=actor, service=service, **form.cleaned_data)
        messages.success(request, _("Service cancelled."))
    return target


@signed_in_page
@require_POST
@redirect_on_error("care:today")
def alert_from_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap during a visit (by a worker, or the volunteer or member visiting): an emergency work order is
    opened at once."""
    plan = selectors.plan_read_for(request.user, pk)
    form = AlertForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(refused_message(form))
    alert = services.care_alert_raise(
        actor=request_account(request), plan=plan, source=AlertSource.VISIT, **form.cleaned_data
    )
    messages.success(
        request, _("Emergency work order %(n)s opened; the community is told.") % {"n": alert.appeal_number}
    )
    # Raised from a visit's or call's page: back to it, still to record (it went to the plan, the visit to find
    # again). From the plan's page: back to the plan; a volunteer or member, who reads no plan: their day.
    contact = request.POST.get("contact", "")
    if contact.isdigit() and plan.contacts.filter(pk=int(contact)).exists():
        return redirect("care:record", pk=int(contact))
    return redirect("care:plan", pk=plan.pk) if is_staff_member(request.user) else redirect("care:today")


@staff_page
@posted_form("care:plan")
@redirect_on_error("care:plan", "pk")
def alert_token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_read_for(request.user, pk)
    services.care_alert_token_issue(actor=request_account(request), plan=plan)
    messages.success(request, _("A new alert link is issued; the old one no longer works."))
    return redirect("care:plan", pk=plan.pk)


@staff_page
def alert_qr(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_read_for(request.user, pk)
    if not plan.alert_token:
        return redirect("care:plan", pk=plan.pk)
    url = public_link(reverse("care:home_alert", args=[plan.alert_token]), request)
    return HttpResponse(qr_png(url), content_type="image/png")


@require_http_methods(["GET", "POST"])
def home_alert(request: HttpRequest, token: str) -> HttpResponse:
    """The alert button kept at home (no sign-in: the link is the key). One tap opens an emergency work order."""
    plan = services.plan_for_alert_token(token)
    alert = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind in AlertKind.values:
            alert = services.care_alert_raise(actor=None, plan=plan, kind=kind, source=AlertSource.HOME)
    context = {"plan": plan, "alert": alert, "kinds": AlertKind.choices}
    return render(request, "care/home_alert.html", context)
