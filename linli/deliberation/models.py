"""Co-governance rows: joint meetings through the five steps, results, and the residents' hall with its votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.appeals.models import Appeal, MonthlyTopic
from linli.core.models import BaseModel
from linli.party.models import PartyOrg
from linli.territory.models import Household, Organisation, OrgNode, Visit

from .choices import (
    EscalationLevel,
    InviteMethod,
    MeetingKind,
    Moderation,
    OwnersMatter,
    Rating,
    ResultStatus,
    Side,
    SourceKind,
    Stage,
    VoteMethod,
    VoteStatus,
    VoteVoter,
)

User = settings.AUTH_USER_MODEL


class Meeting(BaseModel):
    """A joint meeting (or a yard, bench or monthly meeting) carried through the five steps."""

    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices, default=MeetingKind.JOINT)
    title = models.CharField(_("title"), max_length=120)
    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("community or compound")
    )
    convener = models.ForeignKey(
        PartyOrg,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("convened by"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.COLLECT)
    scheduled_at = models.DateTimeField(_("scheduled at"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    sign_in_token = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("submitted for filing at"), null=True, blank=True)
    filing_decided_at = models.DateTimeField(_("filing decided at"), null=True, blank=True)
    filing_decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filing_note = models.CharField(_("street's note"), max_length=300, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-scheduled_at", "-id"]
        indexes = [models.Index(fields=["stage", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title


class MeetingEvent(models.Model):
    """One step of a meeting's history (who, when, from, to, why). Never edited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=24)
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.action}"


class Topic(BaseModel):
    """A topic of the residents' hall, in a community or a compound."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="hall_topics")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="hall_topics")
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("what it is about"), max_length=2000)
    moderation = models.CharField(max_length=8, choices=Moderation.choices, default=Moderation.VISIBLE)
    moderation_reason = models.CharField(_("moderator's reason"), max_length=200, blank=True)
    report_count = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("hall topic")
        verbose_name_plural = _("hall topics")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TopicFollower(models.Model):
    """Someone who follows a topic: told when a meeting's decision answers it. The author and those who
    comment follow it from then on; anyone who may read it can follow or unfollow."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="uniq_topic_follower")]

    def __str__(self) -> str:
        return f"{self.topic_id}/{self.user_id}"


class Comment(BaseModel):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=1000)
    moderation = models.CharField(max_length=8, choices=Moderation.choices, default=Moderation.VISIBLE)
    moderation_reason = models.CharField(_("moderator's reason"), max_length=200, blank=True)
    report_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:30]


class Report(models.Model):
    """One person's report of a topic or a comment, and the moderator's decision on it."""

    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "reporter"], name="uniq_topic_report"),
            models.UniqueConstraint(fields=["comment", "reporter"], name="uniq_comment_report"),
        ]

    def __str__(self) -> str:
        return self.reason


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class AgendaSource(models.Model):
    """Where an agenda item's opinion came from: an appeal, a hall topic, the monthly topic, the box, a visit."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    appeal = models.ForeignKey(Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_sources"
    )
    monthly_topic = models.ForeignKey(
        MonthlyTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("what was said"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.note}"


class Participant(models.Model):
    """A member of a meeting: invited from the territory's sides, signed in by QR code or by the secretary."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    phone = models.CharField(_("mobile number"), max_length=24, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.CharField(_("invited"), max_length=12, choices=InviteMethod.choices, blank=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    signed_in_by_qr = models.BooleanField(default=False)

    class Meta:
        ordering = ["side", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="uniq_participant_user",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Decision(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.CharField(_("decision"), max_length=300)
    responsible = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_name = models.CharField(_("responsible unit"), max_length=120)
    due_on = models.DateField(_("due on"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Result(BaseModel):
    """A decision's tracked outcome. Results form a tree; a parent's progress is its children's weighted mean."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="results")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="results"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(_("title"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.PLANNED
    )
    due_on = models.DateField(_("due on"))
    # The highest level told that it is overdue ("" while it is not): shown on the meeting's page.
    escalated_to = models.CharField(max_length=10, choices=EscalationLevel.choices, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(status__in=["planned", "in_progress"]),
                name="result_open_due",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ResultDeadline(models.Model):
    """When an open result past its due date is told to each level (community, street, district). The
    `deliberation.overdue_results` job claims due rows (SKIP LOCKED, then compare-and-swap on `fired_at`)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="deadlines")
    level = models.CharField(max_length=10, choices=EscalationLevel.choices)
    due_on = models.DateField()
    fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["result", "level"], name="uniq_result_deadline_level")]
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(fired_at__isnull=True), name="result_deadline_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.result_id} {self.level} {self.due_on}"


class ResultUpdate(models.Model):
    """A timeline entry of a result: what was done, the progress after it, an optional photo."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField(_("progress"))
    status = models.CharField(max_length=12, choices=ResultStatus.choices)
    note = models.CharField(_("what was done"), max_length=300)
    photo = models.FileField(_("photo"), upload_to="deliberation/%Y/%m/", blank=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.note


class MeetingRating(models.Model):
    """评价反馈: one household's rating of a meeting's outcome."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], name="uniq_meeting_rating_household")
        ]

    def __str__(self) -> str:
        return self.rating


class SurveyQuestion(models.Model):
    """评价反馈: a question of a meeting's survey besides the overall rating, answered satisfied / basically
    satisfied / unsatisfied. A meeting starts with the default questions (choices.DEFAULT_SURVEY); its secretary
    may change them until the first household answers."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class RatingAnswer(models.Model):
    """One answer of a household's survey response (the questions besides the overall rating)."""

    rating = models.ForeignKey(MeetingRating, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="responses")
    answer = models.CharField(max_length=12, choices=Rating.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "question"], name="uniq_rating_answer_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.answer}"


class Vote(BaseModel):
    """A vote of the hall: one ballot per household, or per verified resident if the vote says so; an owners' vote
    counts owners and floor area (art. 278) and is always per household."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="hall_votes")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    method = models.CharField(_("method"), max_length=10, choices=VoteMethod.choices)
    matter = models.CharField(
        _("matter"), max_length=10, choices=OwnersMatter.choices, default=OwnersMatter.ORDINARY
    )
    voter = models.CharField(
        _("who votes"), max_length=10, choices=VoteVoter.choices, default=VoteVoter.HOUSEHOLD
    )
    anonymous = models.BooleanField(_("anonymous ballots"), default=False)
    results_hidden = models.BooleanField(_("results hidden until closed"), default=False)
    quorum = models.PositiveIntegerField(_("quorum (households)"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)  # a score vote: 0 … max_score
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The owners and the floor area entitled to vote, counted from the territory's households when it opened.
    base_households = models.PositiveIntegerField(default=0)
    base_area = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # A per-resident vote: the verified residents of the area when it opened (the base of its participation).
    base_residents = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["closes_at"], condition=models.Q(status="open"), name="vote_open_closes")
        ]

    def __str__(self) -> str:
        return self.title


class VoteOption(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=80)
    key = models.CharField(max_length=10, blank=True)  # agree / disagree / abstain on an owners' vote
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """One household's ballot, or on a per-resident vote one resident's (`person`). A paper ballot (入户征求意见) is
    recorded by a grid worker with a photo of the form."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    choices = models.ManyToManyField(VoteOption, related_name="ballots")
    floor_area = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    cast_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    is_paper = models.BooleanField(default=False)
    paper_photo = models.FileField(upload_to="deliberation/ballots/%Y/%m/", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "household"],
                condition=models.Q(person__isnull=True),
                name="uniq_ballot_household",
            ),
            models.UniqueConstraint(
                fields=["vote", "person"], condition=models.Q(person__isnull=False), name="uniq_ballot_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.household_id}"


class BallotMark(models.Model):
    """A ranking ballot's place for an option (1 = first) or a score ballot's score for it (0 … max_score)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    option = models.ForeignKey(VoteOption, on_delete=models.CASCADE, related_name="marks")
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ballot", "value", "option"]
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="uniq_ballot_mark_option")]

    def __str__(self) -> str:
        return f"{self.option_id}:{self.value}"
