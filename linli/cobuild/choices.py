"""The vocabularies of co-building: categories of need and service, kinds of resource and provider, the states of
needs, orders, wishes and fund transfers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.choices import ColouredChoices


class Category(models.TextChoices):
    REPAIR = "repair", _("Small repairs")
    HEALTH = "health", _("Health and clinics")
    HAIRCUT = "haircut", _("Haircuts")
    BATHING = "bathing", _("Bathing help")
    HOUSEKEEPING = "housekeeping", _("Housekeeping")
    LEGAL = "legal", _("Legal advice")
    ELDERLY = "elderly", _("Elderly care")
    CHILDREN = "children", _("Children and youth")
    ENVIRONMENT = "environment", _("Environment and greening")
    SPACE = "space", _("Space and venues")
    OTHER = "other", _("Other")


class NeedSource(models.TextChoices):
    RESIDENT = "resident", _("A resident")
    VISIT = "visit", _("Grid visit")
    APPEAL = "appeal", _("Suggestion appeal")
    MEETING = "meeting", _("Joint meeting")
    STAFF = "staff", _("Community staff")


class Urgency(models.IntegerChoices):
    LOW = 1, _("Can wait")
    NORMAL = 2, _("Normal")
    URGENT = 3, _("Urgent")


class NeedState(ColouredChoices):
    OPEN = "open", "#d97706", _("Open")
    MATCHED = "matched", "#2563eb", _("Matched")
    MET = "met", "#2e9d5b", _("Met")
    CLOSED = "closed", "#6b7280", _("Closed")


class ProviderKind(models.TextChoices):
    PARTNER_UNIT = "partner_unit", _("Partner unit")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    PROPERTY_COMPANY = "property_company", _("Property company")
    SKILLED_RESIDENT = "skilled_resident", _("Skilled resident")


class ResourceKind(models.TextChoices):
    SKILL = "skill", _("Skill or service")
    VENUE = "venue", _("Venue")
    GOODS = "goods", _("Goods")
    MONEY = "money", _("Money")
    HOURS = "hours", _("Volunteer hours")


class ProjectState(ColouredChoices):
    PLANNED = "planned", "#6b7280", _("Planned")
    UNDERWAY = "underway", "#2563eb", _("Underway")
    DONE = "done", "#2e9d5b", _("Done")


class OrderState(ColouredChoices):
    ORDERED = "ordered", "#d97706", _("Ordered")
    ASSIGNED = "assigned", "#2563eb", _("Assigned")
    DONE = "done", "#7c3aed", _("Done, awaiting rating")
    RATED = "rated", "#2e9d5b", _("Rated")
    REFUSED = "refused", "#b91c1c", _("Refused")
    CANCELLED = "cancelled", "#6b7280", _("Cancelled")


class Fulfilment(models.TextChoices):
    WHOLE = "whole", _("Wholly")
    PART = "part", _("Partly")


class WishState(ColouredChoices):
    OPEN = "open", "#d97706", _("Waiting for someone")
    ADOPTED = "adopted", "#2563eb", pgettext_lazy("wish", "Adopted")  # not a monthly topic's 已确定
    FULFILLED = "fulfilled", "#7c3aed", _("Fulfilled")
    THANKED = "thanked", "#2e9d5b", _("Thanked")
    PROBLEM = "problem", "#b91c1c", _("Problem reported")
    WITHDRAWN = "withdrawn", "#6b7280", pgettext_lazy("wish", "Withdrawn")  # by the wisher, before fulfilled


class FundAccountKind(models.TextChoices):
    FUND = "fund", _("Community fund")
    PROJECT = "project", _("Project")
    DONOR = "donor", _("Donor")
    PAYEE = "payee", _("Payee")
    INCOME = "income", _("Other income")


class IncomeKind(models.TextChoices):
    DONATION_MONEY = "donation_money", _("Donation in money")
    DONATION_KIND = "donation_kind", _("Donation in kind")
    PARKING = "parking", _("Shared parking income")
    VENUE = "venue", _("Venue income")


class TransferKind(models.TextChoices):
    INCOME = "income", _("Income")
    ALLOCATION = "allocation", _("Allocation to a project")
    EXPENSE = "expense", _("Spending")
    REVERSAL = "reversal", _("Reversal")


class PaymentState(ColouredChoices):
    REQUESTED = "requested", "#d97706", _("Awaiting two approvals")
    APPROVED_ONCE = "approved_once", "#2563eb", _("Awaiting second approval")
    PAID = "paid", "#2e9d5b", _("Paid")
    REJECTED = "rejected", "#b91c1c", _("Rejected")
