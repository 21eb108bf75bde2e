"""Co-governance API: joint meetings through the five steps, their decisions, results, calendar and filings (三公开 for filed ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query

from linli.accounts.auth import staff_account
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref
from linli.core.errors import ValidationFailed
from linli.core.scoping import get_or_404
from linli.territory.schemas import ErrorOut

from .. import permissions, selectors, services
from ..models import Meeting, Result
from .common import ERRORS, router, signed_in
from .schemas import (
    AgendaIn,
    AnswerTopicIn,
    CalendarDayOut,
    FilingPage,
    InvitationsIn,
    MeetingDecisionIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingPage,
    MinutesIn,
    ParticipantIn,
    PartIn,
    ProgressIn,
    RatingIn,
    ResultOut,
    SignInIn,
    SurveyIn,
    TransitionIn,
)


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "title": m.title,
        "node": {"id": m.node.pk, "name": m.node.name},
        "stage": m.stage,
        "stage_label": str(m.get_stage_display()),
        "scheduled_at": m.scheduled_at,
        "place": m.place,
    }


def _result(r: Result) -> dict[str, Any]:
    return {
        "id": r.pk,
        "parent_id": r.parent_id,
        "decision_id": r.decision_id,
        "title": r.title,
        "weight": r.weight,
        "progress": r.progress,
        "status": r.status,
        "due_on": r.due_on,
    }


def _meeting_detail(m: Meeting) -> dict[str, Any]:
    return {
        **_meeting(m),
        "minutes": m.minutes,
        "agenda": [
            {
                "id": i.pk,
                "title": i.title,
                "summary": i.summary,
                "sources": [
                    {
                        "kind": s.kind,
                        "note": s.note,
                        "appeal": s.appeal.tracking_number if s.appeal else None,
                        "topic_id": s.topic_id,
                        "visit_id": s.visit_id,
                    }
                    for s in i.sources.all()
                ],
            }
            for i in selectors.meeting_agenda(m)
        ],
        "decisions": [
            {
                "id": d.pk,
                "text": d.text,
                "responsible_name": d.responsible_name,
                "due_on": d.due_on,
                "topic_id": d.topic_id,
            }
            for d in m.decisions.all()
        ],
        "questions": [{"id": q.pk, "text": q.text} for q in m.questions.all()],
        "results": [_result(n.result) for n in selectors.flatten(selectors.result_tree(m))],
        "attended": m.participants.filter(signed_in_at__isnull=False).count(),
        "ratings": selectors.rating_summary(m),
        "survey": [{**row, "label": str(row["label"])} for row in selectors.survey_summary(m)],
        "filing_note": m.filing_note,
    }


@router.get("/meetings", response={200: MeetingPage, **ERRORS})
def meeting_list(
    request: HttpRequest, stage: str = "", limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The meetings of the caller's area (of one stage if asked), latest first, a page at a time."""
    qs = selectors.meetings_visible_to(signed_in(request))
    if stage:
        qs = qs.filter(stage=stage)
    return page(qs.order_by("-scheduled_at", "-id"), limit, offset, _meeting)


@router.get("/filings", response={200: FilingPage, **ERRORS})
def filing_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """镇街备案: the filings of the caller's area waiting for the street, the longest waiting first, a page at a
    time."""
    user = staff_account(request)

    def filing(m: Meeting) -> dict[str, Any]:
        return {
            **_meeting(m),
            "filed_at": m.filed_at,
            "decisions": m.n_decisions,  # type: ignore[attr-defined]
            "ratings": m.n_ratings,  # type: ignore[attr-defined]
            "may_decide": permissions.may(user, "filing_decide", m.node.path),
        }

    return page(selectors.filings_waiting(user).order_by("filed_at", "id"), limit, offset, filing)


@router.get("/public/meetings", response={200: MeetingPage, 422: ErrorOut}, auth=None)
def public_meeting_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """三公开: the meetings the street has acknowledged, latest first, a page at a time (no sign-in)."""
    return page(selectors.public_meetings().order_by("-scheduled_at", "-id"), limit, offset, _meeting)


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _meeting_detail(selectors.meeting_get_for(signed_in(request), meeting_id))


@router.post("/meetings", response={201: MeetingDetailOut, **ERRORS})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> tuple[int, dict[str, Any]]:
    user = staff_account(request)
    node = body_ref("node_id", selectors.communities_for(user), payload.node_id)
    meeting = services.meeting_create(
        actor=user,
        node=node,
        kind=payload.kind,
        title=payload.title,
        scheduled_at=payload.scheduled_at,
        place=payload.place,
    )
    return 201, _meeting_detail(meeting)


@router.post("/meetings/{meeting_id}/agenda", response={201: MeetingDetailOut, **ERRORS})
def agenda_add(request: HttpRequest, meeting_id: int, payload: AgendaIn) -> tuple[int, dict[str, Any]]:
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    services.agenda_item_add(actor=user, meeting=meeting, **payload.dict())
    return 201, _meeting_detail(meeting)


@router.post("/meetings/{meeting_id}/decisions", response={201: MeetingDetailOut, **ERRORS})
def decision_add(
    request: HttpRequest, meeting_id: int, payload: MeetingDecisionIn
) -> tuple[int, dict[str, Any]]:
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    item = body_ref("item_id", meeting.agenda.all(), payload.item_id or None)
    topic = body_ref("topic_id", selectors.topics_visible_to(user), payload.topic_id or None)
    services.decision_add(
        actor=user,
        meeting=meeting,
        text_=payload.text,
        responsible_name=payload.responsible_name,
        working_days=payload.working_days,
        item=item,
        topic=topic,
    )
    return 201, _meeting_detail(meeting)


@router.put("/decisions/{decision_id}/topic", response={200: MeetingDetailOut, **ERRORS})
def decision_answer_topic(request: HttpRequest, decision_id: int, payload: AnswerTopicIn) -> dict[str, Any]:
    """Link a decision to the hall topic it answers (its followers are told), or unlink it (topic_id null)."""
    user = staff_account(request)
    decision = selectors.decision_get_for(user, decision_id)
    topic = body_ref("topic_id", selectors.topics_visible_to(user), payload.topic_id or None)
    services.decision_answer_topic(actor=user, decision=decision, topic=topic)
    return _meeting_detail(selectors.meeting_get_for(user, decision.meeting_id))


@router.put("/meetings/{meeting_id}/survey", response={200: MeetingDetailOut, **ERRORS})
def survey_set(request: HttpRequest, meeting_id: int, payload: SurveyIn) -> dict[str, Any]:
    """评价反馈: the questions households answer besides the overall rating (until the first answer)."""
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    services.survey_questions_set(actor=user, meeting=meeting, questions=payload.questions)
    return _meeting_detail(meeting)


@router.post("/meetings/{meeting_id}/transitions", response={200: MeetingDetailOut, **ERRORS})
def meeting_transition(request: HttpRequest, meeting_id: int, payload: TransitionIn) -> dict[str, Any]:
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    meeting = services.meeting_transition(
        actor=user, meeting=meeting, action=payload.action, note=payload.note
    )
    return _meeting_detail(selectors.meeting_get_for(user, meeting.pk))


@router.post("/meetings/{meeting_id}/rating", response={201: dict[str, int], **ERRORS})
def meeting_rate(request: HttpRequest, meeting_id: int, payload: RatingIn) -> tuple[int, dict[str, int]]:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    services.meeting_rate(
        actor=user, meeting=meeting, rating=payload.rating, answers=payload.answers, comment=payload.comment
    )
    return 201, selectors.rating_summary(meeting)


@router.post("/results/{result_id}/progress", response={200: ResultOut, **ERRORS})
def result_progress(request: HttpRequest, result_id: int, payload: ProgressIn) -> dict[str, Any]:
    user = staff_account(request)
    result = selectors.result_get_for(user, result_id)
    return _result(services.result_progress(actor=user, result=result, **payload.dict()))


@router.post("/results/{result_id}/parts", response={201: ResultOut, **ERRORS})
def result_part(request: HttpRequest, result_id: int, payload: PartIn) -> tuple[int, dict[str, Any]]:
    user = staff_account(request)
    result = selectors.result_get_for(user, result_id)
    return 201, _result(services.result_part_add(actor=user, parent=result, **payload.dict()))


@router.post("/meetings/{meeting_id}/participants", response={201: dict[str, int], **ERRORS})
def participant_add(
    request: HttpRequest, meeting_id: int, payload: ParticipantIn
) -> tuple[int, dict[str, int]]:
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    participant = services.participant_add(actor=user, meeting=meeting, **payload.dict())
    return 201, {"id": participant.pk}


@router.post("/meetings/{meeting_id}/invitations", response={200: dict[str, int], **ERRORS})
def participants_invite(
    request: HttpRequest, meeting_id: int, choice: Query[InvitationsIn]
) -> dict[str, int]:
    """Invite the members not invited yet; `?method=in_person` records them as told in person or by phone (no
    text message), `participant_ids` (repeated) picks some of them. The query keeps a bare POST valid."""
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    return {
        "invited": services.participants_invite(
            actor=user, meeting=meeting, method=choice.method, participant_ids=choice.participant_ids
        )
    }


@router.put("/meetings/{meeting_id}/minutes", response={200: MeetingDetailOut, **ERRORS})
def minutes_save(request: HttpRequest, meeting_id: int, payload: MinutesIn) -> dict[str, Any]:
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    return _meeting_detail(services.minutes_save(actor=user, meeting=meeting, minutes=payload.minutes))


@router.post("/sign-in", response={200: dict[str, Any], **ERRORS})
def meeting_sign_in(request: HttpRequest, payload: SignInIn) -> dict[str, Any]:
    """Attendance by the meeting's QR code (the token in its link), for the signed-in person."""
    participant = services.meeting_sign_in(actor=signed_in(request), token=payload.token)
    return {"meeting_id": participant.meeting_id, "signed_in_at": participant.signed_in_at}


@router.post("/meetings/{meeting_id}/repeat", response={201: MeetingDetailOut, **ERRORS})
def meeting_repeat(request: HttpRequest, meeting_id: int) -> tuple[int, dict[str, Any]]:
    """每月一议: convene the next meeting of the series a month later, same place, members and survey."""
    user = staff_account(request)
    nxt = services.meeting_repeat(actor=user, meeting=selectors.meeting_get_for(user, meeting_id))
    return 201, _meeting_detail(selectors.meeting_get_for(user, nxt.pk))


@router.post(
    "/meetings/{meeting_id}/participants/{participant_id}/present", response={200: dict[str, Any], **ERRORS}
)
def participant_present(request: HttpRequest, meeting_id: int, participant_id: int) -> dict[str, Any]:
    """The secretary marks a member present who has no phone to scan the code with."""
    user = staff_account(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    participant = get_or_404(meeting.participants.all(), pk=participant_id)
    done = services.participant_mark_present(actor=user, participant=participant)
    return {"id": done.pk, "signed_in_at": done.signed_in_at}


@router.get("/calendar", response={200: list[CalendarDayOut], **ERRORS})
def meeting_calendar(
    request: HttpRequest, month: str = "", community_id: int | None = None
) -> list[dict[str, Any]]:
    """The meetings of a month (YYYY-MM, this month by default) by day, in the caller's area or one community."""
    user = staff_account(request)
    try:
        first = dt.date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    except ValueError:
        raise ValidationFailed(_("Give the month as YYYY-MM.")) from None
    community = (
        get_or_404(selectors.communities_for(user), pk=community_id) if community_id is not None else None
    )
    return [
        {"day": day, "meetings": [_meeting(m) for m in meetings]}
        for day, meetings in selectors.meeting_calendar(user, first, community)
    ]
