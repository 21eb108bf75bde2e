"""Volunteers, teams, activities with shifts and roles, sign-ups, the time bank's double-entry ledger, points."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ledger import LedgerAccount, LedgerEntry, LedgerTransfer
from linli.core.models import BaseModel
from linli.party.models import PartyMember, PartyOrg
from linli.territory.models import Grid, Organisation, OrgNode, Resident

from .choices import (
    OPEN_SIGNUP_STATES,
    AccountKind,
    ActivityState,
    Certificate,
    HonourKind,
    HonourState,
    JoinState,
    PointsKind,
    RedemptionState,
    SignupState,
    TeamColour,
    TransferCategory,
    VolunteerKind,
)


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Volunteer(BaseModel):
    """A person who volunteers in a community: a resident, a party member or the staff of a unit."""

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=VolunteerKind.choices, default=VolunteerKind.RESIDENT
    )
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("community")
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
        verbose_name=_("account"),
    )
    resident = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resident"),
    )
    party_member = models.OneToOneField(
        PartyMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
        verbose_name=_("party member"),
    )
    unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    certificates = models.JSONField(_("certificates"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    grids = models.ManyToManyField(
        Grid, blank=True, related_name="volunteers", verbose_name=_("grids served")
    )
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def certificate_labels(self) -> list[str]:
        return [str(Certificate(c).label) for c in self.certificates if c in Certificate.values]


class VolunteerTeam(BaseModel):
    """A colour-coded neighbourhood team under a party organisation, with a leader and members."""

    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), max_length=500, blank=True)
    colour = models.CharField(_("colour"), max_length=8, choices=TeamColour.choices)
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="volunteer_teams", verbose_name=_("community")
    )
    party_org = models.ForeignKey(
        PartyOrg,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_teams",
        verbose_name=_("parent organisation"),
    )
    leader = models.ForeignKey(
        Volunteer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(Volunteer, blank=True, related_name="teams", verbose_name=_("members"))

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["community__path", "colour", "name"]

    def __str__(self) -> str:
        return self.name


class TeamJoinRequest(BaseModel):
    """A volunteer's request to join a team of their community, accepted or declined (with a reason) by the team's
    leader or a worker of the community."""

    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("team")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("volunteer")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=JoinState.choices, default=JoinState.PENDING)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to join a team")
        verbose_name_plural = _("requests to join a team")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"], condition=models.Q(state="pending"), name="uniq_pending_join"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.team}"


class Activity(BaseModel):
    """A volunteer activity at one place, in one or more shifts, each with roles."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="volunteer_activities", verbose_name=_("community")
    )
    team = models.ForeignKey(
        VolunteerTeam,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("team"),
    )
    place = models.CharField(_("place"), max_length=120)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    check_in_radius = models.PositiveIntegerField(_("check-in distance (metres)"), default=200)
    signup_opens_at = models.DateTimeField(_("sign-up opens at"))
    state = models.CharField(
        _("state"), max_length=12, choices=ActivityState.choices, default=ActivityState.DRAFT
    )
    bad_weather = models.BooleanField(_("in bad weather"), default=False)
    # 集结号: an urgent call to members and volunteers, open at once and sent to each of them.
    is_call = models.BooleanField(_("call to action"), default=False)
    # The party organisation that sounded the call (a branch of the area), when a branch rather than the
    # community calls: its members are called too, those not yet volunteers by SMS to register and answer.
    called_by = models.ForeignKey(
        PartyOrg,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls_to_action",
        verbose_name=_("called by"),
    )
    token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-signup_opens_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(BaseModel):
    """A photo of an activity the organiser uploads. It is shown on the public page only once the organiser has
    marked that everyone pictured agreed (`consent`, with how they agreed); until then, or once withdrawn, only
    the community's staff see it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="volunteers/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    consent = models.BooleanField(_("everyone pictured agreed to publication"), default=False)
    consent_note = models.CharField(_("how they agreed"), max_length=200, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_at = models.DateTimeField(_("consent marked at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or f"{self.activity} #{self.pk}"


class Shift(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(
                fields=["starts_at"], condition=models.Q(reminded_at__isnull=True), name="shift_remind_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))


class ShiftRole(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("role"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    certificate = models.CharField(
        _("certificate needed"), max_length=16, choices=Certificate.choices, blank=True
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Signup(BaseModel):
    role = models.ForeignKey(ShiftRole, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    state = models.CharField(_("state"), max_length=12, choices=SignupState.choices)
    waiting_since = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "volunteer"],
                condition=models.Q(state__in=OPEN_SIGNUP_STATES),
                name="uniq_open_signup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.role}"


class SignupEvent(models.Model):
    """One step of a sign-up (signed up, promoted from the waiting list, checked in, confirmed …). Never edited."""

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.signup_id} {self.from_state}→{self.to_state}"


# --- time bank ---------------------------------------------------------------------------------------------


class BankAccount(BaseModel, LedgerAccount):
    """An account of the time bank: a person's, an organisation's, or a community's bank. Its balance is the sum
    of its movements, kept on the row (updated under a row lock) so limits are checked without a sum."""

    kind = models.CharField(_("kind"), max_length=14, choices=AccountKind.choices)
    name = models.CharField(_("name"), max_length=80)
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="bank_accounts", verbose_name=_("community")
    )
    volunteer = models.OneToOneField(
        Volunteer, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_account"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    balance = models.DecimalField(_("balance"), max_digits=10, decimal_places=2, default=Decimal(0))
    # Balance limits: None is unlimited (a community's bank issues hours, so it may go below zero).
    min_balance = models.DecimalField(
        _("lowest balance"), max_digits=10, decimal_places=2, null=True, blank=True, default=Decimal(0)
    )
    max_balance = models.DecimalField(
        _("highest balance"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("time bank account")
        verbose_name_plural = _("time bank accounts")
        ordering = ["community__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"], condition=models.Q(kind="bank"), name="one_bank_per_community"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Transfer(LedgerTransfer):
    """One transfer of hours: two or more movements that sum to zero (written by `linli.core.ledger.post`).
    Corrected only by a reversing transfer."""

    category = models.CharField(_("category"), max_length=12, choices=TransferCategory.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    signup = models.OneToOneField(
        Signup, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"


class Movement(LedgerEntry):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="movements")
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="movements")
    amount = models.DecimalField(_("hours"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+}"


Transfer.entry_model = Movement


# --- points ------------------------------------------------------------------------------------------------


class PointsRules(BaseModel):
    """How many points an hour earns in a community, the multipliers and the caps (one row per community;
    a community without one uses `DEFAULT_RULES`)."""

    community = models.OneToOneField(OrgNode, on_delete=models.CASCADE, related_name="points_rules")
    per_hour = models.PositiveSmallIntegerField(_("points per hour"), default=10)
    night_multiplier = models.DecimalField(
        _("night multiplier"), max_digits=4, decimal_places=2, default=Decimal("1.5")
    )
    holiday_multiplier = models.DecimalField(
        _("holiday multiplier"), max_digits=4, decimal_places=2, default=Decimal("2")
    )
    weather_multiplier = models.DecimalField(
        _("bad weather multiplier"), max_digits=4, decimal_places=2, default=Decimal("1.5")
    )
    daily_cap = models.PositiveIntegerField(_("daily cap"), default=100)
    monthly_cap = models.PositiveIntegerField(_("monthly cap"), default=1000)
    wish_bonus = models.PositiveSmallIntegerField(_("bonus for an adopted wish"), default=20)
    report_bonus = models.PositiveSmallIntegerField(_("bonus for a report that became an appeal"), default=5)
    hazard_bonus = models.PositiveSmallIntegerField(_("bonus for a rider's hazard report"), default=10)

    class Meta:
        verbose_name = _("points rules")
        verbose_name_plural = _("points rules")

    def __str__(self) -> str:
        return str(self.community)


class PointsEntry(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="points")
    kind = models.CharField(_("kind"), max_length=12, choices=PointsKind.choices)
    points = models.IntegerField(_("points"))
    on = models.DateField(_("date"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    signup = models.ForeignKey(Signup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What earned it when a job credits it (an appeal …): each source is credited once.
    source = models.CharField(max_length=60, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "source"], condition=~models.Q(source=""), name="uniq_points_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.points:+}"


class StoreItem(BaseModel):
    """An item of a community's points store (积分超市), donated by a unit; volunteers redeem it for points."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="store_items", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("points"))
    donor = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="store_items",
        verbose_name=_("donated by"),
    )
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    active = models.BooleanField(_("in the store"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("store item")
        verbose_name_plural = _("store items")
        ordering = ["points", "id"]

    def __str__(self) -> str:
        return self.name


class StockMovement(models.Model):
    """Every change of an item's stock: a donation (+) or a redemption (−), or a cancelled one (+). The stock is
    their sum."""

    item = models.ForeignKey(StoreItem, on_delete=models.PROTECT, related_name="movements")
    quantity = models.IntegerField(_("quantity"))
    donor = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity:+}"


class Redemption(BaseModel):
    """A volunteer redeemed an item: their points entry (−) and the item's stock movement (−) were made together;
    a cancellation makes the opposite two, never an edit."""

    item = models.ForeignKey(StoreItem, on_delete=models.PROTECT, related_name="redemptions")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="redemptions")
    points = models.PositiveIntegerField(_("points"))
    state = models.CharField(
        _("state"), max_length=10, choices=RedemptionState.choices, default=RedemptionState.REDEEMED
    )
    entry = models.OneToOneField(PointsEntry, on_delete=models.PROTECT, related_name="+")
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_at = models.DateTimeField(_("handed over at"), null=True, blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.item}"


class Honour(BaseModel):
    """An honour (星级志愿者, 最美骑手) computed by rule for a year, published after a worker reviews it."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="honours")
    kind = models.CharField(_("honour"), max_length=16, choices=HonourKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.PositiveSmallIntegerField(_("stars"), default=0)
    evidence = models.CharField(_("evidence"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=HonourState.choices, default=HonourState.PROPOSED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "kind", "-level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "kind", "year", "level"], name="uniq_honour")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.get_kind_display()} {self.year}"
