"""Choices of volunteering: kinds of volunteer, team colours, certificates, activity and sign-up states, the time
bank's account kinds and transfer categories, points kinds. Colours for badges live here only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.choices import ColouredChoices


class VolunteerKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    MEMBER = "member", _("Party member")
    UNIT_STAFF = "unit_staff", _("Staff of a unit")
    RIDER = "rider", _("Delivery rider")


class TeamColour(ColouredChoices):
    """The six colour-coded neighbourhood teams (党员红、医务白、助残橙、助老黄、环保绿、安全蓝)."""

    RED = "red", "#c8102e", _("Party red")
    WHITE = "white", "#8a96a3", _("Medical white")
    ORANGE = "orange", "#e8731c", _("Disability-aid orange")
    YELLOW = "yellow", "#d9a400", _("Elder-care yellow")
    GREEN = "green", "#2e9d5b", _("Environment green")
    BLUE = "blue", "#2f6fb5", _("Safety blue")


class Certificate(models.TextChoices):
    FIRST_AID = "first_aid", _("First aid")
    ELECTRICIAN = "electrician", _("Electrician")
    MEDICAL = "medical", _("Medical licence")
    COUNSELLOR = "counsellor", _("Counsellor")
    DRIVER = "driver", _("Driving licence")
    FIRE_SAFETY = "fire_safety", _("Fire safety")


class JoinState(ColouredChoices):
    """A resident's request to join a volunteer team, decided by the team's leader or its community's workers."""

    PENDING = "pending", "#d9a400", pgettext_lazy("team join", "Waiting for an answer")
    ACCEPTED = "accepted", "#2e9d5b", pgettext_lazy("team join", "Accepted")
    DECLINED = "declined", "#8a96a3", pgettext_lazy("team join", "Declined")


class ActivityState(ColouredChoices):
    DRAFT = "draft", "#8a96a3", _("Draft")
    OPEN = "open", "#2e9d5b", _("Open for sign-up")
    CANCELLED = "cancelled", "#d23c3c", _("Cancelled")


class SignupState(ColouredChoices):
    CONFIRMED = "confirmed", "#2f6fb5", _("Signed up")
    WAITING = "waiting", "#d9a400", _("On the waiting list")
    CANCELLED = "cancelled", "#8a96a3", _("Cancelled")
    CHECKED_IN = "checked_in", "#2e9d5b", _("Checked in")
    CHECKED_OUT = "checked_out", "#2e9d5b", _("Checked out")
    NO_SHOW = "no_show", "#d23c3c", _("Did not come")
    DONE = "done", "#1f7a45", _("Hours confirmed")


# A sign-up in one of these states holds a place of its role (and counts for overlaps).
HOLDING_STATES = (SignupState.CONFIRMED, SignupState.CHECKED_IN, SignupState.CHECKED_OUT, SignupState.DONE)
# Signed up and not yet done with: the hours may still be confirmed or the person marked absent.
OPEN_SIGNUP_STATES = (
    SignupState.CONFIRMED,
    SignupState.WAITING,
    SignupState.CHECKED_IN,
    SignupState.CHECKED_OUT,
)


class Refusal(models.TextChoices):
    """Why a sign-up is refused: each a stable code (the API's `extra.reason`) and what the volunteer reads."""

    NOT_OPEN = "not_open", _("Sign-up for this activity is not open yet.")
    CANCELLED = "cancelled", _("This activity has been cancelled.")
    ENDED = "ended", _("This shift has already ended.")
    FULL = "full", _("This role is full. You may join the waiting list.")
    OVERLAP = "overlap", _("You are already signed up for another shift at the same time.")
    LACKS_CERTIFICATE = "lacks_certificate", _("This role needs a certificate you have not registered.")
    ALREADY = "already", _("You are already signed up for this role.")
    INACTIVE = "inactive", _("Your volunteer registration is not active.")


class AccountKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    BANK = "bank", _("Community time bank")


class TransferCategory(models.TextChoices):
    ACTIVITY = "activity", _("Volunteer service")  # an activity's hours, and service recorded elsewhere
    ELDER_CARE = "elder_care", _("Care for the elderly")
    ERRANDS = "errands", _("Errands and shopping")
    TUTORING = "tutoring", _("Tutoring children")
    REPAIRS = "repairs", _("Household repairs")
    GIFT = "gift", _("Gift of hours")
    CORRECTION = "correction", _("Correction (reversal)")


# The most hours one transfer may move in a category (a cap against typing 100 for 1.00).
CATEGORY_HOUR_CAPS = {
    "activity": 24,
    "elder_care": 8,
    "errands": 4,
    "tutoring": 6,
    "repairs": 8,
    "gift": 20,
    "correction": 1000,
}

# What a person may spend hours on (the categories of the "spend hours" form).
SPENDING_CATEGORIES = ("elder_care", "errands", "tutoring", "repairs", "gift")


class PointsKind(models.TextChoices):
    HOURS = "hours", _("Service hours")
    WISH = "wish", _("Adopted a wish")
    REPORT = "report", _("Report that became an appeal")
    HAZARD = "hazard", _("Rider's hazard report")
    ADJUSTMENT = "adjustment", _("Adjustment")
    REDEEMED = "redeemed", _("Redeemed in the points store")
    RETURNED = "returned", _("Redemption cancelled, points returned")


class RedeemRefusal(models.TextChoices):
    """Why a volunteer may not redeem an item of the points store (checked again under the item's lock)."""

    WITHDRAWN = "withdrawn", _("The item has been withdrawn from the store.")
    OUT_OF_STOCK = "out_of_stock", _("None left: every donated piece has been redeemed.")
    OTHER_COMMUNITY = "other_community", _("The item is in another community's store.")
    POINTS = "points", _("Not enough points.")
    INACTIVE = "inactive", _("The volunteer has been made inactive.")
    # Only under the locks: the points differ from those the volunteer confirmed against (the same confirmation
    # sent twice, or points that moved in between).
    CHANGED = (
        "changed",
        _(
            "Your points changed since you confirmed (sent twice?), so nothing was redeemed this time. "
            "Look at My redemptions, then redeem again if you still want it."
        ),
    )


class RedemptionState(models.TextChoices):
    REDEEMED = "redeemed", _("Redeemed, to collect")
    HANDED = "handed", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled, points returned")


class HonourKind(models.TextChoices):
    STAR_VOLUNTEER = "star_volunteer", _("Star volunteer")
    BEST_RIDER = "best_rider", _("Most admirable rider")


class HonourState(models.TextChoices):
    PROPOSED = "proposed", _("Computed, awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


# 星级志愿者: confirmed service hours in all for one to five stars (the national volunteer record's steps).
STAR_VOLUNTEER_HOURS = (100, 300, 600, 1000, 1500)
# 最美骑手: riders with at least this many hazard reports that became appeals in the year, the most first.
BEST_RIDER_MIN_REPORTS = 3
BEST_RIDER_PER_COMMUNITY = 3
