"""An appeal's staff page and the actions on it: the actions the person's role may take (permissions.py), the
extension decision, a summoned department's part, the resident's contact shown in full, a suggested merge.
Every fetch goes through the appeals selectors (scope), every write through the services; a domain error is
turned into a response by linli.core.pages (a form error, or a message on this page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
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
from linli.core.clientip import client_ip
from linli.core.errors import InvalidTransition, ValidationFailed
from linli.core.pages import form_refused, form_submit, redirect_on_error, safe_url, staff_page
from linli.territory.selectors import grids_visible_to

from .. import appeal_actions, selectors, services
from .. import forms as f
from ..choices import AppealKind, AppealState, Channel, Outcome, PartState, PhotoStage
from ..models import Appeal, AppealPart, CallbackTask, ExtensionRequest
from ..parts import PartRow, part_rows
from ..permissions import (
    CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE,
    actions_for,
    callback_attempts_left,
    gave_contact,
    may,
    may_see_contact,
)
from ..public import is_public
from ..selectors import organisations_for
from ..services import duplicates
from .common import action_url, due_status, label_events, posted_part
from .split import split_context
from .whistle import PART_ANSWERS, part_answer, part_answer_form, summon_form, whistle_request_context

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
    "whistle_request": gettext_lazy("Whistle request: ask the community to summon departments"),
    "dispatch": gettext_lazy("Dispatch"),
    "urge": gettext_lazy("Urge the handler"),
    "merge": gettext_lazy("Merge into another appeal"),
    "close": gettext_lazy("Close"),
    "rate": gettext_lazy("Record the rating given on the callback"),
    "callback_attempt": gettext_lazy("Callback: the call did not reach the resident"),
    "callback_unreachable": gettext_lazy("The resident could not be reached: close without a rating"),
    "comment": gettext_lazy("Add a note"),
    "withhold": gettext_lazy("Withhold from the public pages"),
}
# The actions that end an appeal for good ask first (the form's data-confirm, web/site.js): the question.
CONFIRM: dict[str, Any] = {
    "merge": gettext_lazy(
        "Merge this appeal into the one named? Its resident then follows that appeal; a merge cannot be undone."
    ),
    "close": gettext_lazy("Close this appeal? Closing cannot be undone."),
    "withhold": gettext_lazy(
        "Withhold this appeal from the public pages for good? Residents following it will no longer see it."
    ),
    "callback_unreachable": gettext_lazy(
        "Close this appeal without the resident's rating? Closing cannot be undone."
    ),
}


def _action_form(
    action: str, data: Any = None, files: Any = None, *, user: User, appeal: Appeal
) -> forms.Form:
    if action == "resolve":
        form: forms.Form = f.ResolveForm(data, files, prefix=action)
        if appeal.kind != AppealKind.CONSULTATION:
            f.set_choices(form, "outcome", [c for c in f.RESOLVE_CHOICES if c[0] != Outcome.ANSWERED])
        return form
    if action == "contact":
        return f.ContactForm(data, prefix=action)
    if action in {"pause", "return", "escalate", "whistle_request", "withhold"}:
        return f.ReasonForm(data, prefix=action)
    if action == "extension_request":
        return f.ExtensionRequestForm(data, prefix=action)
    if action == "whistle":
        return summon_form(user, appeal, data, prefix=action)
    if action == "dispatch":
        grids = None
        if appeal.grid_id is None:
            grids = grids_visible_to(user).filter(org_node__path__startswith=appeal.org_path).order_by("code")
        # It starts from the appeal's own category: left as it is, the dispatch keeps it.
        initial = {"category": appeal.category.code if appeal.category else ""}
        return f.DispatchForm(
            data, prefix=action, organisations=organisations_for(user), grids=grids, initial=initial
        )
    if action == "merge":
        return f.MergeForm(data, prefix=action)
    if action == "rate":
        return f.RatingForm(data, prefix=action)
    if action == "callback_attempt":
        return f.CallbackAttemptForm(data, prefix=action)
    if action == "comment":
        form = f.NoteForm(data, prefix=action)
        form.fields["note"].required = True
        return form
    return f.NoteForm(data, prefix=action)


def available_actions(user: User, appeal: Appeal) -> list[str]:
    offered = set(actions_for(user, appeal))
    return [name for name in ACTIONS if name in offered]


def _perform(action: str, data: dict[str, Any], *, user: User, appeal: Appeal) -> str:
    """Call the service for `action` with the form's cleaned data; returns the success message."""
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
        days = data["days"]
        return _("Extension of %(days)s working days requested; the tier above decides.") % {"days": days}
    if action == "whistle":
        units = list(organisations_for(user).filter(pk__in=[int(x) for x in data["organisations"]]))
        services.appeal_whistle(
            actor=user,
            appeal=appeal,
            units=units,
            reason=note,
            report_hours=data.get("report_hours"),
            finish_by=data.get("finish_by"),
        )
        return _("Departments summoned; each must report in.")
    if action == "whistle_request":
        services.whistle_request_raise(actor=user, appeal_id=appeal.pk, reason=data["reason"])
        return _("Whistle request sent; the community decides whether to summon departments.")
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
            grid_code=data.get("grid") or "",
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
    if action == "callback_attempt":
        task = services.callback_attempt_record(actor=user, appeal=appeal, result=data["result"], note=note)
        return _("Failed call %(n)s recorded.") % {"n": task.attempts}
    if action == "callback_unreachable":
        services.callback_unreachable(actor=user, appeal=appeal, note=note)
        return _("Closed without a rating: the resident could not be reached.")
    if action == "comment":
        services.appeal_comment(actor=user, appeal=appeal, note=note)
        return _("Note added.")
    if action == "withhold":
        services.appeal_withhold(actor=user, appeal=appeal, reason=data["reason"])
        return _("Withheld from the public pages.")
    raise Http404


def _mark_ended_parts(events: list[Any], rows: list[PartRow]) -> None:
    """Say on the trace's step that closed the appeal (its withdrawal, merging, splitting, answer) which summoned
    units' unfinished parts ended with it (`ended_parts`, "随诉求撤回：城管委"), as their rows say it. A reopening
    that owed such parts again says which units owe them (its `data["owed_again"]`, "再次协办：城管委"), and the
    closing before it keeps saying they ended with it."""
    closing = None
    for e in events:
        owed = e.data.get("owed_again") if isinstance(e.data, dict) else None
        if owed:
            names = "、".join(owed)
            e.ended_parts = _("Owed again: %(units)s") % {"units": names}
            if closing is not None:
                closing.ended_parts = f"{PartState.APPEAL_ENDED.label}：{names}"
        if e.to_state != e.from_state:
            closing = e
    ended = [r for r in rows if r.state in (PartState.APPEAL_WITHDRAWN, PartState.APPEAL_ENDED)]
    if ended and closing is not None:
        names = "、".join(r.part.organisation.name for r in ended)
        closing.ended_parts = f"{ended[0].state.label}：{names}"


def _detail_context(
    request: HttpRequest, appeal: Appeal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request_account(request)
    names = available_actions(user, appeal)
    bound = bound or {}
    # A request already waiting is shown, not offered again (its service would refuse a second one).
    pending = [x for x in appeal.extensions.all() if x.status == "pending"]
    waiting = whistle_request_context(user, appeal, bound)
    # 办结 waits until every summoned unit has done its part (appeal_resolve refuses it before): said, not offered.
    owed = [p for p in appeal.parts.all() if p.done_at is None and p.withdrawn_at is None]
    resolve_waits = "resolve" in names and bool(owed)
    names = [
        n
        for n in names
        if not (n == "extension_request" and pending)
        and not (n == "whistle_request" and waiting["whistle_request"] is not None)
        and not (n == "resolve" and resolve_waits)
    ]
    action_forms = [
        (
            name,
            ACTIONS[name],
            bound.get(name) or _action_form(name, user=user, appeal=appeal),
            CONFIRM.get(name, ""),
        )
        for name in names
    ]
    photos = list(appeal.photos.all())
    now = timezone.now()
    rows = part_rows(user, appeal, list(appeal.parts.all()), now)
    for r in rows:  # the summoner's answer to a unit that says the matter is not its duty
        if r.insists:
            r.insist_form = bound.get(f"insist-{r.part.pk}") or part_answer_form("insist", r.part)
    own = [r for r in rows if r.mine or r.for_unit]
    events = label_events(appeal.events.all(), resident_view=False)
    _mark_ended_parts(events, rows)
    return {
        "appeal": appeal,
        "events": list(reversed(events)),
        **callback_context(appeal, events),
        "intake_photos": [p for p in photos if p.stage == PhotoStage.INTAKE],
        "result_photos": [p for p in photos if p.stage == PhotoStage.RESOLUTION],
        "part_rows": rows,
        "my_parts": [
            PartStep(
                r,
                _own_step(r.part),
                bound.get(f"part-{r.part.pk}") or part_form(r),
                (bound.get(f"decline-{r.part.pk}") or part_answer_form("decline", r.part))
                if r.declines
                else None,
            )
            for r in own
        ],
        **waiting,
        "ratings": list(appeal.ratings.all()),
        "pending_extensions": pending,
        "can_decide_extension": bool(pending) and may(user, "extension_approve", appeal),
        "action_forms": action_forms,
        "resolve_waits": resolve_waits,
        "may_reveal": may_see_contact(user, appeal),
        "contact_given": gave_contact(user, appeal),
        "due": due_status(appeal, now),
        "staff": True,
        "similar": selectors.duplicate_suggestions_of(appeal),
        "more_actions": appeal_actions.offered(user, appeal),
        **_disclosure(appeal, events),
        **split_context(user, appeal),
    }


def _disclosure(appeal: Appeal, events: list[Any]) -> dict[str, Any]:
    """Whether the public pages show the appeal (public.py decides): shown, withheld (with the reason given,
    from the trace) or not public (its category concerns a person's own affairs, or it has none yet)."""
    if appeal.disclosure_withheld:
        reasons = [e.reason for e in events if e.action == "withhold"]
        return {"disclosure": "withheld", "withheld_reason": reasons[-1] if reasons else ""}
    return {"disclosure": "public" if is_public(appeal) else "private"}


def callback_context(appeal: Appeal, events: list[Any]) -> dict[str, Any]:
    """The callback (回访) card: its state, the calls of this round that did not reach the resident (from the
    trace, labelled), and how many more are needed before it may close without a rating."""
    task: CallbackTask | None = getattr(
        appeal, "callback", None
    )  # AttributeError (→ None) when there is none
    if task is None:
        return {}
    return {
        "callback": task,
        "callback_attempts": [
            e for e in events if e.action == "callback_attempt" and e.at >= task.created_at
        ],
        "callback_attempts_left": callback_attempts_left(appeal),
        "callback_attempts_needed": CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE,
    }


@dataclass
class PartStep:
    """A part the person steps on from the 操作 card: their own unit's, or an account-less unit's on its behalf."""

    row: PartRow
    step: str  # "report_in" or "complete"
    form: forms.Form
    decline_form: forms.Form | None = None  # 不属于本单位职责, while the unit has not answered the summons


def _own_step(part: AppealPart) -> str:
    return "complete" if part.reported_in_at else "report_in"


def part_form(row: PartRow, data: Any = None) -> f.PartForm:
    """The form for the next step on the part of `row` (its fields' ids name the part: two parts, two forms)."""
    return f.PartForm(data, step=_own_step(row.part), for_unit=row.for_unit, auto_id=f"part-%s-{row.part.pk}")


@staff_page
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_detail(request_account(request), pk)
    return render(request, "appeals/staff_detail.html", _detail_context(request, appeal))


def _seen(appeal: Appeal, request: HttpRequest) -> Appeal:
    """Give the service the state the person saw when they chose the action, so a change by someone else in
    between is reported as a Conflict instead of silently applying to a different situation."""
    seen = request.POST.get("seen_state", "")
    if seen in AppealState.values:
        appeal.state = seen
    return appeal


@staff_page
@action_url
@redirect_on_error("appeals:detail", "pk")
def appeal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action from the appeal's page: a form error shows the page again with everything typed kept; a
    Conflict (someone acted first) comes back as a message on the fresh page."""
    if action not in ACTIONS:
        raise Http404
    user = request_account(request)
    appeal = selectors.appeal_get_for(user, pk)
    form = _action_form(action, request.POST, request.FILES, user=user, appeal=appeal)
    if not form.is_valid() and action not in available_actions(user, appeal):
        # Sent from a page opened before the appeal moved on: the fresh page no longer shows this form, so its
        # errors would be said nowhere. Say why nothing happened instead (what was typed is kept, core.kept).
        raise InvalidTransition(
            _("'%(action)s' is not possible while the appeal is '%(state)s'.")
            % {"action": ACTIONS[action], "state": AppealState(appeal.state).label}
        )
    return detail_form_post(
        request,
        pk,
        form,
        lambda **data: _perform(action, data, user=user, appeal=_seen(appeal, request)),
        bound_as=action,
        open_action=action,
    )


def detail_form_post(
    request: HttpRequest,
    pk: int,
    form: forms.Form,
    write: Callable[..., str],
    *,
    bound_as: str,
    open_action: str,
) -> HttpResponse:
    """A form on the appeal's page (`form_submit`): valid → `write(**cleaned_data)`, which returns what to say →
    the appeal's page with that message (their workbench when the step took it out of their view: a department's
    escalation); invalid or refused → the page again, the form bound as `bound_as`, `open_action` opened, 422."""

    def done(message: str) -> HttpResponse:
        messages.success(request, message)
        visible = selectors.appeals_visible_to(request_account(request)).filter(pk=pk).exists()
        return redirect("appeals:detail", pk=pk) if visible else redirect("appeals:workbench")

    return form_submit(request, form, write, done) or render_detail(
        request, pk, {bound_as: form}, open_action=open_action, status=422
    )


def render_detail(
    request: HttpRequest, pk: int, bound: dict[str, forms.Form], *, open_action: str, status: int
) -> HttpResponse:
    """The appeal's page again with a refused form bound (everything typed kept) and opened."""
    context = _detail_context(request, selectors.appeal_detail(request_account(request), pk), bound)
    context["open_action"] = open_action
    return render(request, "appeals/staff_detail.html", context, status=status)


def _named_row[M: ExtensionRequest | AppealPart](
    request: HttpRequest, pk: int, form: forms.Form, rows: QuerySet[M], key: str
) -> M | None:
    """The extension request or part the form names, of appeal `pk` in the user's scope (else the 404 page);
    None when the form names none."""
    appeal = selectors.appeal_get_for(request_account(request), pk)
    if not form.is_valid():
        return None
    row = rows.filter(pk=form.cleaned_data[key], appeal=appeal).first()
    if row is None:
        raise Http404
    return row


# The steps on one of the appeal's extension requests or parts: step → (service, its success message).
EXTENSION_DECISIONS: dict[str, tuple[Callable[..., object], Any]] = {
    "approve": (services.appeal_extension_approve, gettext_lazy("Extension approved; the deadline moved.")),
    "reject": (services.appeal_extension_reject, gettext_lazy("Extension refused.")),
}
PART_STEPS: dict[str, tuple[Callable[..., object], Any]] = {
    "report_in": (services.part_report_in, gettext_lazy("Reported in.")),
    "complete": (services.part_complete, gettext_lazy("Your part is done.")),
    "send_back": (services.part_send_back, gettext_lazy("The part was sent back to its unit.")),
    "urge": (services.part_urge, gettext_lazy("The unit has been urged.")),
    "withdraw": (
        lambda *, actor, part, note: services.part_withdraw(actor=actor, part=part, reason=note),
        gettext_lazy("The summons was withdrawn."),
    ),
}


def _row_step[M: ExtensionRequest | AppealPart](
    request: HttpRequest,
    pk: int,
    step: str,
    steps: dict[str, tuple[Callable[..., object], Any]],
    *,
    form: forms.Form,
    rows: QuerySet[M],
    key: str,
    keyword: str,
    missing: str,
) -> bool:
    """Take `step` on the row of appeal `pk` the form names (passed to the service as `keyword`, with the
    form's note) and say so; False, with a message, when the form names none."""
    if step not in steps:
        raise Http404
    row = _named_row(request, pk, form, rows, key)
    if row is None:
        if any(name != key for name in form.errors):  # a note too long: said, and kept for the page
            form_refused(request, form)
        else:
            messages.error(request, missing)
        return False
    service, done = steps[step]
    service(actor=request_account(request), note=form.cleaned_data["note"], **{keyword: row})
    messages.success(request, str(done))
    return True


@staff_page
@require_POST
@redirect_on_error("appeals:detail", "pk")
def extension_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    decided = _row_step(
        request,
        pk,
        decision,
        EXTENSION_DECISIONS,
        form=f.ExtensionDecisionForm(request.POST),
        rows=ExtensionRequest.objects.all(),
        key="request_id",
        keyword="request",
        missing=_("The extension request is missing."),
    )
    if not decided:
        return redirect("appeals:detail", pk=pk)
    return redirect(
        safe_url(request, request.POST.get("next")) or reverse("appeals:detail", kwargs={"pk": pk})
    )


@staff_page
@action_url
@redirect_on_error("appeals:detail", "pk")
def part_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A summoned department reports in, or completes its part of a whistle, or before reporting in says the
    matter is not its duty (a refusal shows the page again with the text kept and marked); the organising unit
    insists on a declined part, sends a completed part back, urges or withdraws it."""
    if step in ("report_in", "complete"):
        return _own_part_step(request, pk, step)
    if step in PART_ANSWERS:
        return part_answer(request, pk, step)
    _row_step(
        request,
        pk,
        step,
        PART_STEPS,
        form=f.PartForm(request.POST),
        rows=AppealPart.objects.all(),
        key="part_id",
        keyword="part",
        missing=_("The part is missing."),
    )
    return redirect("appeals:detail", pk=pk)


def _own_part_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = request_account(request)
    appeal = selectors.appeal_get_for(user, pk)
    part = posted_part(request, appeal)
    if part is None:
        return redirect("appeals:detail", pk=pk)
    (row,) = part_rows(user, appeal, [part], timezone.now())
    form = f.PartForm(request.POST, step=step, for_unit=row.for_unit, auto_id=f"part-%s-{part.pk}")
    service, done = PART_STEPS[step]

    def write(note: str, **other: object) -> str:
        service(actor=user, part=part, note=note)
        return str(done)

    return detail_form_post(request, pk, form, write, bound_as=f"part-{part.pk}", open_action="")


@staff_page
@require_POST
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the full name and number of the resident, for the handler, the tier above; the read is audited."""
    user = request_account(request)
    appeal = selectors.appeal_get_for(user, pk)
    if not may_see_contact(user, appeal):
        return HttpResponse(_("You are not allowed to see this."), status=403)
    audit_record(actor=user, action="appeal.contact_reveal", obj=appeal, ip=client_ip(request) or None)
    return render(request, "appeals/partials/contact_full.html", {"appeal": appeal, "audited": True})


@staff_page
@require_POST
@redirect_on_error("appeals:detail", "pk")
def similar_decide(request: HttpRequest, pk: int, sid: int, decision: str) -> HttpResponse:
    """One click on a suggested merge: merge (appeal_merge's tier rules) or dismiss."""
    if decision not in ("merge", "dismiss"):
        raise Http404
    user = request_account(request)
    suggestion = selectors.duplicate_suggestion_get_for(user, sid, appeal_pk=pk)
    if decision == "merge":
        duplicates.duplicate_merge(actor=user, suggestion=suggestion)
        messages.success(
            request,
            _("%(dup)s merged into %(primary)s.")
            % {"dup": suggestion.appeal.tracking_number, "primary": suggestion.candidate.tracking_number},
        )
    else:
        duplicates.duplicate_dismiss(actor=user, suggestion=suggestion)
        messages.success(request, _("Suggestion dismissed: the appeals stay separate."))
    return redirect("appeals:detail", pk=pk)
