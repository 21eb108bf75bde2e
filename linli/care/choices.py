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
    # Closed, not done: the person was reached by a later contact of the same kind (`CareContact.covered_by`).
    COVERED = "covered", "#8a8f98", _("Covered by a later contact")


class ContactOutcome(models.TextChoices):
    """How a visit or call went. Reached and refused close the contact; not at home (a visit) and no answer (a
    call) are attempts that leave it open for another try."""

    REACHED = "reached", _("Reached the person")
    REFUSED = "refused", _("Refused by the person")
    NOT_AT_HOME = "not_at_home", _("Nobody at home")
    NO_ANSWER = "no_answer", _("No answer")


# The outcomes that close a contact, and the attempt that fits each kind of contact.
CLOSING_OUTCOMES = (ContactOutcome.REACHED, ContactOutcome.REFUSED)
ATTEMPT_OUTCOME = {ContactKind.VISIT: ContactOutcome.NOT_AT_HOME, ContactKind.CALL: ContactOutcome.NO_ANSWER}


class VisitorKind(models.TextChoices):
    """Who a visit, a call or a service is given by: a worker of the grid, a registered volunteer of the
    community or a party member of it (signed in with their mobile number)."""

    WORKER = "worker", _("Grid worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    MEMBER = "member", _("Party member")


OPEN_CONTACT_STATES = (ContactState.DUE, ContactState.MISSED, ContactState.ESCALATED)
# The open states a later contact that reached the person settles; an escalated one stays with the community.
COVERABLE_CONTACT_STATES = (ContactState.DUE, ContactState.MISSED)


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


class ServiceKind(models.TextChoices):
    """Services for a person in care, booked and delivered by a provider (the canteen, a company, a volunteer)."""

    MEAL = "meal", _("Meal from the community canteen")
    BATHING = "bathing", _("Bathing help")
    CLEANING = "cleaning", _("Home cleaning")
    HEALTH_CHECK = "health_check", _("Health check at home")
    COMPANY = "company", _("Company and a chat")
    ERRAND = "errand", _("Errands and shopping")


class ServiceState(ColouredChoices):
    ORDERED = "ordered", "#3b7dd8", _("Booked")
    DELIVERED = "delivered", "#2e9d5b", _("Delivered")
    CANCELLED = "cancelled", "#8a8f98", _("Cancelled")


class AlertKind(models.TextChoices):
    FALL = "fall", _("A fall")
    ILLNESS = "illness", _("Taken ill")
    OTHER = "other", _("Other emergency")


class AlertSource(models.TextChoices):
    VISIT = "visit", _("During a visit")
    HOME = "home", _("The button at home")


class ChildPlaceKind(models.TextChoices):
    NURSERY = "nursery", _("Nursery (托育)")
    AFTER_SCHOOL = "after_school", _("After-school class (四点半课堂)")
    CHILDREN_HOME = "children_home", _("Children's home (儿童之家)")


class EnrolmentState(ColouredChoices):
    ENROLLED = "enrolled", "#2e9d5b", _("Has a place")
    WAITING = "waiting", "#d9a400", _("On the waiting list")
    LEFT = "left", "#8a8f98", _("Left")


class LegalMatter(models.TextChoices):
    """What a legal-aid application is about (the matters of 法律援助法 art. 31 and 32, grouped)."""

    WAGES = "wages", _("Unpaid wages or a labour relation")
    SUPPORT = "support", _("Support for a parent, child or spouse")
    INJURY = "injury", _("Compensation for an injury (work, traffic, medical)")
    WELFARE = "welfare", _("Social insurance or assistance")
    CONSUMER = "consumer", _("Consumer rights")
    VIOLENCE = "violence", _("Domestic violence, abuse or abandonment")
    OTHER = "other", _("Another civil matter")


class LegalAidState(ColouredChoices):
    APPLIED = "applied", "#3b7dd8", _("Applied")
    REFUSED = "refused", "#8a8f98", _("Not eligible")
    ASSIGNED = "assigned", "#7a5cc4", _("Lawyer assigned")
    CLOSED = "closed", "#2e9d5b", _("Concluded")


class LegalAidOutcome(models.TextChoices):
    WON = "won", _("Won or granted")
    SETTLED = "settled", _("Settled by agreement")
    LOST = "lost", _("Not won")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


# Days of the week a professional is on duty, Monday first, as the rota stores them ("135": Mon, Wed, Fri).
WEEKDAYS = [
    ("1", _("Mon")),
    ("2", _("Tue")),
    ("3", _("Wed")),
    ("4", _("Thu")),
    ("5", _("Fri")),
    ("6", _("Sat")),
    ("7", _("Sun")),
]
