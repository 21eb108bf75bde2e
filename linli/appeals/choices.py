"""The fixed vocabularies of appeals: stable short values, a translated label and a badge colour."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class AppealKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    QR = "qr", _("Grid station QR code")
    HOTLINE = "hotline", _("Hotline")
    PATROL = "patrol", _("Grid patrol")
    SENSOR = "sensor", _("Sensor")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    SYSTEM = "system", _("System")


# Channels whose appeals a device writes (a sensor's alarm, its battery running low): the text is a template, so it
# says nothing of whether two of them are one problem; the device they name does (similarity.candidates_for).
MACHINE_CHANNELS = (Channel.SENSOR,)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


# Each state's badge colour: the pages take it from here (core's {% badge %}, core/templatetags/badges.py) and tint the
# badge's background from it; no stylesheet repeats it.
class AppealState(ColouredChoices):
    ACCEPTED = "accepted", "#4b5563", _("Accepted")
    DISPATCHED = "dispatched", "#2563eb", _("Dispatched")
    ACKNOWLEDGED = "acknowledged", "#0e7490", _("Acknowledged")
    IN_PROGRESS = "in_progress", "#b45309", _("In progress")
    WAITING = "waiting", "#a16207", _("Waiting on the resident")
    RETURNED = "returned", "#dc2626", _("Returned")
    RESOLVED = "resolved", "#16a34a", _("Resolved")
    RATED = "rated", "#15803d", _("Rated")
    CLOSED = "closed", "#374151", _("Closed")


# The groups of states, defined once (workflow, models' partial indexes, selectors, services, jobs, figures and the
# dashboard all read them from here).
# Open: the unit still owes work and the deadlines run (the partial indexes use this list).
OPEN_STATES = (
    AppealState.ACCEPTED,
    AppealState.DISPATCHED,
    AppealState.ACKNOWLEDGED,
    AppealState.IN_PROGRESS,
    AppealState.WAITING,
    AppealState.RETURNED,
)
OPEN_STATE_VALUES = [str(s) for s in OPEN_STATES]
# Running: a unit holds the appeal and its resolution clock runs (waiting on the resident stops it); the worker
# warns and marks breaches only in these.
RUNNING_STATES = (
    AppealState.DISPATCHED,
    AppealState.ACKNOWLEDGED,
    AppealState.IN_PROGRESS,
    AppealState.RETURNED,
)
# Awaiting dispatch: a person chooses the unit (triage, or the tier above after a return).
AWAITING_DISPATCH_STATES = (AppealState.ACCEPTED, AppealState.RETURNED)
# The resident's total clock runs: open and not waiting on the resident.
TOTAL_CLOCK_STATES = (
    AppealState.ACCEPTED,
    AppealState.DISPATCHED,
    AppealState.ACKNOWLEDGED,
    AppealState.IN_PROGRESS,
    AppealState.RETURNED,
)
# The acknowledgement clock runs: a unit has not acknowledged it, or a triage desk has not dispatched it.
ACK_CLOCK_STATES = (AppealState.ACCEPTED, AppealState.DISPATCHED)
# Working: the unit has taken the appeal on (contact, extensions).
WORKING_STATES = (AppealState.ACKNOWLEDGED, AppealState.IN_PROGRESS, AppealState.WAITING)
# With a unit: dispatched and not yet resolved or returned (escalation and urging start from these).
WITH_UNIT_STATES = (
    AppealState.DISPATCHED,
    AppealState.ACKNOWLEDGED,
    AppealState.IN_PROGRESS,
    AppealState.WAITING,
    AppealState.RETURNED,
)


class Outcome(models.TextChoices):
    NONE = "", _("Not yet")
    FIXED = "fixed", _("Fixed")
    ANSWERED = "answered", _("Answered")
    NOT_OUR_RESPONSIBILITY = "not_our_responsibility", _("Not our responsibility")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SPLIT = "split", _("Split into separate appeals")


# Outcomes a handler may choose when resolving; only FIXED (and ANSWERED for a consultation) count as solved.
RESOLVE_OUTCOMES = [
    Outcome.FIXED,
    Outcome.ANSWERED,
    Outcome.NOT_OUR_RESPONSIBILITY,
    Outcome.NO_FURTHER_ACTION,
]
SOLVED_OUTCOMES = [Outcome.FIXED, Outcome.ANSWERED]


class Tier(models.TextChoices):
    GRID = "grid", _("Grid")
    COMPOUND = "compound", _("Compound")
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")
    DEPARTMENT = "department", _("Department")


# Height of each tier: escalation moves an appeal to a higher number; a department sits with the district.
TIER_LEVEL = {
    Tier.GRID: 0,
    Tier.COMPOUND: 1,
    Tier.COMMUNITY: 2,
    Tier.STREET: 3,
    Tier.DISTRICT: 4,
    Tier.DEPARTMENT: 4,
}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class ClockUnit(models.TextChoices):
    HOURS = "hours", _("Hours (calendar)")
    WORKING_HOURS = "working_hours", _("Working hours")
    WORKING_DAYS = "working_days", _("Working days")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PhotoStage(models.TextChoices):
    INTAKE = "intake", _("Submitted with the appeal")
    RESOLUTION = "resolution", _("Resolution")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("Awaiting callback")
    DONE = "done", _("Called back")
    UNREACHABLE = "unreachable", _("Resident unreachable")


class CallbackMiss(models.TextChoices):
    """Why a callback did not reach the resident (one failed attempt, 回访未接通)."""

    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy or declined")
    SWITCHED_OFF = "switched_off", _("Switched off or out of reach")
    INVALID = "invalid", _("Number not in service")
    OTHER = "other", _("Other")


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved, not active yet")
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


CATALOGUE_STATUS_BADGES = {
    CatalogueStatus.DRAFT: "ap-info",
    CatalogueStatus.REVIEW: "ap-near",
    CatalogueStatus.APPROVED: "ap-near",
    CatalogueStatus.ACTIVE: "ap-ok",
    CatalogueStatus.RETIRED: "",
}


class PartState(ColouredChoices):
    """Where a summoned part stands (read from its columns, its clocks and its appeal by parts.part_state), with the
    colour its badge takes ({% badge r.state "appeals.PartState" css="ap-badge ap-state" %})."""

    AWAITING_REPORT = "awaiting_report", "#2563eb", _("Awaiting report-in")
    DECLINED = "declined", "#b45309", _("Says not its duty: awaiting the summoner")
    REPORT_OVERDUE = "report_overdue", "#dc2626", _("Report-in overdue")
    WORKING = "working", "#2563eb", _("Reported in, working")
    DUE_SOON = "due_soon", "#b45309", _("Due soon")
    OVERDUE = "overdue", "#dc2626", _("Part overdue")
    DONE = "done", "#16a34a", _("Done")
    WITHDRAWN = "withdrawn", "#4b5563", _("Summons withdrawn")
    # The appeal closed before the part finished (the resident withdrew it, it was merged, split or answered):
    # the unit owes nothing more, and the part stands where the closing found it, no longer waiting.
    APPEAL_WITHDRAWN = "appeal_withdrawn", "#4b5563", _("Ended: the appeal was withdrawn")
    APPEAL_ENDED = "appeal_ended", "#4b5563", _("Ended with the appeal")


# A part in one of these owes nothing more: no clock runs on it and no step is offered on it.
PART_ENDED_STATES = (
    PartState.DONE,
    PartState.WITHDRAWN,
    PartState.APPEAL_WITHDRAWN,
    PartState.APPEAL_ENDED,
)


class WhistleRequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the community")
    SUMMONED = "summoned", _("Departments summoned")
    DECLINED = "declined", _("Declined")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Suggested")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Kept separate")


class TopicStatus(ColouredChoices):
    PROPOSED = "proposed", "#4b5563", _("Proposed")
    ADOPTED = "adopted", "#2563eb", _("Adopted")
    IN_PROGRESS = "in_progress", "#b45309", _("In progress")
    DONE = "done", "#16a34a", _("Done")
