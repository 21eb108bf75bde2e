"""Staff pages: the workbench queue, an appeal's detail with the actions the person's role may take, the hotline
operator form and the grid worker's patrol report. Every fetch goes through the appeals selectors (scope), every
write through the services; domain errors come back as messages or form errors, a Conflict clearly marked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.audit import audit_record
from linli.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from linli.territory.selectors import grids_visible_to

from . import forms as f
from . import selectors, services
from . import topics as topics_mod
from .choices import OPEN_STATE_VALUES, AppealKind, AppealState, Channel, Outcome, PhotoStage, Tier
from .exports import appeals_csv, appeals_xlsx
from .figures import day_bounds
from .models import Appeal, AppealPart, ExtensionRequest
from .permissions import actions_for, may, may_see_contact
from .selectors import organisations_for
from .services import duplicates
from .views import (
    add_domain_error,
    apply_domain_error,
    label_events,
    new_idempotency_key,
    request_idempotency_key,
    staff_required,
)

PAGE_SIZE = 30


# --- helpers -----------------------------------------------------------------------------------------------


def due_status(appeal: Appeal, now: dt.datetime) -> str:
    """ "overdue", "near" or "" for the queue's markers."""
    if appeal.state not in OPEN_STATE_VALUES or appeal.resolve_due_at is None:
        return ""
    if appeal.resolve_due_at < now:
        return "overdue"
    if appeal.warn_at is not None and appeal.warn_at <= now:
        return "near"
    return ""


def _mark(appeals: list[Appeal], user: Any) -> list[Appeal]:
    now = timezone.now()
    for a in appeals:
        a.due = due_status(a, now)  # type: ignore[attr-defined]
        a.can_ack = a.state == AppealState.DISPATCHED and may(user, "acknowledge", a)  # type: ignore[attr-defined]
    return appeals


# --- workbench ---------------------------------------------------------------------------------------------

TABS = [
    ("queue", gettext_lazy("My queue")),
    ("supervise", gettext_lazy("To decide")),
    ("parts", gettext_lazy("Whistle parts")),
    ("callbacks", gettext_lazy("Callbacks")),
    ("duplicates", gettext_lazy("Suggested merges")),
    ("all", gettext_lazy("All in my area")),
]


def _filtered(qs: QuerySet[Appeal], form: f.WorkbenchFilterForm, *, open_default: bool) -> QuerySet[Appeal]:
    if not form.is_valid():
        return qs.filter(state__in=OPEN_STATE_VALUES) if open_default else qs
    data = form.cleaned_data
    state = data.get("state") or ""
    if state == "all":
        pass
    elif state:
        qs = qs.filter(state=state)
    elif open_default:
        qs = qs.filter(state__in=OPEN_STATE_VALUES)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("category"):
        qs = qs.filter(category__code=data["category"])
    if data.get("grid"):
        qs = qs.filter(grid__code=data["grid"])
    if data.get("outcome"):
        qs = qs.filter(outcome=data["outcome"])
    if data.get("tier"):
        qs = qs.filter(resolved_tier=data["tier"])
    if data.get("received_from") or data.get("received_to"):
        lo, hi = day_bounds(
            data.get("received_from") or dt.date(2000, 1, 1), data.get("received_to") or dt.date(2999, 12, 31)
        )
        qs = qs.filter(created_at__gte=lo, created_at__lt=hi)
    if data.get("overdue"):
        qs = qs.filter(state__in=OPEN_STATE_VALUES, resolve_due_at__lt=timezone.now())
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(tracking_number__icontains=q) | Q(title__icontains=q) | Q(address__icontains=q))
    return qs


def _filter_form(request: HttpRequest, tab: str) -> f.WorkbenchFilterForm:
    grids = list(grids_visible_to(request.user).order_by("code")[:500])
    return f.WorkbenchFilterForm(request.GET or None, grids=grids, open_default=tab != "all")


def _listed(user: Any, tab: str, form: f.WorkbenchFilterForm) -> QuerySet[Appeal]:
    """The list of the queue tab (the user's own) or the all tab (everything they may see), filtered."""
    base = selectors.queue_for(user) if tab == "queue" else selectors.appeals_visible_to(user)
    return _filtered(base, form, open_default=tab == "queue")


def _tab_counts(user: Any) -> dict[str, int]:
    supervise = (
        selectors.extension_requests_for(user).count()
        + selectors.appeals_visible_to(user)
        .filter(state__in=[AppealState.ACCEPTED, AppealState.RETURNED])
        .count()
    )
    return {
        "supervise": supervise,
        "parts": selectors.parts_for(user).count(),
        "callbacks": selectors.callbacks_for(user).count(),
        "duplicates": selectors.duplicate_suggestions_for(user).count(),
    }


@staff_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "queue")
    if tab not in dict(TABS):
        tab = "queue"
    form = _filter_form(request, tab)
    context: dict[str, Any] = {"tab": tab, "tabs": TABS, "filter_form": form, "counts": _tab_counts(user)}
    if tab == "supervise":
        context["extensions"] = list(selectors.extension_requests_for(user).order_by("requested_at")[:100])
        waiting = selectors.appeals_visible_to(user).filter(
            state__in=[AppealState.ACCEPTED, AppealState.RETURNED]
        )
        context["page"] = Paginator(waiting.order_by("created_at", "id"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        escalated = selectors.appeals_visible_to(user).filter(
            state__in=OPEN_STATE_VALUES, escalation_count__gt=0
        )
        context["escalated"] = _mark(list(escalated.order_by("resolve_due_at", "id")[:100]), user)
    elif tab == "parts":
        context["parts"] = list(selectors.parts_for(user).order_by("report_due_at")[:200])
    elif tab == "callbacks":
        context["callbacks"] = list(selectors.callbacks_for(user).order_by("created_at")[:200])
    elif tab == "duplicates":
        context["suggestions"] = list(
            selectors.duplicate_suggestions_for(user)
            .select_related("appeal__grid", "candidate__grid")
            .order_by("-created_at", "-id")[:200]
        )
    else:
        qs = _listed(user, tab, form)
        if tab == "all":
            qs = qs.order_by("-created_at", "-id")
        context["page"] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        export = request.GET.copy()
        export.pop("page", None)
        export["tab"] = tab
        context["export_qs"] = export.urlencode()
        context["overdue_total"] = selectors.overdue(selectors.queue_for(user)).count()
        context["near_total"] = selectors.near_due(selectors.queue_for(user)).count()
    if "page" in context:
        context["appeals"] = _mark(list(context["page"].object_list), user)
    template = (
        "appeals/partials/queue.html" if request.headers.get("HX-Request") else "appeals/workbench.html"
    )
    return render(request, template, context)


@staff_required
def workbench_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The workbench's filtered list (the queue or all appeals) as CSV or XLSX, personal data masked."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    tab = "all" if request.GET.get("tab") == "all" else "queue"
    form = _filter_form(request, tab)
    if request.GET and not form.is_valid():
        messages.error(request, _("The filter is not valid; correct it and export again."))
        return redirect(f"{reverse('appeals:workbench')}?{request.GET.urlencode()}")
    qs = (
        _listed(user, tab, form)
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


@staff_required
@require_POST
def bulk_acknowledge(request: HttpRequest) -> HttpResponse:
    """htmx: acknowledge the ticked appeals, each on its own; the queue is re-rendered with the outcome."""
    form = f.BulkAcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick at least one appeal."))
    else:
        chosen = list(selectors.appeals_visible_to(request.user).filter(pk__in=form.cleaned_data["ids"]))
        result = services.appeals_acknowledge_bulk(actor=request.user, appeals=chosen)
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
    url = reverse("appeals:workbench")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- detail and actions ------------------------------------------------------------------------------------


class DispatchForm(forms.Form):
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False)
    organisation = forms.ChoiceField(label=gettext_lazy("Or a department / partner unit"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=f.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f.set_choices(self, "tier", [("", "—")] + [(t.value, t.label) for t in Tier if t != Tier.DEPARTMENT])
        f.set_choices(self, "organisation", [("", "—")] + [(str(o.pk), o.name) for o in organisations])
        f.set_choices(self, "category", f.category_choices())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("tier") and not cleaned.get("organisation"):
            raise forms.ValidationError(_("Choose a tier or a department."))
        return cleaned


class ExtensionDecisionForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PartForm(forms.Form):
    part_id = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=f.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# action → its label on the staff page; who may take it is permissions.ACTION_RULES (the services enforce it).
ACTIONS: dict[str, Any] = {
    "acknowledge": gettext_lazy("Acknowledge"),
    "contact": gettext_lazy("Record contact with the resident"),
    "start": gettext_lazy("Start work"),
    "pause": gettext_lazy("Wait on the resident (pause the clock)"),
    "resume": gettext_lazy("Resume work"),
    "resolve": gettext_lazy("Resolve"),
    "return": gettext_lazy("Return: wrong unit"),
    "extension_request": gettext_lazy("Ask for more time"),
    "escalate": gettext_lazy("Escalate to the tier above"),
    "whistle": gettext_lazy("Whistle: summon departments"),
    "dispatch": gettext_lazy("Dispatch"),
    "urge": gettext_lazy("Urge the handler"),
    "merge": gettext_lazy("Merge into another appeal"),
    "close": gettext_lazy("Close"),
    "rate": gettext_lazy("Record the rating given on the callback"),
    "comment": gettext_lazy("Add a note"),
}


def _action_form(
    action: str, data: Any = None, files: Any = None, *, user: Any, appeal: Appeal
) -> forms.Form:
    if action == "resolve":
        form: forms.Form = f.ResolveForm(data, files, prefix=action)
        if appeal.kind != AppealKind.CONSULTATION:
            f.set_choices(form, "outcome", [c for c in f.RESOLVE_CHOICES if c[0] != Outcome.ANSWERED])
        return form
    if action == "contact":
        return f.ContactForm(data, prefix=action)
    if action in {"pause", "return", "escalate"}:
        return f.ReasonForm(data, prefix=action)
    if action == "extension_request":
        return f.ExtensionRequestForm(data, prefix=action)
    if action == "whistle":
        return f.WhistleForm(data, prefix=action, organisations=organisations_for(user))
    if action == "dispatch":
        return DispatchForm(data, prefix=action, organisations=organisations_for(user))
    if action == "merge":
        return f.MergeForm(data, prefix=action)
    if action == "rate":
        return f.RatingForm(data, prefix=action)
    if action == "comment":
        form = f.NoteForm(data, prefix=action)
        form.fields["note"].required = True
        return form
    return f.NoteForm(data, prefix=action)


def available_actions(user: Any, appeal: Appeal) -> list[str]:
    offered = set(actions_for(user, appeal))
    return [name for name in ACTIONS if name in offered]


def _perform(action: str, form: forms.Form, *, user: Any, appeal: Appeal) -> str:
    """Call the service for `action` with the cleaned form; returns the success message."""
    data = form.cleaned_data
    note = data.get("note", "")
    if action == "acknowledge":
        services.appeal_acknowledge(actor=user, appeal=appeal)
        return _("Acknowledged.")
    if action == "contact":
        services.appeal_contact(actor=user, appeal=appeal, note=note)
        return _("Contact recorded.")
    if action == "start":
        services.appeal_start(actor=user, appeal=appeal, note=note)
        return _("Work started.")
    if action == "pause":
        services.appeal_pause(actor=user, appeal=appeal, reason=data["reason"])
        return _("The clock is paused until the resident answers.")
    if action == "resume":
        services.appeal_resume(actor=user, appeal=appeal, note=note)
        return _("Work resumed.")
    if action == "resolve":
        services.appeal_resolve(
            actor=user, appeal=appeal, note=note, outcome=data["outcome"], photos=data.get("photos") or []
        )
        return _("Resolved; the resident is asked to rate it.")
    if action == "return":
        services.appeal_return(actor=user, appeal=appeal, reason=data["reason"])
        return _("Returned to the tier above.")
    if action == "escalate":
        services.appeal_escalate(actor=user, appeal=appeal, reason=data["reason"])
        return _("Escalated to the tier above.")
    if action == "extension_request":
        services.appeal_extension_request(actor=user, appeal=appeal, days=data["days"], reason=data["reason"])
        return _("Extension requested; the tier above decides.")
    if action == "whistle":
        units = list(organisations_for(user).filter(pk__in=[int(x) for x in data["organisations"]]))
        services.appeal_whistle(actor=user, appeal=appeal, units=units, reason=note)
        return _("Departments summoned; each must report in.")
    if action == "dispatch":
        org = None
        if data.get("organisation"):
            org = organisations_for(user).filter(pk=int(data["organisation"])).first()
            if org is None:
                raise ValidationFailed(
                    _("Choose a department from the list."), extra={"field": "organisation"}
                )
        services.appeal_dispatch(
            actor=user,
            appeal=appeal,
            tier="" if org else data.get("tier", ""),
            unit_org=org,
            category_code=data.get("category") or "",
            reason=data.get("reason", ""),
        )
        return _("Dispatched.")
    if action == "urge":
        services.appeal_urge(actor=user, appeal=appeal, note=note)
        return _("The handler has been urged.")
    if action == "merge":
        primary = selectors.appeals_visible_to(user).filter(tracking_number=data["primary"]).first()
        if primary is None:
            raise ValidationFailed(
                _("No appeal with this tracking number in your area."), extra={"field": "primary"}
            )
        services.appeal_merge(actor=user, appeal=appeal, primary=primary, reason=note)
        return _("Merged; its resident now follows %(number)s.") % {"number": primary.tracking_number}
    if action == "close":
        services.appeal_close(actor=user, appeal=appeal, reason=note)
        return _("Closed.")
    if action == "rate":
        services.appeal_rate(
            actor=user, appeal=appeal, value=data["value"], comment=data["comment"], channel=Channel.HOTLINE
        )
        return _("Rating recorded from the callback.")
    if action == "comment":
        services.appeal_comment(actor=user, appeal=appeal, note=note)
        return _("Note added.")
    raise Http404


def _detail_context(
    request: HttpRequest, appeal: Appeal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request.user
    names = available_actions(user, appeal)
    bound = bound or {}
    action_forms = [
        (name, ACTIONS[name], bound.get(name) or _action_form(name, user=user, appeal=appeal))
        for name in names
    ]
    photos = list(appeal.photos.all())
    parts = list(appeal.parts.all())
    my_org = getattr(user, "organisation_id", None)
    pending = [x for x in appeal.extensions.all() if x.status == "pending"]
    return {
        "appeal": appeal,
        "events": list(reversed(label_events(appeal.events.all(), resident_view=False))),
        "intake_photos": [p for p in photos if p.stage == PhotoStage.INTAKE],
        "result_photos": [p for p in photos if p.stage == PhotoStage.RESOLUTION],
        "parts": parts,
        "my_parts": [p for p in parts if my_org and p.organisation_id == my_org and not p.done_at],
        "ratings": list(appeal.ratings.all()),
        "pending_extensions": pending,
        "can_decide_extension": bool(pending) and may(user, "extension_approve", appeal),
        "action_forms": action_forms,
        "may_reveal": may_see_contact(user, appeal),
        "due": due_status(appeal, timezone.now()),
        "staff": True,
        "similar": selectors.duplicate_suggestions_of(appeal),
    }


@staff_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        appeal = selectors.appeal_detail(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "appeals/staff_detail.html", _detail_context(request, appeal))


def _seen(appeal: Appeal, request: HttpRequest) -> Appeal:
    """Give the service the state the person saw when they chose the action, so a change by someone else in
    between is reported as a Conflict instead of silently applying to a different situation."""
    seen = request.POST.get("seen_state", "")
    if seen in AppealState.values:
        appeal.state = seen
    return appeal


@staff_required
@require_POST
def appeal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    try:
        appeal = selectors.appeal_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = _action_form(action, request.POST, request.FILES, user=request.user, appeal=appeal)
    if form.is_valid():
        try:
            message = _perform(action, form, user=request.user, appeal=_seen(appeal, request))
        except Conflict as exc:
            add_domain_error(request, exc)
            return redirect("appeals:detail", pk=pk)
        except ValidationFailed as exc:
            apply_domain_error(form, exc)
        except DomainError as exc:
            add_domain_error(request, exc)
            return redirect("appeals:detail", pk=pk)
        else:
            messages.success(request, message)
            return redirect("appeals:detail", pk=pk)
    fresh = selectors.appeal_detail(request.user, pk)
    context = _detail_context(request, fresh, {action: form})
    context["open_action"] = action
    return render(request, "appeals/staff_detail.html", context, status=400)


@staff_required
@require_POST
def extension_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in {"approve", "reject"}:
        raise Http404
    try:
        appeal = selectors.appeal_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The extension request is missing."))
        return redirect("appeals:detail", pk=pk)
    ext = ExtensionRequest.objects.filter(pk=form.cleaned_data["request_id"], appeal=appeal).first()
    if ext is None:
        raise Http404
    try:
        if decision == "approve":
            services.appeal_extension_approve(actor=request.user, request=ext, note=form.cleaned_data["note"])
            messages.success(request, _("Extension approved; the deadline moved."))
        else:
            services.appeal_extension_reject(actor=request.user, request=ext, note=form.cleaned_data["note"])
            messages.success(request, _("Extension refused."))
    except DomainError as exc:
        add_domain_error(request, exc)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("appeals:detail", kwargs={"pk": pk})
    return redirect(target)


@staff_required
@require_POST
def part_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A summoned department reports in, or completes its part of a whistle."""
    if step not in {"report_in", "complete"}:
        raise Http404
    try:
        appeal = selectors.appeal_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = PartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The part is missing."))
        return redirect("appeals:detail", pk=pk)
    part = AppealPart.objects.filter(pk=form.cleaned_data["part_id"], appeal=appeal).first()
    if part is None:
        raise Http404
    try:
        if step == "report_in":
            services.part_report_in(actor=request.user, part=part, note=form.cleaned_data["note"])
            messages.success(request, _("Reported in."))
        else:
            services.part_complete(actor=request.user, part=part, note=form.cleaned_data["note"])
            messages.success(request, _("Your part is done."))
    except DomainError as exc:
        add_domain_error(request, exc)
    return redirect("appeals:detail", pk=pk)


@staff_required
@require_POST
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the full name and number of the resident, for the handler, the tier above; the read is audited."""
    try:
        appeal = selectors.appeal_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    if not may_see_contact(request.user, appeal):
        return HttpResponse(_("You are not allowed to see this."), status=403)
    audit_record(
        actor=request.user,
        action="appeal.contact_reveal",
        obj=appeal,
        ip=request.META.get("REMOTE_ADDR"),
    )
    return render(request, "appeals/partials/contact_full.html", {"appeal": appeal})


# --- intake by staff: hotline and patrol ---------------------------------------------------------------------


@staff_required
def hotline(request: HttpRequest) -> HttpResponse:
    """A hotline operator types a caller's appeal; a consultation may be answered and closed on the call."""
    grids = list(grids_visible_to(request.user).order_by("code")[:1000])
    status = 200
    if request.method == "POST":
        form = f.HotlineForm(request.POST, grids=grids)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal = services.appeal_submit(
                    actor=request.user,
                    kind=data["kind"],
                    title=form.title_or_excerpt(),
                    description=data["description"],
                    channel=Channel.HOTLINE,
                    category_code=data.get("category") or "",
                    contact_name=data["caller_name"],
                    contact_phone=data["caller_phone"],
                    lng=data.get("lng"),
                    lat=data.get("lat"),
                    address=data.get("address") or "",
                    grid_code=data.get("grid") or "",
                    priority=data["priority"],
                    idempotency_key=request_idempotency_key(request),
                )
                if data.get("answer_now") and appeal.state != AppealState.CLOSED:
                    services.appeal_answer_on_first_contact(
                        actor=request.user, appeal=appeal, answer=data["answer"]
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                if data.get("answer_now"):
                    messages.success(
                        request,
                        _("Consultation %(number)s answered and closed at first contact.")
                        % {"number": appeal.tracking_number},
                    )
                else:
                    messages.success(
                        request,
                        _("Appeal %(number)s created; read the tracking number to the caller.")
                        % {"number": appeal.tracking_number},
                    )
                return redirect("appeals:detail", pk=appeal.pk)
        status = 400
    else:
        form = f.HotlineForm(initial={"idempotency_key": new_idempotency_key()}, grids=grids)
    return render(request, "appeals/hotline.html", {"form": form}, status=status)


@staff_required
def patrol(request: HttpRequest) -> HttpResponse:
    """A grid worker's patrol report from the phone, with photos and position; may be resolved on the spot."""
    status = 200
    if request.method == "POST":
        form = f.PatrolForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal = services.appeal_submit(
                    actor=request.user,
                    kind=data["kind"],
                    title=form.title_or_excerpt(),
                    description=data["description"],
                    channel=Channel.PATROL,
                    category_code=data.get("category") or "",
                    contact_name=getattr(request.user, "display_name", ""),
                    lng=data.get("lng"),
                    lat=data.get("lat"),
                    address=data.get("address") or "",
                    photos=data.get("photos") or [],
                    idempotency_key=request_idempotency_key(request),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                note = _("Patrol report %(number)s created.") % {"number": appeal.tracking_number}
                if data.get("resolve_now"):
                    try:
                        _resolve_on_the_spot(request, appeal, data["resolution_note"])
                        note = _("Patrol report %(number)s resolved on the spot.") % {
                            "number": appeal.tracking_number
                        }
                    except DomainError as exc:
                        add_domain_error(request, exc)
                messages.success(request, note)
                return redirect("appeals:detail", pk=appeal.pk)
        status = 400
    else:
        form = f.PatrolForm(initial={"idempotency_key": new_idempotency_key()})
    return render(request, "appeals/patrol.html", {"form": form}, status=status)


def _resolve_on_the_spot(request: HttpRequest, appeal: Appeal, note: str) -> None:
    """Patrol: the worker found and fixed it. Acknowledge first when it was dispatched to them; if routing put
    it elsewhere, the worker may not resolve it and the message says so."""
    appeal.refresh_from_db()
    if appeal.state == AppealState.DISPATCHED and may(request.user, "acknowledge", appeal):
        appeal = services.appeal_acknowledge(actor=request.user, appeal=appeal, channel=Channel.PATROL)
    services.appeal_resolve(actor=request.user, appeal=appeal, note=note, channel=Channel.PATROL)


# --- 并单 suggestions and 每月一题 ------------------------------------------------------------------------------


@staff_required
@require_POST
def similar_decide(request: HttpRequest, pk: int, sid: int, decision: str) -> HttpResponse:
    """One click on a suggested merge: merge (appeal_merge's tier rules) or dismiss."""
    if decision not in ("merge", "dismiss"):
        raise Http404
    try:
        suggestion = selectors.duplicate_suggestion_get_for(request.user, sid, appeal_pk=pk)
    except NotFound:
        raise Http404 from None
    try:
        if decision == "merge":
            duplicates.duplicate_merge(actor=request.user, suggestion=suggestion)
            messages.success(
                request,
                _("%(dup)s merged into %(primary)s.")
                % {"dup": suggestion.appeal.tracking_number, "primary": suggestion.candidate.tracking_number},
            )
        else:
            duplicates.duplicate_dismiss(actor=request.user, suggestion=suggestion)
            messages.success(request, _("Suggestion dismissed: the appeals stay separate."))
    except DomainError as exc:
        add_domain_error(request, exc)
    return redirect("appeals:detail", pk=pk)


@staff_required
def topics(request: HttpRequest) -> HttpResponse:
    """每月一题: this week's recurring-problem candidates and the monthly topics in the user's scope."""
    user = request.user
    candidates = list(
        topics_mod.candidates_visible_to(user).prefetch_related(
            Prefetch("appeals", queryset=Appeal.objects.only("id", "tracking_number", "title"))
        )
    )
    for c in candidates:
        c.may_adopt = topics_mod.may_adopt(user, c.org_path)  # type: ignore[attr-defined]
        c.may_propose = topics_mod.may_propose(user, c.org_path)  # type: ignore[attr-defined]
    return render(
        request,
        "appeals/topics.html",
        {
            "candidates": candidates,
            "topics": list(topics_mod.topics_visible_to(user).order_by("-month", "-id")[:100]),
            "adopt_form": f.TopicAdoptForm(),
        },
    )


@staff_required
@require_POST
def candidate_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in ("propose", "adopt"):
        raise Http404
    try:
        candidate = topics_mod.candidate_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = f.TopicAdoptForm(request.POST)
    if step == "propose":
        form.fields["plan"].required = False
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("appeals:topics")
    data = form.cleaned_data
    try:
        if step == "adopt":
            topic = services.candidate_adopt(
                actor=request.user,
                candidate=candidate,
                plan=data["plan"],
                title=data["title"],
                month=data["month"],
            )
            messages.success(request, _("Adopted as a monthly topic."))
        else:
            topic = services.topic_propose(
                actor=request.user, candidate=candidate, title=data["title"], month=data["month"]
            )
            messages.success(request, _("Proposed as a monthly topic; the street decides."))
    except DomainError as exc:
        add_domain_error(request, exc)
        return redirect("appeals:topics")
    return redirect("appeals:topic_detail", pk=topic.pk)


@staff_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        topic = topics_mod.topic_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "appeals/topic_detail.html", _topic_context(request, topic))


def _topic_context(request: HttpRequest, topic: Any, **forms_: forms.Form) -> dict[str, Any]:
    return {
        "topic": topic,
        "appeals": list(topic.appeals.select_related("grid", "category").order_by("-created_at")[:200]),
        "may_act": topics_mod.may_adopt(request.user, topic.org_path),
        "adopt_form": forms_.get("adopt") or f.TopicAdoptForm(initial={"plan": topic.plan}),
        "complete_form": forms_.get("complete") or f.TopicCompleteForm(),
    }


@staff_required
@require_POST
def topic_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in ("adopt", "start", "complete"):
        raise Http404
    try:
        topic = topics_mod.topic_get_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    form: forms.Form | None = None
    try:
        if step == "adopt":
            form = f.TopicAdoptForm(request.POST)
            if form.is_valid():
                services.topic_adopt(actor=request.user, topic=topic, plan=form.cleaned_data["plan"])
        elif step == "start":
            services.topic_start(actor=request.user, topic=topic)
        else:
            form = f.TopicCompleteForm(request.POST)
            if form.is_valid():
                services.topic_complete(actor=request.user, topic=topic, note=form.cleaned_data["note"])
    except ValidationFailed as exc:
        if form is None:
            raise
        apply_domain_error(form, exc)
    except DomainError as exc:
        add_domain_error(request, exc)
        return redirect("appeals:topic_detail", pk=pk)
    if form is not None and form.errors:
        context = _topic_context(request, topic, **{step: form})
        return render(request, "appeals/topic_detail.html", context, status=400)
    messages.success(request, _("Monthly topic updated."))
    return redirect("appeals:topic_detail", pk=pk)
