"""The states and kinds of care and mediation, each with a stable short value, a badge colour and a Chinese label.

The care level itself (三色码: red / yellow / green) is the territory's `CareLevel`, which the register already
stores on a resident; a care plan confirms it and the plan's level sets the visit and call frequency."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CALL = "call", _("Phone call")


class ContactState(ColouredChoices):
    DUE = "due", "#3b7dd8", _("Not yet done")
    DONE = "done", "#2e9d5b", _("Done")
    MISSED = "missed", "#d9a400", _("Missed")
    ESCALATED = "escalated", "#d23c3c", _("Escalated to the community")


OPEN_CONTACT_STATES = (ContactState.DUE, ContactState.MISSED, ContactState.ESCALATED)


class CaseKind(models.TextChoices):
    NEIGHBOURS = "neighbours", _("Neighbours")
    FAMILY = "family", _("Family")
    PROPERTY = "property", _("Property management")
    LABOUR = "labour", _("Labour")
    DEBT = "debt", _("Debts")


class CaseSource(models.TextChoices):
    VISIT = "visit", _("A visit")
    APPEAL = "appeal", _("An appeal")
    WALK_IN = "walk_in", _("A walk-in")


class CaseState(ColouredChoices):
    OPEN = "open", "#3b7dd8", _("Open")
    MEDIATING = "mediating", "#7a5cc4", _("Mediating")
    AGREED = "agreed", "#2e9d5b", _("Agreement signed")
    CLOSED = "closed", "#8a8f98", _("Closed")


OPEN_CASE_STATES = (CaseState.OPEN, CaseState.MEDIATING, CaseState.AGREED)


class CaseOutcome(models.TextChoices):
    SETTLED = "settled", _("Settled")
    REFERRED = "referred", _("Referred to court")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class Professional(models.TextChoices):
    """三官两师: the professionals on call when the front-line team cannot settle a dispute."""

    JUDGE = "judge", _("Judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    POLICE = "police", _("Police officer")
    LAWYER = "lawyer", _("Lawyer")
    PSYCHOLOGIST = "psychologist", _("Psychologist")


class CaseAction(models.TextChoices):
    OPEN = "open", _("Opened")
    PARTY = "party", _("Party added")
    ASSIGN = "assign", _("Mediator assigned")
    PROFESSIONAL = "professional", _("Professional called")
    SESSION = "session", _("Mediation started")
    SIGN = "sign", _("Agreement signed")
    FOLLOW_UP = "follow_up", _("Followed up")
    CLOSE = "close", _("Closed")
    APPEAL = "appeal", _("Appeal")
