"""The residents' hall: topics with comments and reports, and votes with their ballots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.models import Household, OrgNode

from ..choices import (
    Moderation,
    OwnersMatter,
    VoteMethod,
    VoteStatus,
    VoteVoter,
)

User = settings.AUTH_USER_MODEL


class Topic(BaseModel):
    """A topic of the residents' hall, in a community or a compound."""

    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="hall_topics", verbose_name=_("area")
    )
    author = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="hall_topics", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("what it is about"), max_length=2000)
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_reason = models.CharField(_("moderator's reason"), max_length=200, blank=True)
    report_count = models.PositiveSmallIntegerField(_("reports"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("hall topic")
        verbose_name_plural = _("hall topics")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TopicFollower(models.Model):
    """Someone who follows a topic: told when a meeting's decision answers it. The author and those who
    comment follow it from then on; anyone who may read it can follow or unfollow."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="followers", verbose_name=_("hall topic")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic follower")
        verbose_name_plural = _("topic followers")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="uniq_topic_follower")]

    def __str__(self) -> str:
        return f"{self.topic_id}/{self.user_id}"


class Comment(BaseModel):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="comments", verbose_name=_("hall topic")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("replies to"),
    )
    author = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=1000)
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_reason = models.CharField(_("moderator's reason"), max_length=200, blank=True)
    report_count = models.PositiveSmallIntegerField(_("reports"), default=0)

    class Meta:
        verbose_name = _("hall comment")
        verbose_name_plural = _("hall comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:30]


class Report(models.Model):
    """One person's report of a topic or a comment, and the moderator's decision on it."""

    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("hall topic"),
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("hall comment"),
    )
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("reporter"))
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("content report")
        verbose_name_plural = _("content reports")
        constraints = [
            models.UniqueConstraint(fields=["topic", "reporter"], name="uniq_topic_report"),
            models.UniqueConstraint(fields=["comment", "reporter"], name="uniq_comment_report"),
        ]

    def __str__(self) -> str:
        return self.reason


class Vote(BaseModel):
    """A vote of the hall: one ballot per household, or per verified resident if the vote says so; an owners' vote
    counts owners and floor area (art. 278) and is always per household."""

    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="hall_votes", verbose_name=_("area")
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="votes",
        verbose_name=_("hall topic"),
    )
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
    status = models.CharField(_("status"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    closed_at = models.DateTimeField(_("voting ended at"), null=True, blank=True)
    # The owners and the floor area entitled to vote, counted from the territory's households when it opened.
    base_households = models.PositiveIntegerField(_("households eligible"), default=0)
    base_area = models.DecimalField(_("floor area eligible"), max_digits=12, decimal_places=2, default=0)
    # A per-resident vote: the verified residents of the area when it opened (the base of its participation).
    base_residents = models.PositiveIntegerField(_("residents eligible"), default=0)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

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
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options", verbose_name=_("vote"))
    label = models.CharField(_("option"), max_length=80)
    key = models.CharField(
        _("option key"), max_length=10, blank=True
    )  # agree / disagree / abstain on an owners' vote
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("vote option")
        verbose_name_plural = _("vote options")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """One household's ballot, or on a per-resident vote one resident's (`person`). A paper ballot (入户征求意见) is
    recorded by a grid worker with a photo of the form."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("vote"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("resident")
    )
    choices = models.ManyToManyField(VoteOption, related_name="ballots", verbose_name=_("options chosen"))
    floor_area = models.DecimalField(_("floor area"), max_digits=8, decimal_places=2, default=0)
    cast_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("cast by")
    )
    is_paper = models.BooleanField(_("paper ballot"), default=False)
    paper_photo = models.FileField(
        _("photo of the paper ballot"), upload_to="deliberation/ballots/%Y/%m/", blank=True
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
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

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="marks", verbose_name=_("ballot")
    )
    option = models.ForeignKey(
        VoteOption, on_delete=models.CASCADE, related_name="marks", verbose_name=_("option")
    )
    value = models.PositiveSmallIntegerField(_("score or rank"))

    class Meta:
        verbose_name = _("ballot mark")
        verbose_name_plural = _("ballot marks")
        ordering = ["ballot", "value", "option"]
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="uniq_ballot_mark_option")]

    def __str__(self) -> str:
        return f"{self.option_id}:{self.value}"
