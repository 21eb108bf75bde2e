"""What the system suggests from the appeals: duplicates to merge (并单) and recurring problems to take on as monthly
topics (每月一题)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel

from ..choices import (
    SuggestionStatus,
    TopicStatus,
)
from .appeal import Appeal
from .reference import Category


class DuplicateSuggestion(models.Model):
    """At intake, `appeal` looked like `candidate` (an open appeal nearby, similar text, recent): a suggested
    merge the resident or a handler decides."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="duplicate_suggestions", verbose_name=_("appeal")
    )
    candidate = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar")
    )
    score = models.FloatField(_("text similarity"))
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "candidate"], name="uniq_duplicate_suggestion")
        ]
        indexes = [
            models.Index(fields=["appeal"], condition=models.Q(status="pending"), name="dup_pending_idx")
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} ≈ {self.candidate_id} ({self.score:.2f})"


class TopicCandidate(models.Model):
    """每月一题 candidate: a group of recurring appeals (same place, same category, similar text) found by the
    weekly job for one ISO week, with counts for this period and the previous one."""

    week = models.CharField(_("ISO week"), max_length=8, db_index=True)
    key = models.CharField(_("key"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank"))
    title = models.CharField(_("title"), max_length=100)
    place = models.ForeignKey(
        "territory.OrgNode", on_delete=models.CASCADE, related_name="+", verbose_name=_("place")
    )
    street = models.ForeignKey(
        "territory.OrgNode",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("street"),
    )
    org_path = models.CharField(_("org path"), max_length=255, db_index=True, default="", editable=False)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("category"),
    )
    count = models.PositiveIntegerField(_("appeals this period"))
    previous_count = models.PositiveIntegerField(_("appeals the period before"))
    appeals = models.ManyToManyField(Appeal, related_name="+", verbose_name=_("appeals"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly topic candidate")
        verbose_name_plural = _("monthly topic candidates")
        ordering = ["-week", "rank"]
        constraints = [models.UniqueConstraint(fields=["week", "key"], name="uniq_topic_candidate")]

    def __str__(self) -> str:
        return f"{self.week} #{self.rank} {self.title}"

    @property
    def trend(self) -> int:
        return self.count - self.previous_count


class MonthlyTopic(BaseModel):
    """每月一题: a recurring problem a street takes on as a project for one month, tracked to completion."""

    title = models.CharField(_("title"), max_length=100)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    street = models.ForeignKey(
        "territory.OrgNode", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    org_path = models.CharField(_("org path"), max_length=255, db_index=True, default="", editable=False)
    candidate = models.ForeignKey(
        TopicCandidate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
        verbose_name=_("candidate"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("category"),
    )
    appeals = models.ManyToManyField(Appeal, related_name="monthly_topics", verbose_name=_("appeals"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    plan = models.TextField(_("plan"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    completion_note = models.TextField(_("completion note"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("monthly topic")
        verbose_name_plural = _("monthly topics")
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.title}"
