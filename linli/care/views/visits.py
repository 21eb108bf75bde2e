"""Pages of care and mediation: the visitor's day on the phone (today's visits and calls, record one), the staff's
care plans by colour and a plan's page, and mediation cases from opening to the agreement PDF and its follow-up.
Objects come through the scoping selectors (outside the scope: 404; the full read of a plan or case is audited);
every write is a service call; a refused form is shown again with its error and everything typed kept (422)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from linli.accounts.auth import request_account
from linli.appeals.selectors import appeals_visible_to
from linli.core.clientip import client_ip
from linli.core.errors import ValidationFailed
from linli.core.links import public_link
from linli.core.orgpath import path_ids
from linli.core.pages import posted_form, redirect_on_error, refused_status, signed_in_page, staff_page
from linli.core.printing import pdf_response
from linli.core.scoping import is_staff_member
from linli.territory.models import Resident
from linli.territory.selectors import grids_visible_to, resident_get_for, residents_search
from linli.territory.services.common import may_maintain

from .. import permissions, printing, rules, selectors, services
from ..appeal_link import appeal_page_id, appeal_page_ids, case_initial, may_open_case
from ..choices import OPEN_CONTACT_STATES, CaseState, ContactKind, ContactState, VisitorKind
from ..forms import (
    AgreementForm,
    CaseForm,
    CloseForm,
    FollowUpForm,
    PartyForm,
    PlanForm,
    ProfessionalForm,
    RecordForm,
    ServiceForm,
    SessionForm,
    VisitorForm,
)
from ..menu import forget_gives_care
from ..models import CareContact, CarePlan, MediationCase
from ..visitors import visitors_for
from ..workflow import allowed
from .common import action_ids, form_write, object_action

PER_PAGE = 50
FOUND = 20  # residents a page for "start care for someone" (`?found=`)


@signed_in_page
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The visitor's day (phone first): visits and calls due today or overdue, red first and the late ones first within a colour. A volunteer
    or party member sees the ones assigned to them, and the services they give."""
    day = timezone.localdate()
    forget_gives_care(request)  # the menu's entry asks again here, where the person reads their visits
    contacts = list(selectors.contacts_for_today(request.user, day))
    open_ones = _one_line_each([c for c in contacts if c.state != ContactState.DONE])
    done = [c for c in contacts if c.state == ContactState.DONE]
    services_today = list(selectors.services_for_today(request.user, day))
    context = {
        "open": open_ones,
        "done": done,
        "day": day,
        "services": services_today,
        "upcoming": Paginator(selectors.contacts_upcoming(request.user, day), NEXT_PER_PAGE).get_page(
            request.GET.get("next")
        ),
        "staff": is_staff_member(request.user),
    }
    if context["staff"] and not open_ones:
        # A community worker visits no one of their own: an empty day pointed them nowhere while the calls their
        # grids missed waited on 错过与上报.
        context["late"] = (
            selectors.contacts_visible_to(request.user)
            .filter(state__in=[ContactState.MISSED, ContactState.ESCALATED])
            .count()
        )
    return render(request, "care/today.html", context)


def _one_line_each(contacts: list[CareContact]) -> list[CareContact]:
    """One line per person and kind of contact: the first of the day's order (the most late, the oldest) says how
    late, with `more` the number of that person's other open ones of the kind (missed calls beside today's), so a
    phone does not list one person three times. The line records `record`, the latest of them not escalated
    (today's call): reaching the person with it covers the older missed ones (`care_contact_record`), and it
    counts on its own day in the figures; recording the oldest would have left today's call to do."""
    first: dict[tuple[int, str], CareContact] = {}
    for c in contacts:
        line = first.setdefault((c.plan_id, c.kind), c)
        line.more = getattr(line, "more", -1) + 1  # type: ignore[attr-defined]
        latest = getattr(line, "record", line)
        if c.state != ContactState.ESCALATED and (
            latest.state == ContactState.ESCALATED or c.due_on > latest.due_on
        ):
            latest = c
        line.record = latest  # type: ignore[attr-defined]
    return list(first.values())


@signed_in_page
@require_http_methods(["GET", "POST"])
@redirect_on_error("care:record", "pk")
def contact_record(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_read_for(request.user, pk)
    staff = is_staff_member(request.user)
    # The visitor goes back to their day; staff opening someone else's (the community, from 错过与上报 or the
    # plan's history) back to the person's plan: their own day has nothing of it.
    others = staff and contact.assignee_id not in (None, request.user.pk)
    if contact.state not in OPEN_CONTACT_STATES:  # recorded already: what was recorded, and no form
        if request.method == "POST":
            services.care_contact_check_open(contact)  # refused, with its message, back to this page
        context = {"contact": contact, "plan": contact.plan, "staff": staff, "others": others}
        return render(request, "care/record.html", context)
    form = RecordForm(
        request.POST or None,
        ask_minutes=contact.assignee_kind != VisitorKind.WORKER,
        call=contact.kind == ContactKind.CALL,
        own_day=not others,
    )
    record = partial(services.care_contact_record, contact=contact)
    back = redirect("care:plan", pk=contact.plan_id) if others else redirect("care:today")
    done = form_write(request, form, record, partial(_recorded_message, others=others), lambda _c: back)
    plan = contact.plan
    context = {
        "contact": contact,
        "plan": plan,
        "form": form,
        "staff": staff,
        "others": others,
        "today": timezone.localdate(),  # a late one says so, and how late, as on the day's page
        # No number of their own on file: who keeps the register is taken to its edit page to add one.
        "keeps_register": may_maintain(request.user),
        # What reaching the person now settles, and the escalated ones it leaves with the community.
        "coverable": services.care_contact_coverable(contact).count(),
        "escalated_older": selectors.contacts_before(contact, ContactState.ESCALATED).count(),
        # An escalated one the person was since reached on: the community may close it as covered.
        "reached_later": services.care_contact_reached_later(contact)
        if contact.state == ContactState.ESCALATED
        else None,
    }
    return done or render(request, "care/record.html", context, status=refused_status(request))


@signed_in_page
@posted_form("care:record")
@redirect_on_error("care:record", "pk")
def contact_cover(request: HttpRequest, pk: int) -> HttpResponse:
    """An escalated visit or call closed as covered by the later one that reached the person."""
    contact = selectors.contact_get_for(request.user, pk)
    services.care_contact_cover(actor=request_account(request), contact=contact)
    messages.success(request, _("Closed as covered by the later contact that reached the person."))
    return redirect("care:record", pk=pk)


@staff_page
@posted_form("care:plans")
def contacts_cover(request: HttpRequest) -> HttpResponse:
    """Several escalated visits and calls ticked on the list (错过与上报) closed as covered in one go, each on its
    own: the message counts those closed and names each refused with why. Back to the list's page it was on."""
    ids = {int(v) for v in request.POST.getlist("contacts") if v.isdigit()}
    page = request.POST.get("late", "")
    # Back to the list's page at the top, where the message counting what was closed and refused is read (at #late
    # the page opened below it, and the count went unseen).
    back = reverse("care:plans") + (f"?late={page}" if page.isdigit() else "")
    if not ids:
        messages.error(request, _("Tick the visits and calls to close as covered."))
        return redirect(back)
    chosen = list(selectors.contacts_visible_to(request.user).filter(pk__in=ids).order_by("due_on", "pk"))
    closed, refused = services.care_contacts_cover(actor=request_account(request), contacts=chosen)
    if closed:
        messages.success(
            request,
            ngettext(
                "%(n)d closed as covered by the later contact that reached the person.",
                "%(n)d closed as covered by the later contact that reached each person.",
                len(closed),
            )
            % {"n": len(closed)},
        )
    unseen = len(ids) - len(chosen)  # gone, or not in the reader's area: not closed either
    if refused or unseen:
        said = [
            _("%(name)s, %(kind)s due %(day)s: %(why)s")
            % {
                "name": c.plan.resident.name,
                "kind": c.get_kind_display(),
                "day": f"{c.due_on:%m-%d}",
                "why": why,
            }
            for c, why in refused
        ]
        if unseen:
            said.append(
                ngettext("%(n)d not found in your area", "%(n)d not found in your area", unseen)
                % {"n": unseen}
            )
        messages.warning(
            request,
            ngettext("%(n)d not closed: %(which)s", "%(n)d not closed: %(which)s", len(refused) + unseen)
            % {"n": len(refused) + unseen, "which": "；".join(said)},
        )
    return redirect(back)


def _recorded_message(contact: CareContact, *, others: bool = False) -> str:
    if (
        contact.state in OPEN_CONTACT_STATES and others
    ):  # someone else's: it is on their day, not the reader's
        return _("The attempt is recorded: it stays open for another try.")
    if contact.state in OPEN_CONTACT_STATES:  # an attempt: still to do
        return _("The attempt is recorded: it stays on today's list for another try.")
    return _("Recorded. Thank you.")


LATE_PER_PAGE = 15
REASSESS_PER_PAGE = 30
NEXT_PER_PAGE = 5  # the day's glimpse of the visits coming next, five at a time


@staff_page
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """The staff's desk: care plans by colour, what is missed or escalated, and reassessments due."""
    day = timezone.localdate()
    # The filters a grid worker on patrol reaches for first: their grid, the colour, the ones overdue.
    level = request.GET.get("level", "")
    level = level if level in rules.LEVELS else ""
    grids = list(selectors.plan_grids(request.user))
    grid = request.GET.get("grid", "")
    grid = grid if grid in {str(g.pk) for g in grids} else ""
    overdue = request.GET.get("overdue") == "1"
    plans = selectors.plans_listed(request.user, day, level=level, grid=grid, overdue=overdue)
    page = Paginator(plans, PER_PAGE).get_page(request.GET.get("page"))
    # A plan with no visitor of its own is visited by its grid's worker: the list names them.
    visitors = selectors.grid_visitors(p.grid_id for p in page.object_list if not p.caregiver_id)
    rows = [(p, visitors.get(p.grid_id)) for p in page.object_list]
    # Care starts from a resident of the register: found here by name, address or the tail of a phone or ID
    # number, each with a link to set their level (the oldest first: care is mostly for the elderly).
    may_assess = permissions.may_anywhere(request.user, "care_assess")
    find = request.GET.get("find", "").strip()[:50]
    found = Paginator(
        residents_search(request.user, q=find).order_by("birth_date", "pk")
        if find and may_assess
        else Resident.objects.none(),
        FOUND,
    ).get_page(request.GET.get("found"))
    # Escalated before missed, the oldest first, a page at a time (`?late=2`): a community can have hundreds.
    late = Paginator(
        selectors.contacts_visible_to(request.user)
        .filter(state__in=[ContactState.MISSED, ContactState.ESCALATED])
        .annotate(reached_since=selectors.reached_since())
        .order_by("state", "due_on", "pk"),
        LATE_PER_PAGE,
    ).get_page(request.GET.get("late"))
    context = {
        "page": page,
        "rows": rows,
        "level": level,
        "grid": grid,
        "grids": grids if len(grids) > 1 else [],
        "overdue": overdue,
        "filter_url": _filter_urls(level=level, grid=grid, overdue=overdue),
        "summary": selectors.care_summary(request.user, day),
        "late": late,
        # Escalated ones the person was since reached on: ticked and closed as covered in one go.
        "may_cover": permissions.may_anywhere(request.user, "care_record")
        and any(
            c.state == ContactState.ESCALATED and getattr(c, "reached_since", None) for c in late.object_list
        ),
        "reassess": Paginator(selectors.reassessments_due(request.user, day), REASSESS_PER_PAGE).get_page(
            request.GET.get("reassess")
        ),
        "day": day,
        "may_assess": may_assess,
        "find": find,
        "found": found.object_list,
        "found_page": found,
    }
    return render(request, "care/plans.html", context)


def _filter_urls(**chosen: Any) -> dict[str, str]:
    """The list's filter links, each keeping the other filters chosen (and going back to the first page): by
    colour (`level_<value>`, `level_` for all) and overdue on or off (`overdue_on`, `overdue_off`)."""

    def url(**change: Any) -> str:
        query = {k: v for k, v in {**chosen, **change}.items() if v}
        return "?" + urlencode({k: "1" if v is True else v for k, v in query.items()}) + "#people"

    links = {f"level_{value}": url(level=value) for value in ("", *rules.LEVELS)}
    return {**links, "overdue_on": url(overdue=True), "overdue_off": url(overdue=False)}


VISITS_PER_PAGE = 10
NEXT_VISITS = 3
HISTORY_PER_PAGE = 10  # a plan's assessments, services and alerts, each ten a page


def _page(request: HttpRequest, rows: QuerySet[Any], param: str) -> Page[Any]:
    return Paginator(rows, HISTORY_PER_PAGE).get_page(request.GET.get(param))


@staff_page
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_read_for(request.user, pk)
    # A phone reads each visit as a card, so sixty of them were a long scroll before the services below: the next
    # NEXT_VISITS scheduled ones (the rest folded), then today's and the earlier ones ten a page, latest first.
    today = timezone.localdate()
    rows = plan.contacts.select_related("assignee", "done_by", "covered_by").prefetch_related("attempts")
    upcoming = list(rows.filter(due_on__gt=today).order_by("due_on", "kind", "pk"))
    contacts = Paginator(
        rows.filter(due_on__lte=today).order_by("-due_on", "kind", "pk"), VISITS_PER_PAGE
    ).get_page(request.GET.get("visits"))
    may_assess = permissions.may(request.user, "care_assess", plan.grid.org_node.path)
    visitors = visitors_for(request.user, plan.grid, current=plan) if may_assess else []
    alerts = _page(request, plan.alerts.select_related("raised_by"), "alerts")
    context = {
        "plan": plan,
        "contacts": contacts,
        # Latest first from the top, as the rest: the next three read 12-21, 12-14, 12-09 above today's.
        "next_visits": upcoming[:NEXT_VISITS][::-1] if contacts.number == 1 else [],
        "later_visits": upcoming[NEXT_VISITS:] if contacts.number == 1 else [],
        # No visitor of its own: its grid's worker visits, named even when nothing is scheduled ahead.
        "grid_visitor": None
        if plan.caregiver_id
        else selectors.grid_visitors([plan.grid_id]).get(plan.grid_id),
        "assessments": _page(request, plan.assessments.select_related("actor"), "assessments"),
        "may_assess": may_assess,
        "today": today,
        "frequency": rules.frequency(plan.level),
        "visitor_form": VisitorForm(initial={"caregiver": plan.caregiver_id}, visitors=visitors),
        "services": _page(request, plan.services.select_related("volunteer"), "services"),
        "alerts": alerts,
        # Each alert's work order, linked for a reader who may open it.
        "alert_orders": appeal_page_ids(request.user, [a.appeal_number for a in alerts]),
        "service_form": ServiceForm(visitors=visitors),
        "may_record": permissions.may(request.user, "care_record", plan.grid.org_node.path),
        "alert_url": public_link(reverse("care:home_alert", args=[plan.alert_token]), request)
        if plan.alert_token
        else "",
    }
    return render(request, "care/plan_detail.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def plan_assess(request: HttpRequest, resident_pk: int) -> HttpResponse:
    """Confirm a resident's level: the rules' proposal shown beside the circumstances, a reason required."""
    resident = resident_get_for(request.user, resident_pk)
    plan = CarePlan.objects.filter(resident=resident).first()
    initial: dict[str, Any] = {}
    if plan is not None:
        last = plan.assessments.first()  # a reassessment starts from the circumstances answered last time
        initial = {
            "level": plan.level,
            "caregiver": plan.caregiver_id,
            "needs": plan.needs,
            "emergency_contact": plan.emergency_contact,
            "emergency_phone": plan.emergency_phone,
            "ill": bool(last and last.ill),
            "no_family_support": bool(last and last.no_family_support),
        }
    # "Count the ticks" posts the form without confirming: the proposal is worked out again with illness and
    # family support as ticked, and everything typed comes back as it was, with no error for what is not filled yet.
    recount = request.method == "POST" and "recount" in request.POST
    if recount:
        initial |= {k: v for k, v in request.POST.items() if k in PlanForm.base_fields}
        initial |= {box: box in request.POST for box in ("ill", "no_family_support")}
    form = PlanForm(
        None if recount else (request.POST or None),
        initial=initial,
        visitors=visitors_for(request.user, resident.grid, current=plan),
    )
    ticked = request.POST if request.method == "POST" else initial
    proposal = rules.propose_level(
        resident,
        today=timezone.localdate(),
        ill=bool(ticked.get("ill")),
        no_family_support=bool(ticked.get("no_family_support")),
    )
    if not form.is_bound and plan is None:
        form.initial["level"] = proposal.level
    done = form_write(
        request,
        form,
        partial(services.care_plan_confirm, resident=resident),
        _("Care level confirmed; the visits are scheduled."),
        lambda made: redirect("care:plan", pk=made.pk),
    )
    context = {"resident": resident, "form": form, "proposal": proposal, "plan": plan}
    return done or render(
        request, "care/assess.html", context, status=200 if recount else refused_status(request)
    )


@staff_page
@posted_form("care:plan")
@redirect_on_error("care:plan", "pk")
def plan_visitor(request: HttpRequest, pk: int) -> HttpResponse:
    """Who visits from today on: the open visits and calls from today go to them."""
    plan = selectors.plan_get_for(request.user, pk)
    form = VisitorForm(request.POST, visitors=visitors_for(request.user, plan.grid, current=plan))
    if not form.is_valid():
        raise ValidationFailed(_("Choose a visitor from the list."))
    services.care_plan_visitor_set(
        actor=request_account(request), plan=plan, visitor=form.cleaned_data["caregiver"]
    )
    messages.success(request, _("The visits from today on are assigned."))
    return redirect("care:plan", pk=plan.pk)


@staff_page
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_visible_to(request.user).order_by("-created_at", "-id")
    state = request.GET.get("state", "")
    if state in CaseState.values:
        cases = cases.filter(state=state)
    today = timezone.localdate()
    follow_up = request.GET.get("follow_up", "") == "due"
    if follow_up:
        cases = selectors.cases_follow_up_due(request.user, today).order_by("follow_up_on", "id")
        state = ""
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    summary = selectors.case_summary(request.user)
    context = {
        "page": page,
        "state": state,
        "follow_up": follow_up,
        "today": today,
        "states": CaseState,
        "state_counts": [(v, label, summary["by_state"].get(v, 0)) for v, label in CaseState.choices],
        "summary": summary,
        "may_open": permissions.may_anywhere(request.user, "case_open"),
    }
    return render(request, "care/cases.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """A new case; `?appeal=<tracking number>` (the appeal page's 转人民调解) fills it from that appeal when the
    reader may open a case from it, else only the number is filled, which the form then refuses with its reason."""
    number = request.GET.get("appeal", "").strip()[:24]
    initial: dict[str, Any] = {"appeal_number": number}
    appeal = (
        appeals_visible_to(request.user).filter(tracking_number=number).first()
        if number and request.method == "GET"
        else None
    )
    filled_from = None
    if appeal is not None and may_open_case(request.user, appeal):
        initial = case_initial(request.user, appeal, ip=client_ip(request) or None)
        filled_from = appeal
    form = CaseForm(
        request.POST or None,
        initial=initial,
        grids=grids_visible_to(request.user).order_by("code", "pk"),
        actor=request.user,
    )
    done = form_write(
        request,
        form,
        lambda actor, **_data: services.case_open(actor=actor, **form.service_args()),
        lambda case: _("Case %(n)s opened.") % {"n": case.number},
        lambda case: redirect("care:case", pk=case.pk),
    )
    context = {"form": form, "filled_from": filled_from}
    return done or render(request, "care/case_form.html", context, status=refused_status(request))


def _rota_for(request: HttpRequest, case: MediationCase) -> Any:
    """The rota of the case's community: those the mediator may call in."""
    return (
        selectors.rota_visible_to(request.user)
        .filter(active=True, community_id__in=path_ids(case.grid.org_node.path))
        .order_by("kind", "name")
    )


def _follow_up(*, amount_recovered: Decimal | None, **data: Any) -> Any:
    return services.case_follow_up(amount_recovered=amount_recovered or Decimal(0), **data)


# Each action of a case's page: its form and the service its form feeds.
CASE_ACTIONS: dict[str, tuple[Any, Any]] = {
    "party": (PartyForm, services.party_add),
    "session": (SessionForm, services.session_record),
    "professional": (ProfessionalForm, services.case_call_professional),
    "sign": (AgreementForm, services.agreement_sign),
    "follow_up": (FollowUpForm, _follow_up),
    "close": (CloseForm, services.case_close),
}


def _case_page(
    request: HttpRequest, case: MediationCase, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    path = case.grid.org_node.path
    may = permissions.actions_for(request.user, path)
    offered = {
        "party": "case_mediate" in may and allowed(case.state, "party"),
        "session": "case_mediate" in may and allowed(case.state, "session"),
        "professional": "case_mediate" in may and allowed(case.state, "professional"),
        "sign": "case_mediate" in may and allowed(case.state, "sign"),
        "follow_up": "case_mediate" in may and allowed(case.state, "follow_up_holds"),
        "close": "case_supervise" in may and allowed(case.state, "close"),
    }
    rota = _rota_for(request, case)
    agreement = getattr(case, "agreement", None)
    for name, (form_class, _service) in CASE_ACTIONS.items():
        more: dict[str, Any] = {"rota": rota} if name == "professional" else {}
        if name == "follow_up" and agreement is not None and agreement.amount:
            # The follow-up checks the agreement was kept: the amount it set to pay, to put right if not all was.
            more["initial"] = {"amount_recovered": agreement.amount}
        forms.setdefault(name, form_class(auto_id=action_ids(name), **more))
    context = {
        "case": case,
        "forms": forms,
        "offered": offered,
        "any_offered": any(offered.values()),
        "events": case.events.select_related("actor"),
        "appeal_id": appeal_page_id(request.user, case),  # opened from an appeal the reader sees: linked
        "on_duty": [p for p in rota if str(timezone.localdate().isoweekday()) in p.weekdays],
        # A follow-up visit due today or earlier opens its form; one past its day says how late (as the list does).
        "follow_up_days_late": (timezone.localdate() - case.follow_up_on).days
        if offered["follow_up"] and case.follow_up_on and not case.followed_up_at
        else None,
    }
    return render(request, "care/case_detail.html", context, status=status)


@staff_page
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, selectors.case_read_for(request.user, pk), {})


@staff_page
@posted_form("care:case", kwargs=("pk",))
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a case (its form posted here); refused or invalid: the case page again with the form's
    errors and what was typed (422)."""
    case = selectors.case_read_for(request.user, pk)
    return object_action(
        request,
        case,
        action,
        CASE_ACTIONS,
        keyword="case",
        detail="care:case",
        page=_case_page,
        extra={"professional": {"rota": _rota_for(request, case)}},
    )


@staff_page
@require_GET
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_read_for(request.user, pk)
    if not hasattr(case, "agreement"):
        return redirect("care:case", pk=pk)
    return pdf_response(printing.agreement_pdf(case), f"agreement-{case.number}.pdf")
