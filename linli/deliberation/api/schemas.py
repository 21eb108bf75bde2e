"""The co-governance API's request and response shapes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class DeliberationRef(Schema):
    id: int
    name: str


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    node: DeliberationRef
    stage: str
    stage_label: str
    scheduled_at: dt.datetime
    place: str


class FilingOut(MeetingOut):
    filed_at: dt.datetime | None
    decisions: int
    ratings: int
    may_decide: bool


class MeetingPage(Schema):
    """A page of meetings (core.api_paging): `count` of all, `items` of this page."""

    count: int
    items: list[MeetingOut]


class FilingPage(Schema):
    count: int
    items: list[FilingOut]


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


class MeetingDecisionIn(Schema):
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
    node: DeliberationRef
    moderation: str
    created_at: dt.datetime


class TopicPage(Schema):
    count: int
    items: list[TopicOut]


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
    node: DeliberationRef
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


class VotePage(Schema):
    count: int
    items: list[VoteOut]


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


class InvitationsIn(Schema):
    """(Query) How the members were invited ("sms", or "in_person": told in person or by phone, nothing is sent) and,
    optionally, which of them (by default every member not invited yet)."""

    method: str = "sms"
    participant_ids: list[int] | None = None


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


class CalendarDayOut(Schema):
    day: dt.date
    meetings: list[MeetingOut]


class BallotOut(Schema):
    id: int
    household: str
    resident_id: int | None  # a per-resident vote: whose ballot it is
    is_paper: bool
    photo_url: str | None


class ModeratedOut(Schema):
    id: int
    moderation: str
    moderation_reason: str


class QueuedOut(Schema):
    kind: str  # topic | comment
    id: int
    topic_id: int
    text: str
    reports: list[str]  # the reasons given
