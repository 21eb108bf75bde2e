"""The staff workbench: the queue and the other tabs, the filtered list's export, and acknowledging many at
once. The list is filtered by appeals/filters.py, the same filter set as the API's list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.audit import audit_record
from linli.core.pages import go_to, safe_url, staff_page

from .. import forms as f
from .. import selectors, services, sla
from ..choices import OPEN_STATE_VALUES, AppealState, PartState
from ..exports import appeals_csv, appeals_xlsx
from ..filters import AppealFilterForm, AppealFilters
from ..models import Appeal, AppealPart
from ..parts import part_state
from ..permissions import (
    CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE,
    NODE_LEVEL,
    actor_level,
    is_tree_staff,
    may,
)
from .common import due_status
from .listing import not_taken, paged
from .split import with_category_suggestions

PAGE_SIZE = 30

TABS = [
    ("queue", gettext_lazy("My queue")),
    ("supervise", gettext_lazy("To decide")),
    ("parts", gettext_lazy("Whistle parts")),
    ("whistle_requests", gettext_lazy("Whistle requests")),
    ("callbacks", gettext_lazy("Callbacks")),
    ("duplicates", gettext_lazy("Suggested merges")),
    ("all", gettext_lazy("All in my area")),
]


# A summoned part's state → the row's marker: what the unit owes is its part, not the organiser's deadline.
PART_DUE = {
    PartState.REPORT_OVERDUE: "overdue",
    PartState.OVERDUE: "overdue",
    PartState.DUE_SOON: "near",
}


def summoned_parts(user: User, appeal_ids: list[int] | None = None) -> list[tuple[AppealPart, PartState]]:
    """The parts the user's unit owes on appeals another unit holds (it was summoned to them: 吹哨报到), each with
    its state; nothing, and no query, for someone of no unit."""
    if not user.organisation_id:
        return []
    parts = selectors.parts_for(user).exclude(appeal__unit_org_id=user.organisation_id)
    if appeal_ids is not None:
        parts = parts.filter(appeal_id__in=appeal_ids)
    now = timezone.now()
    return [(p, part_state(p, now, paused_at=sla.stopped_at(p.appeal))) for p in parts]


def mark(appeals: list[Appeal], user: User) -> list[Appeal]:
    """Each appeal's due marker and whether the user may acknowledge it from the list. An appeal the user's unit
    was summoned to shows the unit's part: its state and clocks, and the marker its own clocks give."""
    now = timezone.now()
    owed = {p.appeal_id: (p, state) for p, state in summoned_parts(user, [a.pk for a in appeals])}
    for a in appeals:
        part, state = owed.get(a.pk, (None, None))
        a.my_part, a.my_part_state = part, state  # type: ignore[attr-defined]
        a.due = PART_DUE.get(state, "") if state else due_status(a, now)  # type: ignore[attr-defined]
        a.can_ack = a.state == AppealState.DISPATCHED and may(user, "acknowledge", a)  # type: ignore[attr-defined]
    return appeals


def _queue_totals(user: User) -> tuple[int, int]:
    """How many of the queue are overdue and due soon: by the appeal's deadline, or for one the unit was summoned to,
    by its part's clocks (a report-in missed is overdue whatever the organiser's deadline says)."""
    queue = selectors.queue_for(user)
    parts = summoned_parts(user)
    if parts:
        queue = queue.exclude(pk__in=[p.appeal_id for p, _state in parts])
    markers = [PART_DUE.get(state, "") for _part, state in parts]
    return (
        selectors.overdue(queue).count() + markers.count("overdue"),
        selectors.near_due(queue).count() + markers.count("near"),
    )


def _filters(request: HttpRequest, tab: str) -> AppealFilters:
    return AppealFilters(request.GET, user=request_account(request), open_default=tab != "all")


def _listed(user: User, tab: str, filters: AppealFilters) -> QuerySet[Appeal]:
    """The list of the queue tab (the user's own) or the all tab (everything they may see), filtered."""
    base = selectors.queue_for(user) if tab == "queue" else selectors.appeals_visible_to(user)
    return filters.apply(base)


def _tab_counts(user: User) -> dict[str, int]:
    supervise = selectors.extension_requests_for(user).count() + selectors.awaiting_dispatch_for(user).count()
    return {
        "supervise": supervise,
        "parts": selectors.parts_for(user).count(),
        "whistle_requests": selectors.whistle_requests_for(user).count(),
        "callbacks": selectors.callbacks_for(user).count(),
        "duplicates": selectors.duplicate_suggestions_for(user).count(),
    }


# A unit's handler (a department's, a property company's) works its queue and its summoned parts; the tree's
# tabs (the desk's decisions, grid whistle requests, callbacks, merges) show for it only when they hold its work.
UNIT_TABS = frozenset({"queue", "parts", "all"})
# Who works in grids (a grid worker, a grid leader, a part-time grid worker, a building captain) decides no
# dispatch, is summoned to no part and calls no one back: those tabs show for them only when they hold work.
GRID_TABS = frozenset({"queue", "all"})


def _tabs_for(user: User, counts: dict[str, int]) -> list[tuple[str, Any]]:
    if is_tree_staff(user) and (actor_level(user) or 0) >= NODE_LEVEL["community"]:
        return TABS
    own = GRID_TABS if is_tree_staff(user) else UNIT_TABS
    return [(key, label) for key, label in TABS if key in own or counts.get(key)]


def _paged(request: HttpRequest, qs: QuerySet[Any], param: str) -> Page[Any]:
    """One list of the workbench a page at a time; `param` holds its page number, so that moving through one
    list of a tab keeps the others where they were (docs/web.md)."""
    return paged(request, qs, PAGE_SIZE, param)


# Each tab's lists: the query parameter that holds a list's page number → where the context holds that page.
PAGE_PARAMS = {
    "queue": {"page": "page"},
    "all": {"page": "page"},
    "supervise": {"extensions": "extensions", "escalated": "escalated", "page": "page"},
    "parts": {"parts": "parts"},
    "whistle_requests": {"requests": "whistle_requests"},
    "callbacks": {"callbacks": "callbacks"},
    "duplicates": {"merges": "suggestions"},
}
# The tabs the filters narrow (the others list what waits, whatever the filters say).
FILTERED_TABS = frozenset({"queue", "all"})


def _address_notes(
    request: HttpRequest,
    tab: str,
    tabs: list[tuple[str, Any]],
    filters: AppealFilters,
    context: dict[str, Any],
) -> list[str]:
    """What of the address the tab did not understand: a tab not offered, a filter value (the others applied), a
    page number, a parameter the tab does not take (a filter on a tab that lists what waits, `dept=-1`)."""
    notes = []
    asked = request.GET.get("tab")
    if asked and asked != tab:
        notes.append(
            _("There is no tab “%(tab)s” here: %(shown)s is shown.")
            % {"tab": asked, "shown": dict(tabs)[tab]}
        )
    known = {"tab", *PAGE_PARAMS[tab]}
    if tab in FILTERED_TABS:
        notes += filters.notes
        known |= set(AppealFilterForm.base_fields)
    notes += [context[key].note for key in PAGE_PARAMS[tab].values() if context[key].note]
    return notes + not_taken(request, known)


@staff_page
def workbench(request: HttpRequest) -> HttpResponse:
    user = request_account(request)
    counts = _tab_counts(user)
    tabs = _tabs_for(user, counts)
    tab = request.GET.get("tab", "queue")
    if tab not in dict(tabs):
        tab = "queue"
    filters = _filters(request, tab)
    context: dict[str, Any] = {
        "tab": tab,
        "tabs": tabs,
        "filter_form": filters.form,
        # On a phone the filters fold away so the work comes first; they stay open once one is set.
        "filters_set": bool(filters.form.errors)
        or any(request.GET.get(name) for name in filters.form.fields if name != "tab"),
        "counts": counts,
    }
    if tab == "supervise":
        context["extensions"] = _paged(
            request, selectors.extension_requests_for(user).order_by("requested_at", "id"), "extensions"
        )
        waiting = selectors.awaiting_dispatch_for(user)
        context["page"] = _paged(request, waiting.order_by("created_at", "id"), "page")
        escalated = selectors.appeals_visible_to(user).filter(
            state__in=OPEN_STATE_VALUES, escalation_count__gt=0
        )
        context["escalated"] = _paged(request, escalated.order_by("resolve_due_at", "id"), "escalated")
        context["escalated_appeals"] = mark(list(context["escalated"].object_list), user)
    elif tab == "parts":
        now = timezone.now()
        context["parts"] = _paged(request, selectors.parts_for(user).order_by("report_due_at", "id"), "parts")
        context["part_rows"] = [
            (p, part_state(p, now, paused_at=sla.stopped_at(p.appeal))) for p in context["parts"].object_list
        ]
    elif tab == "whistle_requests":
        requests = selectors.whistle_requests_for(user).order_by("raised_at", "id")
        context["whistle_requests"] = _paged(request, requests, "requests")
    elif tab == "callbacks":
        context["callbacks"] = _paged(
            request, selectors.callbacks_for(user).order_by("created_at", "id"), "callbacks"
        )
        context["attempts_needed"] = CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE
    elif tab == "duplicates":
        suggestions = (
            selectors.duplicate_suggestions_for(user)
            .select_related("appeal__grid", "candidate__grid")
            .order_by("-created_at", "-id")
        )
        context["suggestions"] = _paged(request, suggestions, "merges")
    else:
        qs = _listed(user, tab, filters)
        if tab == "all":
            qs = qs.order_by("-created_at", "-id")
        context["page"] = _paged(request, qs, "page")
        export = request.GET.copy()
        export.pop("page", None)
        export["tab"] = tab
        context["export_qs"] = export.urlencode()
        context["overdue_total"], context["near_total"] = _queue_totals(user)
    context["address_notes"] = _address_notes(request, tab, tabs, filters, context)
    if "page" in context:
        context["appeals"] = mark(list(context["page"].object_list), user)
        if tab == "supervise":  # the triage desk: the categories of a message that raises several issues
            with_category_suggestions(context["appeals"])
        # The bulk bar only when something listed may be acknowledged (a grid leader or captain acknowledges none).
        context["any_ack"] = any(getattr(a, "can_ack", False) for a in context["appeals"])
    template = (
        "appeals/partials/queue.html" if request.headers.get("HX-Request") else "appeals/workbench.html"
    )
    return render(request, template, context)


@staff_page
def workbench_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The workbench's filtered list (the queue or all appeals) as CSV or XLSX, personal data masked."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = request_account(request)
    tab = "all" if request.GET.get("tab") == "all" else "queue"
    filters = _filters(request, tab)
    if not filters.is_valid():
        messages.error(request, _("The filter is not valid; correct it and export again."))
        return redirect(f"{reverse('appeals:workbench')}?{request.GET.urlencode()}")
    qs = (
        _listed(user, tab, filters)
        .select_related("category__parent", "grid", "unit_node", "unit_org")
        .order_by("-created_at", "-id")
    )
    now = timezone.localtime()
    stamp = now.strftime("%Y%m%d-%H%M")
    audit_record(
        actor=user,
        action="appeals_export",
        object_type="appeals.appeal",
        detail={
            "format": fmt,
            "tab": tab,
            "filters": {k: v for k, v in request.GET.items() if v},
            "masked": True,
        },
    )
    if fmt == "csv":
        return appeals_csv(qs, filename=f"appeals-{stamp}.csv")
    title = _("Appeals workbench") + " " + now.strftime("%Y-%m-%d %H:%M")
    return appeals_xlsx(qs, filename=f"appeals-{stamp}.xlsx", title=title)


@staff_page
@require_POST
def bulk_acknowledge(request: HttpRequest) -> HttpResponse:
    """htmx: acknowledge the ticked appeals, each on its own; the queue is re-rendered with the outcome."""
    user = request_account(request)
    form = f.BulkAcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick at least one appeal."))
    else:
        chosen = list(selectors.appeals_visible_to(user).filter(pk__in=form.cleaned_data["ids"]))
        result = services.appeals_acknowledge_bulk(actor=user, appeals=chosen)
        if result["acknowledged"]:
            messages.success(
                request,
                _("Acknowledged %(n)s appeals: %(numbers)s")
                % {"n": len(result["acknowledged"]), "numbers": "、".join(result["acknowledged"])},
            )
        if result["failed"]:
            messages.warning(
                request,
                _("Not acknowledged (someone else acted first, or not yours to acknowledge): %(numbers)s")
                % {"numbers": "、".join(result["failed"])},
            )
    # Back to the list as it was (its tab, filters and page), so the person goes on where they were.
    back = safe_url(request, request.POST.get("next"))
    workbench_url = reverse("appeals:workbench")
    return go_to(request, back if back.startswith(workbench_url) else workbench_url)
