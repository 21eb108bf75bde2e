"""The fixed vocabularies of appeals: stable short values, a translated label and a badge colour."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class AppealState(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting on the resident")
    RETURNED = "returned", _("Returned")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")


# Badge colour of each state: the pages take it from here (appeals/templatetags/appeal_badges.py) and tint the
# badge's background from it; no stylesheet repeats it.
STATE_COLOURS = {
    AppealState.ACCEPTED: "#4b5563",
    AppealState.DISPATCHED: "#2563eb",
    AppealState.ACKNOWLEDGED: "#0e7490",
    AppealState.IN_PROGRESS: "#b45309",
    AppealState.WAITING: "#a16207",
    AppealState.RETURNED: "#dc2626",
    AppealState.RESOLVED: "#16a34a",
    AppealState.RATED: "#15803d",
    AppealState.CLOSED: "#374151",
}

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
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Resident unreachable")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Suggested")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Kept separate")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


TOPIC_STATUS_COLOURS = {
    TopicStatus.PROPOSED: "#4b5563",
    TopicStatus.ADOPTED: "#2563eb",
    TopicStatus.IN_PROGRESS: "#b45309",
    TopicStatus.DONE: "#16a34a",
}
