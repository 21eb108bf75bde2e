"""Co-building: the three lists (needs, resources, projects) and their matches, the service menu and its orders,
small wishes, and the community fund's double-entry ledger."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ledger import LedgerAccount, LedgerEntry, LedgerTransfer
from linli.core.models import BaseModel
from linli.party.models import PartnerPairing
from linli.territory.models import Household, Organisation, OrgNode, Visit

from .choices import (
    Category,
    Fulfilment,
    FundAccountKind,
    IncomeKind,
    NeedSource,
    NeedState,
    OrderState,
    PaymentState,
    ProjectState,
    ProviderKind,
    ResourceKind,
    TransferKind,
    Urgency,
    WishState,
)

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose: Any, related: str = "+") -> Any:
    return models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name=related, verbose_name=verbose
    )


# The most households one need concerns (a whole street's); the forms and the service refuse more in these words.
MOST_HOUSEHOLDS = 100_000
# Said by the form (Django's max_value check gives `limit_value`) and by the service alike.
TOO_MANY_HOUSEHOLDS = _("A need concerns at most %(limit_value)s households: give the number it concerns.")


class Need(BaseModel):
    """One line of the needs list (需求清单)."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    source = models.CharField(_("source"), max_length=12, choices=NeedSource.choices)
    place = models.CharField(_("place"), max_length=120, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households concerned"), default=1)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(_("state"), max_length=12, choices=NeedState.choices, default=NeedState.OPEN)
    raised_by = _user_fk(_("raised by"))
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("visit")
    )
    appeal_number = models.CharField(_("appeal"), max_length=24, blank=True)
    # Why a worker closed it, shown to whoever raised it on their "my needs" page.
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-urgency", "-created_at"]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self) -> str:
        return self.title


class Resource(BaseModel):
    """One line of the resources list (资源清单): what a unit, organisation or skilled resident can give."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=80)
    provider_name = models.CharField(_("provider"), max_length=80)
    provider_kind = models.CharField(_("kind of provider"), max_length=24, choices=ProviderKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    account = _user_fk(_("provider's account"), "cobuild_resources")
    kind = models.CharField(_("kind"), max_length=8, choices=ResourceKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    quantity = models.CharField(_("quantity"), max_length=60, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (jobs at a time)"), default=3)
    radius_m = models.PositiveIntegerField(_("area served (m)"), default=2000)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["category", "name"]
        indexes = [models.Index(fields=["community", "category", "active"])]

    def __str__(self) -> str:
        return f"{self.provider_name} · {self.name}"


class Project(BaseModel):
    """One line of the projects list (项目清单), formed from matched needs and resources."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    owner = _user_fk(_("owner"))
    budget = models.DecimalField(_("approved budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.PLANNED
    )
    pledge = models.BooleanField(_("practical-matters pledge"), default=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Match(BaseModel):
    """A need matched to a resource, confirmed by a person."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="matches")
    score = models.FloatField(_("score"))
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    confirmed_by = _user_fk(_("confirmed by"))
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches"
    )
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["need", "resource"], name="cobuild_match_once")]


class ServiceItem(BaseModel):
    """One item of a community's service menu (小修小补, 义诊, 理发 …)."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=40)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service menu")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Order(BaseModel):
    """A resident's service order: 点单 → 接单 (assigned to a provider) → 办单 → 评单."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="orders", verbose_name=_("service")
    )
    resident = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="cobuild_orders", verbose_name=_("resident")
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=24)
    note = models.CharField(_("what is needed"), max_length=300)
    state = models.CharField(
        _("state"), max_length=12, choices=OrderState.choices, default=OrderState.ORDERED
    )
    provider = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("provider"),
    )
    due_at = models.DateTimeField(_("step due at"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(_("deadline missed at"), null=True, blank=True)
    refused_reason = models.CharField(_("reason"), max_length=200, blank=True)
    fulfilment = models.CharField(_("fulfilled"), max_length=8, choices=Fulfilment.choices, blank=True)
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), null=True, blank=True)
    report = models.CharField(_("report"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="cobuild/orders/%Y/%m/", blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # When the provider's time was handed to the apps that credit service done (core.served), once.
    served_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self) -> str:
        return self.number


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = _user_fk(_("by"))
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class Wish(BaseModel):
    """A small wish (微心愿): posted by a resident or a worker on their behalf, adopted and fulfilled by someone."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    title = models.CharField(_("wish"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    wisher = _user_fk(_("wisher's account"), "cobuild_wishes")
    wisher_name = models.CharField(_("wisher"), max_length=50)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    posted_by = _user_fk(_("posted by"))
    state = models.CharField(_("state"), max_length=12, choices=WishState.choices, default=WishState.OPEN)
    adopter = _user_fk(_("adopted by"), "cobuild_adopted_wishes")
    adopter_name = models.CharField(_("adopter"), max_length=80, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="cobuild/wishes/%Y/%m/", blank=True)
    reply = models.CharField(_("thanks or problem"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("why it was withdrawn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("small wish")
        verbose_name_plural = _("small wishes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class FundAccount(BaseModel, LedgerAccount):
    """An account of a community's fund ledger: the fund itself, each project, each donor or payer of income, each
    payee. Its balance is the sum of its entries, kept on the row by `linli.core.ledger.post`. A project's account
    receives allocations from the fund and pays its payees, so it never holds more than the project's budget."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=FundAccountKind.choices)
    name = models.CharField(_("name"), max_length=80)
    project = models.OneToOneField(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_account"
    )
    balance = models.DecimalField(_("balance"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "name"],
                condition=models.Q(project__isnull=True),
                name="cobuild_account_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="project", project__isnull=False)
                | (~models.Q(kind="project") & models.Q(project__isnull=True)),
                name="cobuild_project_account_names_project",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundTransfer(LedgerTransfer):
    """One movement of money: two or more entries that sum to zero (written by `linli.core.ledger.post`). Never
    edited; corrected by a reversal."""

    community = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=TransferKind.choices)
    income_kind = models.CharField(_("kind of income"), max_length=16, choices=IncomeKind.choices, blank=True)
    memo = models.CharField(_("memo"), max_length=200)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    receipt = models.FileField(_("receipt"), upload_to="cobuild/receipts/%Y/%m/", blank=True)
    actor = _user_fk(_("recorded by"))
    occurred_on = models.DateField(_("date"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fund transfer")
        verbose_name_plural = _("fund transfers")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return self.memo


class FundEntry(LedgerEntry):
    transfer = models.ForeignKey(FundTransfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["account"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"


FundTransfer.entry_model = FundEntry


class Payment(BaseModel):
    """A request to pay from the fund for a project: two different approvers, then the money moves."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments")
    payee = models.CharField(_("payee"), max_length=80)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=200)
    receipt = models.FileField(_("receipt"), upload_to="cobuild/receipts/%Y/%m/", blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.REQUESTED
    )
    requested_by = _user_fk(_("requested by"))
    first_approver = _user_fk(_("first approval"))
    second_approver = _user_fk(_("second approval"))
    transfer = models.OneToOneField(
        FundTransfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"


class Milestone(BaseModel):
    """A step of a project (里程碑): due by a date, marked reached with a note and a photo; the project's progress
    is the share of its milestones reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=80)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)
    note = models.CharField(_("what was done"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="cobuild/milestones/%Y/%m/", blank=True)
    done_by = _user_fk(_("reported by"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Commitment(BaseModel):
    """One line of a partner unit's yearly commitment list (承诺清单) to the community it is paired with; claiming a
    need or a project adds a line naming it, fulfilled when the need is met or the project done."""

    pairing = models.ForeignKey(
        PartnerPairing, on_delete=models.PROTECT, related_name="+", verbose_name=_("pairing")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("commitment"), max_length=120)
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    done_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    note = models.CharField(_("how it was fulfilled"), max_length=300, blank=True)
    added_by = _user_fk(_("added by"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitment lists")
        ordering = ["year", "pk"]
        indexes = [models.Index(fields=["pairing", "year"])]

    def __str__(self) -> str:
        return self.title


class StarsRelease(BaseModel):
    """The service stars (服务明星) of a quarter as a worker reviewed and published them: the computed ranking with
    any provider left out and why. Only what is published shows on the public page."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    quarter_start = models.DateField(_("quarter"))
    stars = models.JSONField(_("stars"), default=list)  # [{"provider_id", "name", "service", "avg", "n"}]
    left_out = models.JSONField(_("left out"), default=list)  # [{"provider_id", "name", "reason"}]
    published_by = _user_fk(_("published by"))

    class Meta:
        verbose_name = _("service stars release")
        verbose_name_plural = _("service stars releases")
        ordering = ["-quarter_start"]
        constraints = [
            models.UniqueConstraint(fields=["community", "quarter_start"], name="cobuild_stars_once")
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.quarter_start}"
