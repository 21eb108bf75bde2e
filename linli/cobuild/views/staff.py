"""The staff's pages (desktop): the three lists and the ranked suggestions, projects, the order board, wishes
posted on residents' behalf, and the community fund with its two approvals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core.errors import Conflict, DomainError, ValidationFailed
from linli.core.pages import files_not_kept, form_errors, posted_form, redirect_on_error
from linli.core.scoping import get_or_404

from .. import permissions, selectors, services
from ..choices import Category, NeedState, OrderState, TransferKind, WishState
from ..forms import (
    AllocationForm,
    IncomeForm,
    NeedForm,
    PaymentForm,
    ProgressForm,
    ProjectForm,
    ResourceForm,
    ServiceItemForm,
    WishForForm,
)
from ..models import FundTransfer, Match, ServiceItem
from .common import community_page, list_page, staff_render, statement_period_of


def _community_param(request: HttpRequest) -> tuple[Any, Any]:
    communities = selectors.communities_for(request.user)
    chosen = communities.filter(pk=request.GET.get("community") or 0).first()
    return communities, chosen or communities.first()


def _done(request: HttpRequest, message: str, then: HttpResponse) -> HttpResponse:
    messages.success(request, message)
    return then


@community_page
@require_http_methods(["GET", "POST"])
def need_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    qs = (
        selectors.needs_visible_to(request.user)
        .annotate(n_matches=Count("matches"))
        .order_by("-urgency", "-created_at", "-pk")
    )
    return list_page(
        request,
        section="needs",
        template="cobuild/staff/needs.html",
        form=NeedForm(request.POST or None, communities=selectors.communities_for(request.user)),
        service=services.need_create,
        message=_("The need is on the list."),
        to=lambda need: reverse("cobuild:staff_need", args=[need.pk]),
        rows=qs.filter(state=state) if state in NeedState.values else qs,
        extra=lambda page: {
            "state": state,
            "states": NeedState.choices,
        },
        map_pick=True,
    )


@community_page
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get_for(request.user, pk)
    return staff_render(
        request,
        "cobuild/staff/need.html",
        "needs",
        {
            "need": need,
            "suggestions": selectors.suggestions_for(need) if need.state in ("open", "matched") else [],
            "matches": list(selectors.matches_of(need)),
            # What this person may do to this need (a grid worker follows one they found, but matches or closes
            # nothing in the community above their grid): no button that would only be refused.
            "may": permissions.offered(request.user, [need.community.path]),
        },
    )


@community_page
@posted_form("cobuild:staff_need")
@redirect_on_error("cobuild:staff_need", "pk")
def match_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get_for(request.user, pk)
    resource = get_or_404(selectors.resources_visible_to(request.user), pk=request.POST.get("resource") or 0)
    services.match_confirm(actor=request.user, need=need, resource=resource)
    messages.success(request, _("Matched: %(r)s. Both sides are told.") % {"r": resource})
    return redirect("cobuild:staff_need", pk=need.pk)


@community_page
@require_http_methods(["GET", "POST"])
def resource_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.resources_visible_to(request.user)
    counts = dict(rows.values_list("category").annotate(n=Count("pk")).order_by())
    category = request.GET.get("category", "")
    if category in Category.values:
        rows = rows.filter(category=category)
    else:
        category = ""

    def with_loads(page: Any) -> dict[str, Any]:
        loads = selectors.resource_loads([r.pk for r in page])
        return {
            "rows": [(r, loads[r.pk]) for r in page],
            "category": category,
            "categories": [(v, label, counts[v]) for v, label in Category.choices if counts.get(v)],
        }

    return list_page(
        request,
        section="resources",
        template="cobuild/staff/resources.html",
        form=ResourceForm(request.POST or None, communities=selectors.communities_for(request.user)),
        service=services.resource_create,
        message=_("The resource is on the list."),
        rows=rows.order_by("category", "name", "pk"),
        extra=with_loads,
        map_pick=True,
    )


@community_page
@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    communities = selectors.communities_for(request.user)
    free = (
        Match.objects.filter(project__isnull=True, need__community__in=communities)
        .select_related("need", "resource")
        .order_by("-created_at")
    )
    projects = selectors.projects_visible_to(request.user).prefetch_related("matches__need")
    return list_page(
        request,
        section="projects",
        template="cobuild/staff/projects.html",
        form=ProjectForm(request.POST or None, communities=communities, matches=free),
        service=services.project_create,
        message=_("The project is on the list."),
        rows=projects.order_by("-created_at", "-pk"),
        extra=lambda page: {
            "rows": [(p, selectors.project_spent(p)) for p in page],
            "progress_form": ProgressForm(),
        },
    )


@community_page
@posted_form("cobuild:staff_projects", kwargs=())
@redirect_on_error("cobuild:staff_projects")
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for(request.user, pk)
    services.project_progress(
        actor=request.user,
        project=project,
        progress=request.POST.get("progress"),
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Progress saved."))
    return redirect("cobuild:staff_projects")


@community_page
@require_http_methods(["GET", "POST"])
def order_board(request: HttpRequest) -> HttpResponse:
    """Every order of my area by state, the late ones first; the service menu of my communities."""
    communities = selectors.communities_for(request.user)
    state = request.GET.get("state", "")
    qs = selectors.orders_visible_to(request.user).select_related("resident")
    counts = dict(
        selectors.orders_visible_to(request.user).values_list("state").annotate(n=Count("pk")).order_by()
    )
    return list_page(
        request,
        section="orders",
        template="cobuild/staff/orders.html",
        form=ServiceItemForm(request.POST or None, communities=communities),
        form_name="menu_form",
        service=services.service_item_create,
        message=_("The service is on the menu."),
        # Late ones first, then the next due; those with no step due (done, cancelled) last, on every database
        # (SQLite would put a missing deadline first).
        # An order done and waiting for the resident's rating is late on no one's side here: after the open ones.
        rows=(qs.filter(state=state) if state in OrderState.values else qs).order_by(
            Case(
                When(state__in=(OrderState.ORDERED, OrderState.ASSIGNED), then=Value(0)),
                When(state=OrderState.DONE, then=Value(1)),
                default=Value(2),
            ),
            F("breached_at").asc(nulls_last=True),
            F("due_at").asc(nulls_last=True),
            "-created_at",
        ),
        extra=lambda page: {
            "state": state,
            "states": [(v, label, counts.get(v, 0)) for v, label in OrderState.choices],
            "now": timezone.now(),
            "menu": ServiceItem.objects.filter(community__in=communities, active=True)
            .select_related("community")
            .order_by("community__path", "category", "name"),
        },
    )


@community_page
@posted_form("cobuild:staff_orders", kwargs=())
@redirect_on_error("cobuild:staff_orders")
def service_item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(
        ServiceItem.objects.filter(community__in=selectors.communities_for(request.user)), pk=pk
    )
    services.service_item_withdraw(actor=request.user, item=item)
    messages.success(request, _("The service is off the menu."))
    return redirect("cobuild:staff_orders")


@community_page
@require_http_methods(["GET", "POST"])
def wish_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        section="wishes",
        template="cobuild/staff/wishes.html",
        form=WishForForm(request.POST or None, communities=selectors.communities_for(request.user)),
        service=services.wish_post_for,
        message=_("The wish is posted for the resident."),
        rows=selectors.wishes_visible_to(request.user),
        extra=lambda page: {"states": WishState},
    )


@community_page
@require_http_methods(["GET", "POST"])
def fund(request: HttpRequest) -> HttpResponse:
    """A community's fund: balance and this year's statement, income and payment forms, payments awaiting
    approval, the transfers."""
    communities, community = _community_param(request)
    projects = selectors.projects_visible_to(request.user).filter(community=community)
    which = request.POST.get("form", "")
    income_form = IncomeForm(
        request.POST if which == "income" else None,
        request.FILES if which == "income" else None,
        communities=communities,
        initial={"community": community, "occurred_on": timezone.localdate()},
        auto_id="income_%s",  # the three forms share field names: each label names its own form's field
    )
    pay_form = PaymentForm(  # the receipt goes to the form posted only: a file binds a form
        request.POST if which == "payment" else None,
        request.FILES if which == "payment" else None,
        projects=projects,
        auto_id="payment_%s",
    )
    room = selectors.projects_unallocated(projects)
    allocate_form = AllocationForm(
        request.POST if request.POST.get("form") == "allocate" else None,
        projects=projects.order_by("title", "pk"),
        room=room,
        initial={"project": request.GET.get("project")},
        auto_id="allocate_%s",
    )
    back = redirect(f"{request.path}?community={community.pk}" if community else request.path)
    # (form, service, message, errors shown on the form): a payment asked beyond the project's budget and an
    # allocation beyond it or the money held are refused on their form with what was typed.
    posted: tuple[Any, Any, str, tuple[type[DomainError], ...]] | None = {
        "income": (income_form, services.income_record, _("Income recorded."), (ValidationFailed,)),
        "payment": (
            pay_form,
            services.payment_request,
            _("Payment asked for; two approvals are needed."),
            (ValidationFailed, Conflict),
        ),
        "allocate": (
            allocate_form,
            services.project_allocate,
            _("Allocated: the money is on the project's account for its payments."),
            (ValidationFailed, Conflict),
        ),
    }.get(which)
    if posted is not None:
        form, service, message, catch = posted
        if form.is_valid():
            with form_errors(form, catch=catch):
                service(actor=request.user, **form.cleaned_data)
                return _done(request, message, back)
        files_not_kept(request, form)  # a receipt chosen is not kept by the browser: the form says so
    context = {
        "communities": communities,
        "community": community,
        "income_form": income_form,
        "pay_form": pay_form,
        "allocate_form": allocate_form,
        "project_room": room,
    }
    if community is not None:
        period = statement_period_of(request)
        end = period["period_end"] + dt.timedelta(days=1)
        context |= period | {
            "balance": selectors.balance_of(selectors.fund_account(community)),
            "statement": selectors.statement(community, period["period_start"], end),
            "pending": [
                (p, services.payment_approval_refused(request.user, p))
                for p in selectors.pending_payments(community).select_related(
                    "requested_by", "first_approver"
                )
            ],
            "ledger_total": selectors.ledger_total(community),
            **_entries(request, community, period["period_start"], end),
        }
    return staff_render(request, "cobuild/staff/fund.html", "fund", context)


ENTRIES_PER_PAGE = 10


def _entries(request: HttpRequest, community: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The fund's records of the statement's period [start, end), the latest first, of one kind when `kind` asks,
    ten to a page (the page groups them by month)."""
    kind = request.GET.get("kind", "")
    rows = selectors.transfers_of(community).filter(occurred_on__gte=start, occurred_on__lt=end)
    if kind in TransferKind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    return {
        "transfers": Paginator(rows, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
        "entry_kind": kind,
        "entry_kinds": TransferKind.choices,
    }


@community_page
@posted_form("cobuild:staff_fund", kwargs=())
@redirect_on_error("cobuild:staff_fund")
def payment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    payment = selectors.payment_get_for(request.user, pk)
    if action == "approve":
        payment = services.payment_approve(actor=request.user, payment=payment)
        messages.success(
            request, _("Paid.") if payment.state == "paid" else _("Approved; a second person approves next.")
        )
    else:
        services.payment_reject(actor=request.user, payment=payment, reason=request.POST.get("reason", ""))
        messages.success(request, _("Rejected."))
    return redirect(f"/cobuild/staff/fund/?community={payment.project.community_id}")


@community_page
@posted_form("cobuild:staff_fund", kwargs=())
@redirect_on_error("cobuild:staff_fund")
def transfer_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_or_404(
        FundTransfer.objects.filter(community__in=selectors.communities_for(request.user)), pk=pk
    )
    services.transfer_reverse(actor=request.user, transfer=transfer, reason=request.POST.get("reason", ""))
    messages.success(request, _("Reversed; both transfers stay in the ledger."))
    return redirect(f"/cobuild/staff/fund/?community={transfer.community_id}")


@community_page
@posted_form("cobuild:staff_need")
@redirect_on_error("cobuild:staff_need", "pk")
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get_for(request.user, pk)
    services.need_close(actor=request.user, need=need, reason=request.POST.get("reason", ""))
    messages.success(request, _("The need is closed."))
    return redirect("cobuild:staff_need", pk=need.pk)
