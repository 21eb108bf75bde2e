"""Staff pages of joint meetings (desktop): the list, convening, and one page per meeting through the five steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.errors import NotFound
from linli.core.pages import (
    form_errors,
    form_submit,
    posted_form,
    redirect_on_error,
    refused_status,
    staff_page,
    staff_page_residents_to,
)
from linli.core.printing import pdf_response, qr_png
from linli.core.scoping import get_or_404, is_staff_member

from .. import permissions, selectors, services
from ..choices import STAGE_ORDER, InviteMethod, Stage
from ..forms import (
    AgendaForm,
    AnswerTopicForm,
    DecisionForm,
    FilingReturnForm,
    MeetingForm,
    MinutesForm,
    PartForm,
    ParticipantForm,
    ProgressForm,
    SurveyForm,
)
from ..members import territory_members
from ..models import Meeting, MeetingEvent
from ..printing import filing_record_pdf
from ..workflow import CONFIRMS, EVENT_LABELS, LABELS, TRANSITIONS, actions_from
from .common import page, role_takes

MEETINGS_PER_PAGE = 30
FILINGS_PER_PAGE = 20  # each row carries the form to return the filing


@staff_page_residents_to("deliberation:hall")
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_visible_to(request.user)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        meetings = meetings.filter(stage=stage)
    counts = dict.fromkeys(Stage.values, 0)
    for value in selectors.meetings_visible_to(request.user).values_list("stage", flat=True):
        counts[value] += 1
    stages = [(s, Stage(s).label, counts[s], Stage(s).colour) for s in STAGE_ORDER]
    listed = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(listed.object_list)
    return page(
        request,
        "deliberation/meetings.html",
        "meetings",
        {"meetings": rows, "listed": listed, "stage": stage, "stages": stages},
    )


@staff_page
@require_GET
def filings(request: HttpRequest) -> HttpResponse:
    """镇街备案: the filings waiting for the street, the longest waiting first; the street acknowledges or returns
    each here (the same transitions as on the meeting's page)."""
    return _filings_page(request, request.GET.get("page"))


def _filings_page(
    request: HttpRequest, on: str | None, refused: tuple[int, FilingReturnForm] | None = None
) -> HttpResponse:
    """The queue's page `on`; a return refused on it (`refused`: the meeting and its form) is shown again on its
    row (422)."""
    listed = Paginator(selectors.filings_waiting(request.user), FILINGS_PER_PAGE).get_page(on)
    rows = list(listed.object_list)
    today = timezone.localdate()
    for m in rows:
        m.waiting_days = (today - timezone.localdate(m.filed_at)).days if m.filed_at else 0  # type: ignore[attr-defined]
        m.may_decide = permissions.may(request.user, "filing_decide", m.node.path)  # type: ignore[attr-defined]
        sent = refused[1] if refused and refused[0] == m.pk else None
        m.return_form = sent or FilingReturnForm(auto_id=f"id_f{m.pk}_%s")  # type: ignore[attr-defined]
    context = {"filings": rows, "listed": listed, "acknowledge_confirm": CONFIRMS["acknowledge_filing"]}
    return page(request, "deliberation/filings.html", "filings", context, 200 if refused is None else 422)


@staff_page
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    role_takes(request.user, "meeting_run")
    form = MeetingForm(request.POST if request.method == "POST" else None, user=request.user)
    write = partial(services.meeting_create, actor=request.user)
    if done := form_submit(
        request, form, write, lambda meeting: redirect("deliberation:meeting", meeting.pk)
    ):
        return done
    status = refused_status(request)
    return page(request, "deliberation/meeting_form.html", "meetings", {"form": form}, status)


def _labelled(events: Iterable[MeetingEvent]) -> list[MeetingEvent]:
    """The history's steps, each with what it did (`label`): a stage change reads "from → to" in the page, any
    other step by its name (EVENT_LABELS), the note after it."""
    rows = list(events)
    for e in rows:
        e.label = EVENT_LABELS.get(e.action, LABELS.get(e.action, e.action))  # type: ignore[attr-defined]
    return rows


def _meeting_page(request: HttpRequest, meeting: Meeting, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    allowed = permissions.actions_for(user, meeting.node.path)
    participants = list(meeting.participants.select_related("user"))
    tree = selectors.flatten(selectors.result_tree(meeting))
    for (
        node
    ) in tree:  # each result's own forms (their fields' ids unique on the page), the one sent kept bound
        pk = node.result.pk
        sent = bound.get("result_pk") == pk
        node.progress_form = (sent and bound.get("progress_form")) or ProgressForm(auto_id=f"id_r{pk}_%s")  # type: ignore[attr-defined]
        node.part_form = (sent and bound.get("part_form")) or PartForm(auto_id=f"id_p{pk}_%s")  # type: ignore[attr-defined]
    step = STAGE_ORDER.index(Stage(meeting.stage))
    steps = [
        {"label": Stage(s).label, "done": i < step, "current": i == step, "n": i + 1}
        for i, s in enumerate(STAGE_ORDER[:5])
    ]
    decisions = selectors.meeting_decisions(meeting)
    for d in decisions:  # each decision's own form to link the topic it answers
        d.topic_form = AnswerTopicForm(  # type: ignore[attr-defined]
            meeting=meeting, user=user, initial={"topic": d.topic_id}, auto_id=f"id_d{d.pk}_%s"
        )
    agenda = selectors.meeting_agenda(meeting)
    linked = [s.topic_id for item in agenda for s in item.sources.all()] + [d.topic_id for d in decisions]
    transitions = [
        {"action": a, "label": LABELS[a], "confirm": CONFIRMS.get(a, "")}
        for a in actions_from(meeting.stage)
        if TRANSITIONS[a][2] in allowed
    ]
    context: dict[str, Any] = {
        "meeting": meeting,
        "steps": steps,
        "allowed": allowed,
        "agenda": agenda,
        # Linked, the sources and topics the reader may open; the others only named.
        "readable_topics": selectors.topics_readable(user, linked),
        "readable_appeals": selectors.appeals_readable(
            user, (s.appeal_id for i in agenda for s in i.sources.all())
        ),
        "participants": participants,
        "uninvited": any(p.invited_at is None for p in participants),
        "invite_methods": InviteMethod.choices,
        "on_record": territory_members(meeting)
        if "meeting_run" in allowed and meeting.stage in (Stage.COLLECT, Stage.DELIBERATE)
        else [],
        "decisions": decisions,
        "results": tree,
        "events": _labelled(meeting.events.select_related("actor")),
        "transitions": transitions,
        "survey": selectors.survey_summary(meeting),
        "sign_in_url": request.build_absolute_uri(
            reverse("deliberation:sign_in", args=[meeting.sign_in_token])
        ),
        "agenda_form": bound.get("agenda_form") or AgendaForm(meeting=meeting, user=user),
        "participant_form": bound.get("participant_form") or ParticipantForm(),
        "minutes_form": bound.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
        "decision_form": _held(bound.get("decision_form") or DecisionForm(meeting=meeting, user=user)),
        "survey_form": bound.get("survey_form")
        or SurveyForm(initial={"questions": "\n".join(q.text for q in meeting.questions.all())}),
        "survey_open": meeting.stage not in (Stage.FILE, Stage.FILED) and not meeting.ratings.exists(),
        "return_form": bound.get("return_form") or FilingReturnForm(),
    }
    return page(request, "deliberation/meeting.html", "meetings", context, status=status)


@staff_page
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get_for(request.user, pk))


HELD = "meeting-minutes"  # the form of a meeting being held: the minutes box, the decision's fields, the step


def _held(form: forms.Form) -> forms.Form:
    """The decision's fields belong to the meeting's form (HELD): every button of it (保存纪要, 记录决定, 会议已开，推动
    落实) sends the minutes and the decision typed, so neither is lost whichever is pressed."""
    for field in form.fields.values():
        field.widget.attrs["form"] = HELD
    return form


def _held_typed(request: HttpRequest, meeting: Meeting) -> tuple[MinutesForm | None, DecisionForm | None]:
    """What the meeting's form sent besides its button's own part: the minutes typed are saved when changed (the
    minutes form back when refused, nothing saved), and the decision form when something was typed in it (its
    text or unit) — not yet recorded."""
    minutes = None
    if "minutes" in request.POST:
        minutes = MinutesForm(request.POST)
        if minutes.is_valid():
            if minutes.cleaned_data["minutes"] != meeting.minutes:
                services.minutes_save(actor=request.user, meeting=meeting, **minutes.cleaned_data)
            minutes = None
        elif not request.POST["minutes"].strip():
            minutes = None  # nothing typed: nothing to keep
    typed = any(request.POST.get(name, "").strip() for name in ("text_", "responsible_name"))
    decision = DecisionForm(request.POST, meeting=meeting, user=request.user) if typed else None
    return minutes, decision


def _unsaved(decision: DecisionForm) -> DecisionForm:
    """The decision typed and not recorded, with the reason it came back (and any error of its fields)."""
    decision.is_valid()
    decision.add_error(
        None,
        _("There is a decision typed and not yet recorded: press “Record the decision”, or clear it, first."),
    )
    return decision


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("deliberation:meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


def _meeting_form(
    request: HttpRequest,
    meeting: Meeting,
    form: forms.Form,
    service: Callable[..., object],
    *,
    anchor: str,
    name: str,
) -> HttpResponse:
    """A form posted on the meeting's page: valid → `service` for the meeting with the form's values (its
    `service_kwargs()` where it has one) → back to the page at `anchor`; invalid, or refused by the service (the
    error goes on the form) → the page again (422) with the form as `name`."""
    if form.is_valid():
        with form_errors(form):
            values = getattr(form, "service_kwargs", lambda: form.cleaned_data)()
            service(actor=request.user, meeting=meeting, **values)
            return _back(meeting, anchor)
    return _meeting_page(request, meeting, 422, **{name: form})


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    form = AgendaForm(request.POST, meeting=meeting, user=request.user)
    return _meeting_form(
        request, meeting, form, services.agenda_item_add, anchor="agenda", name="agenda_form"
    )


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    form = ParticipantForm(request.POST)
    return _meeting_form(
        request, meeting, form, services.participant_add, anchor="members", name="participant_form"
    )


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def participants_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    one = request.POST.get("participant", "")
    services.participants_invite(
        actor=request.user,
        meeting=meeting,
        method=request.POST.get("method", InviteMethod.SMS),
        participant_ids=[int(one)] if one.isdigit() else None,
    )
    return _back(meeting, "members")


@staff_page
@posted_form("deliberation:meeting", kwargs=("pk",))
@redirect_on_error("deliberation:meeting", "pk")
def participant_present(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    participant = get_or_404(meeting.participants.all(), pk=participant_pk)
    services.participant_mark_present(actor=request.user, participant=participant)
    return _back(meeting, "members")


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    form = MinutesForm(request.POST)
    if form.is_valid() and (decision := _held_typed(request, meeting)[1]) is not None:
        # the minutes saved, the decision typed beside them back on the page, not dropped by the redirect
        return _meeting_page(request, meeting, 422, decision_form=_unsaved(decision))
    return _meeting_form(request, meeting, form, services.minutes_save, anchor="minutes", name="minutes_form")


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    form = DecisionForm(request.POST, meeting=meeting, user=request.user)
    minutes = _held_typed(request, meeting)[0]  # the minutes typed, sent with it, saved first
    if minutes is not None:
        return _meeting_page(request, meeting, 422, minutes_form=minutes, decision_form=form)
    return _meeting_form(
        request, meeting, form, services.decision_add, anchor="decisions", name="decision_form"
    )


@staff_page
@posted_form("deliberation:meeting", kwargs=("pk",))
@redirect_on_error("deliberation:meeting", "pk")
def decision_topic(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    """Link a decision to the hall topic it answers (or unlink it)."""
    meeting = selectors.meeting_get_for(request.user, pk)
    decision = get_or_404(meeting.decisions.select_related("meeting__node"), pk=decision_pk)
    form = AnswerTopicForm(request.POST, meeting=meeting, user=request.user)
    if not form.is_valid():
        messages.error(request, _("That hall topic is not in your area."))
        return _back(meeting, "decisions")
    services.decision_answer_topic(actor=request.user, decision=decision, topic=form.cleaned_data["topic"])
    messages.success(request, _("Saved: the topic's page shows the decision and its followers were told."))
    return _back(meeting, "decisions")


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def survey_set(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    form = SurveyForm(request.POST)
    return _meeting_form(
        request, meeting, form, services.survey_questions_set, anchor="ratings", name="survey_form"
    )


@staff_page
@posted_form("deliberation:meeting", kwargs=("pk",))
@redirect_on_error("deliberation:meeting", "pk")
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    on_queue = (
        request.POST.get("back") == "filings"
    )  # decided on the queue of filings, not the meeting's page
    if action == "return_filing":
        form = FilingReturnForm(request.POST, auto_id=f"id_f{meeting.pk}_%s" if on_queue else "id_%s")
        if not form.is_valid():
            if on_queue:
                return _filings_page(request, request.POST.get("page"), (meeting.pk, form))
            return _meeting_page(request, meeting, 422, return_form=form)
        note = form.cleaned_data["note"]
    else:
        note = request.POST.get("note", "")
    if action == "start_implementation" and "minutes" in request.POST:
        # Its button sends the meeting's form: the minutes typed are saved before the step is taken or refused,
        # and a decision typed and not recorded refuses it (the meeting would close without it for good).
        minutes, decision = _held_typed(request, meeting)
        if minutes is None and not request.POST["minutes"].strip():
            minutes = MinutesForm(request.POST)  # closing a meeting needs its minutes
        if minutes is not None or decision is not None:
            held = {"decision_form": _unsaved(decision)} if decision is not None else {}
            # said at the top too: the button is there, the decision's form far below
            if decision is not None:
                messages.error(request, str(decision.non_field_errors()[-1]))
            return _meeting_page(request, meeting, 422, minutes_form=minutes, **held)
    services.meeting_transition(actor=request.user, meeting=meeting, action=action, note=note)
    decided = {
        "acknowledge_filing": _("“%(title)s” is filed."),
        "return_filing": _("The filing of “%(title)s” is returned to its community with your reason."),
        "submit_filing": _("“%(title)s” is submitted to the street for filing."),
    }
    if action in decided:  # say which meeting and what became of it (a filing decided leaves the queue)
        messages.success(request, decided[action] % {"title": meeting.title})
    if on_queue:  # back to the queue's page the filing was decided on
        back = reverse("deliberation:filings")
        on = request.POST.get("page", "")
        return redirect(f"{back}?page={on}" if on.isdigit() and on != "1" else back)
    return _back(meeting)


def _result_form(
    request: HttpRequest, pk: int, result_pk: int, form_class: type[forms.Form], prefix: str, save: Any
) -> HttpResponse:
    """A form posted on one result of the meeting page (`pk`): saved by `save(user, result, data)`, or the page
    again with the form's errors and everything typed."""
    result = selectors.result_get_for(request.user, result_pk)
    if result.meeting_id != pk:
        raise NotFound()
    meeting = selectors.meeting_get_for(request.user, pk)
    form = form_class(request.POST, request.FILES, auto_id=f"id_{prefix}{result.pk}_%s")
    if form.is_valid():
        with form_errors(form):
            save(request.user, result, form.cleaned_data)
            return _back(meeting, f"result-{result.pk}")
    return _meeting_page(
        request,
        meeting,
        422,
        **{f"{'progress' if prefix == 'r' else 'part'}_form": form},
        result_pk=result.pk,
    )


@staff_page
@posted_form("deliberation:meeting", kwargs=("pk",))
def result_progress(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    return _result_form(
        request,
        pk,
        result_pk,
        ProgressForm,
        "r",
        lambda user, result, data: services.result_progress(actor=user, result=result, **data),
    )


@staff_page
@posted_form("deliberation:meeting", kwargs=("pk",))
def result_part_add(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    return _result_form(
        request,
        pk,
        result_pk,
        PartForm,
        "p",
        lambda user, result, data: services.result_part_add(actor=user, parent=result, **data),
    )


@staff_page
@require_GET
def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    url = request.build_absolute_uri(reverse("deliberation:sign_in", args=[meeting.sign_in_token]))
    return HttpResponse(qr_png(url, box_size=8), content_type="image/png")


@require_GET
def filing_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The filing record PDF: for staff of the area, and for anyone once the street has filed it (三公开)."""
    meeting = selectors.public_meetings().filter(pk=pk).first()
    if meeting is None:
        if not is_staff_member(request.user):
            raise NotFound()
        meeting = selectors.meeting_get_for(request.user, pk)
    return pdf_response(filing_record_pdf(meeting), f"meeting-{meeting.pk}.pdf")


@staff_page
@posted_form("deliberation:meeting")
@redirect_on_error("deliberation:meeting", "pk")
def meeting_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    nxt = services.meeting_repeat(actor=request.user, meeting=meeting)
    return redirect("deliberation:meeting", nxt.pk)


@staff_page
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """Meetings by day, a month at a time, for the whole area or one community."""
    today = timezone.localdate()
    try:
        month = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    communities = selectors.communities_for(request.user).filter(kind="community")
    community = communities.filter(pk=request.GET.get("community") or 0).first()
    before = (month - dt.timedelta(days=1)).replace(day=1)
    after = (month + dt.timedelta(days=32)).replace(day=1)
    context = {
        "days": selectors.meeting_calendar(request.user, month, community),
        "month": month,
        "before": before.strftime("%Y-%m"),
        "after": after.strftime("%Y-%m"),
        "communities": communities,
        "community": community,
        "today": today,
    }
    return page(request, "deliberation/calendar.html", "calendar", context)
