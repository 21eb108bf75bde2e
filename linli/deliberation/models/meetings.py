"""Joint meetings through the five steps: agenda, members, decisions, results and the residents' ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.appeals.models import Appeal, MonthlyTopic
from linli.core.models import BaseModel
from linli.party.models import PartyOrg
from linli.territory.models import Household, Organisation, OrgNode, Visit

from ..choices import (
    EscalationLevel,
    InviteMethod,
    MeetingKind,
    Rating,
    ResultStatus,
    Side,
    SourceKind,
    Stage,
)
from .hall import Topic

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
    sign_in_token = models.CharField(_("sign-in key"), max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    filed_at = models.DateTimeField(_("submitted for filing at"), null=True, blank=True)
    filing_decided_at = models.DateTimeField(_("filing decided at"), null=True, blank=True)
    filing_decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filing decided by"),
    )
    filing_note = models.CharField(_("street's note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-scheduled_at", "-id"]
        indexes = [models.Index(fields=["stage", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title


class MeetingEvent(models.Model):
    """One step of a meeting's history (who, when, from, to, why). Never edited."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="events", verbose_name=_("meeting")
    )
    action = models.CharField(_("action"), max_length=24)
    from_stage = models.CharField(_("from stage"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=12, choices=Stage.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("actor")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.action}"


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class AgendaSource(models.Model):
    """Where an agenda item's opinion came from: an appeal, a hall topic, the monthly topic, the box, a visit."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="sources", verbose_name=_("agenda item")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("appeal")
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_sources",
        verbose_name=_("hall topic"),
    )
    monthly_topic = models.ForeignKey(
        MonthlyTopic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("monthly topic"),
    )
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("visit log entry"),
    )
    note = models.CharField(_("what was said"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agenda source")
        verbose_name_plural = _("agenda sources")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.note}"


class Participant(models.Model):
    """A member of a meeting: invited from the territory's sides, signed in by QR code or by the secretary."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    phone = models.CharField(_("mobile number"), max_length=24, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("account")
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    invited_by = models.CharField(_("invited"), max_length=12, choices=InviteMethod.choices, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signed_in_by_qr = models.BooleanField(_("signed in by QR code"), default=False)

    class Meta:
        verbose_name = _("meeting member")
        verbose_name_plural = _("meeting members")
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
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.CharField(_("decision"), max_length=300)
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible_name = models.CharField(_("responsible unit"), max_length=120)
    due_on = models.DateField(_("due on"))
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        verbose_name=_("hall topic answered"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Result(BaseModel):
    """A decision's tracked outcome. Results form a tree; a parent's progress is its children's weighted mean."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="results", verbose_name=_("meeting")
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("decision"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("part of"),
    )
    title = models.CharField(_("title"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.PLANNED
    )
    due_on = models.DateField(_("due on"))
    # The highest level told that it is overdue ("" while it is not): shown on the meeting's page.
    escalated_to = models.CharField(
        _("escalated to"), max_length=10, choices=EscalationLevel.choices, blank=True
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
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

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("result")
    )
    level = models.CharField(_("level told"), max_length=10, choices=EscalationLevel.choices)
    due_on = models.DateField(_("due on"))
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("result deadline")
        verbose_name_plural = _("result deadlines")
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

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="updates", verbose_name=_("result")
    )
    progress = models.PositiveSmallIntegerField(_("progress"))
    status = models.CharField(_("status"), max_length=12, choices=ResultStatus.choices)
    note = models.CharField(_("what was done"), max_length=300)
    photo = models.FileField(_("photo"), upload_to="deliberation/%Y/%m/", blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("actor")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.note


class MeetingRating(models.Model):
    """评价反馈: one household's rating of a meeting's outcome."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("meeting")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("account")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting rating")
        verbose_name_plural = _("meeting ratings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], name="uniq_meeting_rating_household")
        ]

    def __str__(self) -> str:
        return self.rating


class SurveyQuestion(models.Model):
    """评价反馈: a question of a meeting's survey besides the overall rating, answered satisfied / basically
    satisfied / unsatisfied. A meeting starts with the default questions (choices.DEFAULT_SURVEY); its secretary
    may change them until the first household answers."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="questions", verbose_name=_("meeting")
    )
    text = models.CharField(_("question"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class RatingAnswer(models.Model):
    """One answer of a household's survey response (the questions besides the overall rating)."""

    rating = models.ForeignKey(
        MeetingRating, on_delete=models.CASCADE, related_name="answers", verbose_name=_("rating")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="responses", verbose_name=_("question")
    )
    answer = models.CharField(_("answer"), max_length=12, choices=Rating.choices)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "question"], name="uniq_rating_answer_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.answer}"
