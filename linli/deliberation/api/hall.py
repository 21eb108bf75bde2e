"""Co-governance API: the residents' hall — topics, comments, moderation, votes and ballots."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form
from ninja.files import UploadedFile

from linli.accounts.auth import staff_account
from linli.accounts.models import User
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref
from linli.core.errors import PermissionDenied, invalid
from linli.core.scoping import Viewer
from linli.territory.selectors import households_visible_to

from .. import permissions, selectors, services
from ..models import Ballot, Comment, Topic, Vote
from .common import ERRORS, router, signed_in
from .schemas import (
    BallotIn,
    BallotOut,
    CommentIn,
    FollowIn,
    ModeratedOut,
    ModerateIn,
    QueuedOut,
    ReportIn,
    TopicDetailOut,
    TopicIn,
    TopicOut,
    TopicPage,
    VoteIn,
    VoteOut,
    VotePage,
)


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


@router.get("/topics", response={200: TopicPage, **ERRORS})
def topic_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The hall's topics the caller sees, newest first, a page at a time."""
    qs = selectors.topics_visible_to(signed_in(request)).order_by("-created_at", "-id")
    return page(qs, limit, offset, _topic)


@router.get("/topics/{topic_id}", response={200: TopicDetailOut, **ERRORS})
def topic_detail(request: HttpRequest, topic_id: int) -> dict[str, Any]:
    """A topic with the meetings' decisions that answer it (each with its result's progress)."""
    user = signed_in(request)
    return _topic_detail(selectors.topic_get_for(user, topic_id), user)


@router.put("/topics/{topic_id}/following", response={200: TopicDetailOut, **ERRORS})
def topic_follow(request: HttpRequest, topic_id: int, payload: FollowIn) -> dict[str, Any]:
    """Follow a topic (told in the inbox when a decision answers it) or stop following it."""
    user = signed_in(request)
    topic = selectors.topic_get_for(user, topic_id)
    services.topic_follow(actor=user, topic=topic, follow=payload.follow)
    return _topic_detail(topic, user)


@router.post("/topics", response={201: TopicOut, **ERRORS})
def topic_create(request: HttpRequest, payload: TopicIn) -> tuple[int, dict[str, Any]]:
    user = signed_in(request)
    topic = services.topic_create(actor=user, title=payload.title, body=payload.body)
    return 201, _topic(topic)


@router.post("/topics/{topic_id}/comments", response={201: dict[str, int], **ERRORS})
def comment_add(request: HttpRequest, topic_id: int, payload: CommentIn) -> tuple[int, dict[str, int]]:
    user = signed_in(request)
    topic = selectors.topic_get_for(user, topic_id)
    comment = services.comment_add(actor=user, topic=topic, body=payload.body, parent_id=payload.parent_id)
    return 201, {"id": comment.pk}


@router.get("/votes", response={200: VotePage, **ERRORS})
def vote_list(
    request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()
) -> dict[str, Any]:
    """The votes the caller sees, newest first, a page at a time."""
    user = signed_in(request)
    qs = selectors.votes_visible_to(user).prefetch_related("options").order_by("-created_at", "-id")
    return page(qs, limit, offset, lambda v: _vote(v, user))


@router.get("/votes/{vote_id}", response={200: VoteOut, **ERRORS})
def vote_detail(request: HttpRequest, vote_id: int) -> dict[str, Any]:
    user = signed_in(request)
    return _vote(selectors.vote_get_for(user, vote_id), user)


@router.post("/votes/{vote_id}/ballot", response={201: VoteOut, **ERRORS})
def ballot_cast(request: HttpRequest, vote_id: int, payload: BallotIn) -> tuple[int, dict[str, Any]]:
    user = signed_in(request)
    vote = selectors.vote_get_for(user, vote_id)
    services.ballot_cast(actor=user, vote=vote, option_ids=payload.option_ids, marks=payload.marks)
    return 201, _vote(vote, user)


@router.post("/votes", response={201: VoteOut, **ERRORS})
def vote_create(request: HttpRequest, payload: VoteIn) -> tuple[int, dict[str, Any]]:
    user = staff_account(request)
    node = body_ref("node_id", selectors.communities_for(user), payload.node_id)
    data = payload.dict()
    data.pop("node_id")
    vote = services.vote_create(actor=user, node=node, **data)
    return 201, _vote(selectors.vote_get_for(user, vote.pk), user)


@router.post("/votes/{vote_id}/close", response={200: VoteOut, **ERRORS})
def vote_close(request: HttpRequest, vote_id: int) -> dict[str, Any]:
    user = staff_account(request)
    vote = services.vote_close(actor=user, vote=selectors.vote_get_for(user, vote_id))
    return _vote(vote, user)


def _reported(user: User, payload: ReportIn, **target: Any) -> tuple[int, dict[str, int]]:
    """A report on a topic or a comment (`target`): three hide it until a moderator looks."""
    report = services.content_report(actor=user, reason=payload.reason, **target)
    return 201, {"id": report.pk}


def _ballot(b: Ballot) -> dict[str, Any]:
    """A ballot as its area's workers read it: the household, the resident for a per-resident vote, and for a
    paper one the photo of the signed form."""
    return {
        "id": b.pk,
        "household": b.household.code,
        "resident_id": b.person_id,
        "is_paper": b.is_paper,
        "photo_url": reverse("deliberation:ballot_photo", args=[b.vote_id, b.pk]) if b.paper_photo else None,
    }


def _moderated(user: User, payload: ModerateIn, **target: Any) -> Topic | Comment:
    """A moderator keeps or removes a topic or a comment (`target`)."""
    return services.content_moderate(actor=user, decision=payload.decision, reason=payload.reason, **target)


@router.post("/topics/{topic_id}/reports", response={201: dict[str, int], **ERRORS})
def topic_report(request: HttpRequest, topic_id: int, payload: ReportIn) -> tuple[int, dict[str, int]]:
    user = signed_in(request)
    return _reported(user, payload, topic=selectors.topic_get_for(user, topic_id))


@router.post("/topics/{topic_id}/moderation", response={200: TopicOut, **ERRORS})
def topic_moderate(request: HttpRequest, topic_id: int, payload: ModerateIn) -> dict[str, Any]:
    user = staff_account(request)
    moderated = _moderated(user, payload, topic=selectors.topic_get_for(user, topic_id))
    assert isinstance(moderated, Topic)
    return _topic(moderated)


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
    user = staff_account(request)
    vote = selectors.vote_get_for(user, vote_id)
    household = body_ref("household_code", households_visible_to(user), household_code.strip(), key="code")
    parsed: dict[int, int] = {}
    for pair in filter(None, (p.strip() for p in marks.split(","))):
        key, _sep, value = pair.partition(":")
        if not (key.strip().isdigit() and value.strip().isdigit()):
            raise invalid("marks", _("Give marks as option id:value, separated by commas."))
        parsed[int(key)] = int(value)
    resident = body_ref(
        "resident_id",
        selectors.residents_of_household(household),
        resident_id,
        words=_("This resident is not a verified resident of that household."),
    )
    ballot = services.ballot_record_paper(
        actor=user,
        vote=vote,
        household=household,
        photo=photo,
        option_ids=option_ids,
        marks=parsed,
        resident=resident,
    )
    return 201, _ballot(ballot)


@router.get("/votes/{vote_id}/ballots", response={200: list[BallotOut], **ERRORS})
def ballot_list(request: HttpRequest, vote_id: int) -> list[dict[str, Any]]:
    """The ballots of an open-ballot vote for its area's workers: paper ones marked, with their photo (audit)."""
    user = staff_account(request)
    vote = selectors.vote_get_for(user, vote_id)
    permissions.require(user, "paper_ballot", vote.node.path)
    if vote.anonymous:
        raise PermissionDenied(_("The ballots of an anonymous vote are not listed."))
    return [_ballot(b) for b in vote.ballots.select_related("household").order_by("id")]


@router.post("/comments/{comment_id}/reports", response={201: dict[str, int], **ERRORS})
def comment_report(request: HttpRequest, comment_id: int, payload: ReportIn) -> tuple[int, dict[str, int]]:
    user = signed_in(request)
    return _reported(user, payload, comment=selectors.comment_get_for(user, comment_id))


@router.post("/comments/{comment_id}/moderation", response={200: ModeratedOut, **ERRORS})
def comment_moderate(request: HttpRequest, comment_id: int, payload: ModerateIn) -> dict[str, Any]:
    user = staff_account(request)
    done = _moderated(user, payload, comment=selectors.comment_get_for(user, comment_id))
    return {"id": done.pk, "moderation": done.moderation, "moderation_reason": done.moderation_reason}


@router.get("/moderation", response={200: list[QueuedOut], **ERRORS})
def moderation_queue(request: HttpRequest) -> list[dict[str, Any]]:
    """What waits for a moderator of the caller's area: topics and comments hidden after reports."""
    user = staff_account(request)
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
