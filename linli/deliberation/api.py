"""Co-governance API (mounted under /api/deliberation): meetings through the five steps, results, the hall's
topics and votes. Every object is read through the scoping selectors (outside the caller's area: 404) and every
write goes through the same services as the pages. Filed meetings are public (三公开)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from linli.accounts.models import User
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.scoping import Viewer, get_or_404, is_staff_member
from linli.territory.schemas import ErrorOut
from linli.territory.selectors import households_visible_to

from . import permissions, selectors, services
from .models import Comment, Decision, Meeting, Result, Topic, Vote

router = Router(tags=["deliberation"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_member(user):
        raise PermissionDenied(_("This part of Linli is for community staff only."))
    return user


def _signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied(_("Sign in first."))
    return request.user


# --- schemas --------------------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    node: Ref
    stage: str
    stage_label: str
    scheduled_at: dt.datetime
    place: str


class FilingOut(MeetingOut):
    filed_at: dt.datetime | None
    decisions: int
    ratings: int
    may_decide: bool


class SourceOut(Schema):
    kind: str
    note: str
    appeal: str | None
    topic_id: int | None
    visit_id: int | None


class ItemOut(Schema):
    id: int
    title: str
    summary: str
    sources: list[SourceOut]


class ResultOut(Schema):
    id: int
    parent_id: int | None
    decision_id: int | None
    title: str
    weight: int
    progress: int
    status: str
    due_on: dt.date


class DecisionOut(Schema):
    id: int
    text: str
    responsible_name: str
    due_on: dt.date
    topic_id: int | None  # the hall topic it answers


class QuestionOut(Schema):
    id: int
    text: str


class SurveyRowOut(Schema):
    key: str
    label: str
    counts: dict[str, int]
    total: int


class MeetingDetailOut(MeetingOut):
    minutes: str
    agenda: list[ItemOut]
    decisions: list[DecisionOut]
    results: list[ResultOut]
    attended: int
    ratings: dict[str, int]
    questions: list[QuestionOut]  # the survey's questions besides the overall rating (answers keyed by id)
    survey: list[SurveyRowOut]
    filing_note: str


class MeetingIn(Schema):
    node_id: int
    kind: str = "joint"
    title: str
    scheduled_at: dt.datetime
    place: str = ""


class AgendaIn(Schema):
    title: str
    summary: str = ""
    appeal_numbers: list[str] = []
    topic_ids: list[int] = []
    monthly_topic_ids: list[int] = []
    visit_ids: list[int] = []  # entries of the grid visit log (情)
    other_sources: list[tuple[str, str]] = []  # ("suggestion_box" | "visit", what was said)


class DecisionIn(Schema):
    text: str
    responsible_name: str
    working_days: int
    item_id: int | None = None
    topic_id: int | None = None  # the hall topic the decision answers (its followers are told)


class AnswerTopicIn(Schema):
    topic_id: int | None  # null: the decision no longer answers a topic


class SurveyIn(Schema):
    questions: list[str]  # at most 8; empty: only the overall rating is asked


class TransitionIn(Schema):
    action: str
    note: str = ""


class ProgressIn(Schema):
    progress: int
    note: str
    dropped: bool = False


class PartIn(Schema):
    title: str
    weight: int = 1


class TopicOut(Schema):
    id: int
    title: str
    body: str
    node: Ref
    moderation: str
    created_at: dt.datetime


class AnswerOut(Schema):
    decision_id: int
    text: str
    meeting_id: int
    meeting_title: str
    responsible_name: str
    due_on: dt.date
    progress: int | None  # the decision's tracked result
    status: str | None


class TopicDetailOut(TopicOut):
    answers: list[AnswerOut]
    following: bool


class FollowIn(Schema):
    follow: bool = True


class TopicIn(Schema):
    title: str
    body: str


class CommentIn(Schema):
    body: str
    parent_id: int | None = None


class OptionOut(Schema):
    id: int
    label: str
    key: str


class CountOut(Schema):
    label: str
    key: str
    households: int
    area: Decimal
    points: int  # ranking: Borda points; score: the scores' sum (0 for the other methods)
    first: int  # ranking: first places
    mean: float  # score: the average score


class OwnersOut(Schema):
    participation: bool
    approval: bool
    passed: bool


class VoteOut(Schema):
    id: int
    title: str
    node: Ref
    method: str
    matter: str
    voter: str  # household (one ballot per household) or resident (one per verified resident)
    status: str
    closes_at: dt.datetime
    anonymous: bool
    max_score: int
    options: list[OptionOut]
    eligible_households: int
    eligible_residents: int  # a per-resident vote: verified residents when it opened (0 otherwise)
    ballots: int | None
    counts: list[CountOut] | None
    owners: OwnersOut | None


class BallotIn(Schema):
    option_ids: list[int] = []  # single, multiple and owners' votes
    marks: dict[int, int] = {}  # ranking (option id → place, 1 first) and score (option id → 0 … max_score)


class RatingIn(Schema):
    rating: str
    answers: dict[
        str, str
    ] = {}  # every question of the meeting's survey: question id → satisfied/basic/unsatisfied
    comment: str = ""


class ParticipantIn(Schema):
    side: str
    name: str
    unit: str = ""
    phone: str = ""


class MinutesIn(Schema):
    minutes: str


class SignInIn(Schema):
    token: str


class VoteIn(Schema):
    node_id: int
    title: str
    method: str
    closes_at: dt.datetime
    options: list[str] = []
    description: str = ""
    matter: str = "ordinary"
    anonymous: bool = False
    results_hidden: bool = False
    quorum: int = 0
    max_score: int = 5  # a score vote: each option gets 0 … max_score
    voter: str = "household"  # or "resident": each verified resident votes (not for an owners' decision)


class ReportIn(Schema):
    reason: str


class ModerateIn(Schema):
    decision: str
    reason: str = ""


# --- shaping --------------------------------------------------------------------------------------------------


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


def _topic(t: Topic) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "body": t.body if t.moderation == "visible" else "",
        "node": {"id": t.node.pk, "name": t.node.name},
        "moderation": t.moderation,
        "created_at": t.created_at,
    }


def _topic_detail(t: Topic, user: Viewer) -> dict[str, Any]:
    answers = []
    for d in selectors.topic_answers(t):
        root = d.roots[0] if d.roots else None
        answers.append(
            {
                "decision_id": d.pk,
                "text": d.text,
                "meeting_id": d.meeting_id,
                "meeting_title": d.meeting.title,
                "responsible_name": d.responsible_name,
                "due_on": d.due_on,
                "progress": root.progress if root else None,
                "status": root.status if root else None,
            }
        )
    return {**_topic(t), "answers": answers, "following": selectors.topic_followed_by(t, user)}


def _vote(v: Vote, user: Viewer) -> dict[str, Any]:
    shown = selectors.results_shown(v, user)
    tally = selectors.vote_tally(v) if shown else None
    return {
        "id": v.pk,
        "title": v.title,
        "node": {"id": v.node.pk, "name": v.node.name},
        "method": v.method,
        "matter": v.matter,
        "voter": v.voter,
        "status": v.status,
        "closes_at": v.closes_at,
        "anonymous": v.anonymous,
        "max_score": v.max_score,
        "options": [{"id": o.pk, "label": o.label, "key": o.key} for o in v.options.all()],
        "eligible_households": v.base_households,
        "eligible_residents": v.base_residents,
        "ballots": tally.ballots if tally else None,
        "counts": [
            {
                "label": c.label,
                "key": c.key,
                "households": c.households,
                "area": c.area,
                "points": c.points,
                "first": c.first,
                "mean": round(c.mean, 2),
            }
            for c in tally.options
        ]
        if tally
        else None,
        "owners": {
            "participation": tally.owners.participation,
            "approval": tally.owners.approval,
            "passed": tally.owners.passed,
        }
        if tally and tally.owners
        else None,
    }


# --- meetings -------------------------------------------------------------------------------------------------


@router.get("/meetings", response=list[MeetingOut])
def meeting_list(request: HttpRequest, stage: str = "") -> list[dict[str, Any]]:
    qs = selectors.meetings_visible_to(_signed_in(request))
    if stage:
        qs = qs.filter(stage=stage)
    return [_meeting(m) for m in qs[:200]]


@router.get("/filings", response={200: list[FilingOut], **ERRORS})
def filing_list(request: HttpRequest) -> list[dict[str, Any]]:
    """镇街备案: the filings of the caller's area waiting for the street, the longest waiting first."""
    user = _staff(request)
    return [
        {
            **_meeting(m),
            "filed_at": m.filed_at,
            "decisions": m.n_decisions,  # type: ignore[attr-defined]
            "ratings": m.n_ratings,  # type: ignore[attr-defined]
            "may_decide": permissions.may(user, "filing_decide", m.node.path),
        }
        for m in selectors.filings_waiting(user)[:200]
    ]


@router.get("/public/meetings", response=list[MeetingOut], auth=None)
def public_meeting_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_meeting(m) for m in selectors.public_meetings()[:200]]


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _meeting_detail(selectors.meeting_get_for(_signed_in(request), meeting_id))


@router.post("/meetings", response={201: MeetingDetailOut, **ERRORS})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> tuple[int, dict[str, Any]]:
    user = _staff(request)
    node = get_or_404(selectors.communities_for(user), pk=payload.node_id)
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
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    services.agenda_item_add(actor=user, meeting=meeting, **payload.dict())
    return 201, _meeting_detail(meeting)


@router.post("/meetings/{meeting_id}/decisions", response={201: MeetingDetailOut, **ERRORS})
def decision_add(request: HttpRequest, meeting_id: int, payload: DecisionIn) -> tuple[int, dict[str, Any]]:
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    item = get_or_404(meeting.agenda.all(), pk=payload.item_id) if payload.item_id else None
    topic = get_or_404(selectors.topics_visible_to(user), pk=payload.topic_id) if payload.topic_id else None
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
    user = _staff(request)
    decision = get_or_404(
        Decision.objects.select_related("meeting__node").filter(
            meeting__in=selectors.meetings_visible_to(user).values("pk")
        ),
        pk=decision_id,
    )
    topic = get_or_404(selectors.topics_visible_to(user), pk=payload.topic_id) if payload.topic_id else None
    services.decision_answer_topic(actor=user, decision=decision, topic=topic)
    return _meeting_detail(selectors.meeting_get_for(user, decision.meeting_id))


@router.put("/meetings/{meeting_id}/survey", response={200: MeetingDetailOut, **ERRORS})
def survey_set(request: HttpRequest, meeting_id: int, payload: SurveyIn) -> dict[str, Any]:
    """评价反馈: the questions households answer besides the overall rating (until the first answer)."""
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    services.survey_questions_set(actor=user, meeting=meeting, questions=payload.questions)
    return _meeting_detail(meeting)


@router.post("/meetings/{meeting_id}/transitions", response={200: MeetingDetailOut, **ERRORS})
def meeting_transition(request: HttpRequest, meeting_id: int, payload: TransitionIn) -> dict[str, Any]:
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    meeting = services.meeting_transition(
        actor=user, meeting=meeting, action=payload.action, note=payload.note
    )
    return _meeting_detail(selectors.meeting_get_for(user, meeting.pk))


@router.post("/meetings/{meeting_id}/rating", response={201: dict[str, int], **ERRORS})
def meeting_rate(request: HttpRequest, meeting_id: int, payload: RatingIn) -> tuple[int, dict[str, int]]:
    user = _signed_in(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    services.meeting_rate(
        actor=user, meeting=meeting, rating=payload.rating, answers=payload.answers, comment=payload.comment
    )
    return 201, selectors.rating_summary(meeting)


@router.post("/results/{result_id}/progress", response={200: ResultOut, **ERRORS})
def result_progress(request: HttpRequest, result_id: int, payload: ProgressIn) -> dict[str, Any]:
    user = _staff(request)
    result = selectors.result_get_for(user, result_id)
    return _result(services.result_progress(actor=user, result=result, **payload.dict()))


@router.post("/results/{result_id}/parts", response={201: ResultOut, **ERRORS})
def result_part(request: HttpRequest, result_id: int, payload: PartIn) -> tuple[int, dict[str, Any]]:
    user = _staff(request)
    result = selectors.result_get_for(user, result_id)
    return 201, _result(services.result_part_add(actor=user, parent=result, **payload.dict()))


# --- the hall -------------------------------------------------------------------------------------------------


@router.get("/topics", response=list[TopicOut])
def topic_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_topic(t) for t in selectors.topics_visible_to(_signed_in(request))[:200]]


@router.get("/topics/{topic_id}", response={200: TopicDetailOut, **ERRORS})
def topic_detail(request: HttpRequest, topic_id: int) -> dict[str, Any]:
    """A topic with the meetings' decisions that answer it (each with its result's progress)."""
    user = _signed_in(request)
    return _topic_detail(selectors.topic_get_for(user, topic_id), user)


@router.put("/topics/{topic_id}/following", response={200: TopicDetailOut, **ERRORS})
def topic_follow(request: HttpRequest, topic_id: int, payload: FollowIn) -> dict[str, Any]:
    """Follow a topic (told in the inbox when a decision answers it) or stop following it."""
    user = _signed_in(request)
    topic = selectors.topic_get_for(user, topic_id)
    services.topic_follow(actor=user, topic=topic, follow=payload.follow)
    return _topic_detail(topic, user)


@router.post("/topics", response={201: TopicOut, **ERRORS})
def topic_create(request: HttpRequest, payload: TopicIn) -> tuple[int, dict[str, Any]]:
    user = _signed_in(request)
    topic = services.topic_create(actor=user, title=payload.title, body=payload.body)
    return 201, _topic(topic)


@router.post("/topics/{topic_id}/comments", response={201: dict[str, int], **ERRORS})
def comment_add(request: HttpRequest, topic_id: int, payload: CommentIn) -> tuple[int, dict[str, int]]:
    user = _signed_in(request)
    topic = selectors.topic_get_for(user, topic_id)
    parent = get_or_404(topic.comments.all(), pk=payload.parent_id) if payload.parent_id else None
    comment = services.comment_add(actor=user, topic=topic, body=payload.body, parent=parent)
    return 201, {"id": comment.pk}


@router.get("/votes", response=list[VoteOut])
def vote_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _signed_in(request)
    return [_vote(v, user) for v in selectors.votes_visible_to(user).prefetch_related("options")[:100]]


@router.get("/votes/{vote_id}", response={200: VoteOut, **ERRORS})
def vote_detail(request: HttpRequest, vote_id: int) -> dict[str, Any]:
    user = _signed_in(request)
    return _vote(selectors.vote_get_for(user, vote_id), user)


@router.post("/votes/{vote_id}/ballot", response={201: VoteOut, **ERRORS})
def ballot_cast(request: HttpRequest, vote_id: int, payload: BallotIn) -> tuple[int, dict[str, Any]]:
    user = _signed_in(request)
    vote = selectors.vote_get_for(user, vote_id)
    services.ballot_cast(actor=user, vote=vote, option_ids=payload.option_ids, marks=payload.marks)
    return 201, _vote(vote, user)


@router.post("/meetings/{meeting_id}/participants", response={201: dict[str, int], **ERRORS})
def participant_add(
    request: HttpRequest, meeting_id: int, payload: ParticipantIn
) -> tuple[int, dict[str, int]]:
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    participant = services.participant_add(actor=user, meeting=meeting, **payload.dict())
    return 201, {"id": participant.pk}


@router.post("/meetings/{meeting_id}/invitations", response={200: dict[str, int], **ERRORS})
def participants_invite(request: HttpRequest, meeting_id: int) -> dict[str, int]:
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    return {"invited": services.participants_invite(actor=user, meeting=meeting)}


@router.put("/meetings/{meeting_id}/minutes", response={200: MeetingDetailOut, **ERRORS})
def minutes_save(request: HttpRequest, meeting_id: int, payload: MinutesIn) -> dict[str, Any]:
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    return _meeting_detail(services.minutes_save(actor=user, meeting=meeting, minutes=payload.minutes))


@router.post("/sign-in", response={200: dict[str, Any], **ERRORS})
def meeting_sign_in(request: HttpRequest, payload: SignInIn) -> dict[str, Any]:
    """Attendance by the meeting's QR code (the token in its link), for the signed-in person."""
    participant = services.meeting_sign_in(actor=_signed_in(request), token=payload.token)
    return {"meeting_id": participant.meeting_id, "signed_in_at": participant.signed_in_at}


@router.post("/votes", response={201: VoteOut, **ERRORS})
def vote_create(request: HttpRequest, payload: VoteIn) -> tuple[int, dict[str, Any]]:
    user = _staff(request)
    node = get_or_404(selectors.communities_for(user), pk=payload.node_id)
    data = payload.dict()
    data.pop("node_id")
    vote = services.vote_create(actor=user, node=node, **data)
    return 201, _vote(selectors.vote_get_for(user, vote.pk), user)


@router.post("/votes/{vote_id}/close", response={200: VoteOut, **ERRORS})
def vote_close(request: HttpRequest, vote_id: int) -> dict[str, Any]:
    user = _staff(request)
    vote = services.vote_close(actor=user, vote=selectors.vote_get_for(user, vote_id))
    return _vote(vote, user)


@router.post("/topics/{topic_id}/reports", response={201: dict[str, int], **ERRORS})
def topic_report(request: HttpRequest, topic_id: int, payload: ReportIn) -> tuple[int, dict[str, int]]:
    user = _signed_in(request)
    topic = selectors.topic_get_for(user, topic_id)
    report = services.content_report(actor=user, topic=topic, reason=payload.reason)
    return 201, {"id": report.pk}


@router.post("/topics/{topic_id}/moderation", response={200: TopicOut, **ERRORS})
def topic_moderate(request: HttpRequest, topic_id: int, payload: ModerateIn) -> dict[str, Any]:
    user = _staff(request)
    topic = selectors.topic_get_for(user, topic_id)
    moderated = services.content_moderate(
        actor=user, topic=topic, decision=payload.decision, reason=payload.reason
    )
    assert isinstance(moderated, Topic)
    return _topic(moderated)


@router.post("/meetings/{meeting_id}/repeat", response={201: MeetingDetailOut, **ERRORS})
def meeting_repeat(request: HttpRequest, meeting_id: int) -> tuple[int, dict[str, Any]]:
    """每月一议: convene the next meeting of the series a month later, same place, members and survey."""
    user = _staff(request)
    nxt = services.meeting_repeat(actor=user, meeting=selectors.meeting_get_for(user, meeting_id))
    return 201, _meeting_detail(selectors.meeting_get_for(user, nxt.pk))


@router.post(
    "/meetings/{meeting_id}/participants/{participant_id}/present", response={200: dict[str, Any], **ERRORS}
)
def participant_present(request: HttpRequest, meeting_id: int, participant_id: int) -> dict[str, Any]:
    """The secretary marks a member present who has no phone to scan the code with."""
    user = _staff(request)
    meeting = selectors.meeting_get_for(user, meeting_id)
    participant = get_or_404(meeting.participants.all(), pk=participant_id)
    done = services.participant_mark_present(actor=user, participant=participant)
    return {"id": done.pk, "signed_in_at": done.signed_in_at}


class CalendarDayOut(Schema):
    day: dt.date
    meetings: list[MeetingOut]


@router.get("/calendar", response={200: list[CalendarDayOut], **ERRORS})
def meeting_calendar(
    request: HttpRequest, month: str = "", community_id: int | None = None
) -> list[dict[str, Any]]:
    """The meetings of a month (YYYY-MM, this month by default) by day, in the caller's area or one community."""
    user = _staff(request)
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


class BallotOut(Schema):
    id: int
    household: str
    resident_id: int | None  # a per-resident vote: whose ballot it is
    is_paper: bool
    photo_url: str | None


@router.post("/votes/{vote_id}/paper-ballots", response={201: BallotOut, **ERRORS})
def paper_ballot(
    request: HttpRequest,
    vote_id: int,
    household_code: Form[str],
    photo: File[UploadedFile],
    option_ids: Form[list[int]] = [],  # noqa: B006 (ninja reads the default)
    marks: Form[str] = "",  # ranking or score: "option id:value,option id:value"
    resident_id: Form[int | None] = None,  # a per-resident vote: the verified resident who signed
) -> tuple[int, dict[str, Any]]:
    """入户征求意见: a worker records a household's paper ballot (multipart) with a photo of the signed form."""
    user = _staff(request)
    vote = selectors.vote_get_for(user, vote_id)
    household = get_or_404(households_visible_to(user), code=household_code.strip())
    parsed: dict[int, int] = {}
    for pair in filter(None, (p.strip() for p in marks.split(","))):
        key, _sep, value = pair.partition(":")
        if not (key.strip().isdigit() and value.strip().isdigit()):
            raise ValidationFailed(_("Give marks as option id:value, separated by commas."))
        parsed[int(key)] = int(value)
    resident = None
    if resident_id is not None:
        resident = selectors.residents_of_household(household).filter(pk=resident_id).first()
        if resident is None:
            raise ValidationFailed(_("This resident is not a verified resident of that household."))
    ballot = services.ballot_record_paper(
        actor=user,
        vote=vote,
        household=household,
        photo=photo,
        option_ids=option_ids,
        marks=parsed,
        resident=resident,
    )
    return 201, {
        "id": ballot.pk,
        "household": household.code,
        "resident_id": ballot.person_id,
        "is_paper": ballot.is_paper,
        "photo_url": ballot.paper_photo.url if ballot.paper_photo else None,
    }


@router.get("/votes/{vote_id}/ballots", response={200: list[BallotOut], **ERRORS})
def ballot_list(request: HttpRequest, vote_id: int) -> list[dict[str, Any]]:
    """The ballots of an open-ballot vote for its area's workers: paper ones marked, with their photo (audit)."""
    user = _staff(request)
    vote = selectors.vote_get_for(user, vote_id)
    permissions.require(user, "paper_ballot", vote.node.path)
    if vote.anonymous:
        raise PermissionDenied(_("The ballots of an anonymous vote are not listed."))
    return [
        {
            "id": b.pk,
            "household": b.household.code,
            "resident_id": b.person_id,
            "is_paper": b.is_paper,
            "photo_url": b.paper_photo.url if b.paper_photo else None,
        }
        for b in vote.ballots.select_related("household").order_by("id")
    ]


@router.post("/comments/{comment_id}/reports", response={201: dict[str, int], **ERRORS})
def comment_report(request: HttpRequest, comment_id: int, payload: ReportIn) -> tuple[int, dict[str, int]]:
    user = _signed_in(request)
    comment = get_or_404(
        Comment.objects.select_related("topic__node").filter(
            topic__in=selectors.topics_visible_to(user).values("pk")
        ),
        pk=comment_id,
    )
    report = services.content_report(actor=user, comment=comment, reason=payload.reason)
    return 201, {"id": report.pk}


class ModeratedOut(Schema):
    id: int
    moderation: str
    moderation_reason: str


@router.post("/comments/{comment_id}/moderation", response={200: ModeratedOut, **ERRORS})
def comment_moderate(request: HttpRequest, comment_id: int, payload: ModerateIn) -> dict[str, Any]:
    user = _staff(request)
    comment = get_or_404(
        Comment.objects.select_related("topic__node").filter(
            topic__in=selectors.topics_visible_to(user).values("pk")
        ),
        pk=comment_id,
    )
    done = services.content_moderate(
        actor=user, comment=comment, decision=payload.decision, reason=payload.reason
    )
    return {"id": done.pk, "moderation": done.moderation, "moderation_reason": done.moderation_reason}


class QueuedOut(Schema):
    kind: str  # topic | comment
    id: int
    topic_id: int
    text: str
    reports: list[str]  # the reasons given


@router.get("/moderation", response={200: list[QueuedOut], **ERRORS})
def moderation_queue(request: HttpRequest) -> list[dict[str, Any]]:
    """What waits for a moderator of the caller's area: topics and comments hidden after reports."""
    user = _staff(request)
    queue = selectors.moderation_queue(user)
    return [
        {
            "kind": "topic",
            "id": t.pk,
            "topic_id": t.pk,
            "text": t.title,
            "reports": [r.reason for r in t.reports.all()],
        }
        for t in queue["topics"]
    ] + [
        {
            "kind": "comment",
            "id": c.pk,
            "topic_id": c.topic_id,
            "text": c.body,
            "reports": [r.reason for r in c.reports.all()],
        }
        for c in queue["comments"]
    ]
