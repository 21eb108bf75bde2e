"""Choices of co-governance: meeting kinds and stages, members' sides, results, votes, moderation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("Joint meeting")
    YARD = "yard", _("Yard meeting")
    BENCH = "bench", _("Bench meeting")
    MONTHLY = "monthly", _("Monthly meeting")


class Stage(ColouredChoices):
    """The five steps of the joint-meeting method, then filed (the street acknowledged the record)."""

    COLLECT = "collect", "#6b7280", _("Collect opinions")
    DELIBERATE = "deliberate", "#2563eb", _("Deliberate")
    IMPLEMENT = "implement", "#d97706", _("Implement")
    EVALUATE = "evaluate", "#7c3aed", _("Evaluate")
    FILE = "file", "#0891b2", _("Filing with the street")
    FILED = "filed", "#15803d", _("Filed")


STAGE_ORDER = [Stage.COLLECT, Stage.DELIBERATE, Stage.IMPLEMENT, Stage.EVALUATE, Stage.FILE, Stage.FILED]


class SourceKind(models.TextChoices):
    APPEAL = "appeal", _("Appeal")
    TOPIC = "topic", _("Hall topic")
    MONTHLY_TOPIC = "monthly_topic", _("Monthly topic")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    VISIT = "visit", _("Grid visit log")


class Side(models.TextChoices):
    """Whom a meeting member speaks for."""

    COMMUNITY = "community", _("Community party organisation")
    COMPOUND_BRANCH = "compound_branch", _("Compound party branch")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    PARTNER_UNIT = "partner_unit", _("Partner unit")
    DEPARTMENT = "department", _("Department")
    REPRESENTATIVE = "representative", _("Resident representative")
    RESIDENT = "resident", _("Resident attending")


class InviteMethod(models.TextChoices):
    """How a member was invited: by the system's text message, or told in person or by phone by the organiser
    (recorded without a text message)."""

    SMS = "sms", _("By text message")
    IN_PERSON = "in_person", _("Told in person or by phone")


class ResultStatus(ColouredChoices):
    PLANNED = "planned", "#6b7280", _("Planned")
    IN_PROGRESS = "in_progress", "#d97706", _("In progress")
    DONE = "done", "#15803d", _("Done")
    DROPPED = "dropped", "#9ca3af", _("Dropped")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


# 评价反馈's short survey: the overall rating (MeetingRating.rating) and a meeting's questions, each answered on
# the same three-step scale by one member of each household concerned. A new meeting starts with these (in the
# deployment's language); its secretary may change them until the first household answers.
DEFAULT_SURVEY = [
    _("Was the work done as the meeting decided?"),
    _("Were you kept informed while it was done?"),
    _("How good is the finished work?"),
]
MAX_SURVEY_QUESTIONS = 8


class EscalationLevel(models.TextChoices):
    """An overdue result climbs like a late appeal: the meeting's secretary, then the street, then the district."""

    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


# Working days after the due date at which each level is told.
ESCALATION_AFTER: dict[str, int] = {
    EscalationLevel.COMMUNITY: 1,
    EscalationLevel.STREET: 5,
    EscalationLevel.DISTRICT: 10,
}


class Moderation(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden until a moderator decides")
    REMOVED = "removed", _("Removed")


class VoteMethod(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking (Borda count)")
    SCORE = "score", _("Score each option")
    OWNERS = "owners", _("Owners' decision (Civil Code art. 278)")


class VoteVoter(models.TextChoices):
    """Who holds a ballot: the household (the default; always for an owners' decision) or each verified resident."""

    HOUSEHOLD = "household", _("One ballot per household")
    RESIDENT = "resident", _("One ballot per resident")


class OwnersMatter(models.TextChoices):
    """Art. 278: items 6–8 need three quarters of the participants; the others more than half."""

    ORDINARY = "ordinary", _("Ordinary matter (more than half)")
    SPECIAL = "special", _("Funds, rebuilding or use of common parts (three quarters)")


class VoteStatus(models.TextChoices):
    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Voting closed")


class OwnersChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")
