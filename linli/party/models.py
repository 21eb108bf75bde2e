"""Party organisation laid over the territory: organisations, members, beacon households, registrations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.models import Building, Grid, Household, Organisation, OrgNode, Resident

from .choices import (
    OPEN_REGISTRATION_STATES,
    Availability,
    MeetingKind,
    MemberEventKind,
    MemberPointsKind,
    MemberPosition,
    MemberStatus,
    PairingKind,
    PartyOrgCategory,
    PartyOrgKind,
    RefusalReason,
    RegistrationSource,
    RegistrationStatus,
    Specialty,
    StarState,
)


class PartyOrg(BaseModel):
    """One node of the party hierarchy: committee → general branch → branch → group."""

    kind = models.CharField(_("kind"), max_length=16, choices=PartyOrgKind.choices)
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    org_node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="party_orgs", verbose_name=_("org node")
    )
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_orgs",
        verbose_name=_("grid"),
    )
    # 楼栋党小组: a group attached to one building.
    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_orgs",
        verbose_name=_("building"),
    )
    category = models.CharField(
        _("category"), max_length=12, choices=PartyOrgCategory.choices, default=PartyOrgCategory.REGULAR
    )
    # 红色物业: the property company whose branch this is (it serves the compound of `org_node`).
    property_company = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
        verbose_name=_("property company"),
    )
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["org_node__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class PartyMember(BaseModel):
    name = models.CharField(_("name"), max_length=50)
    resident = models.OneToOneField(
        Resident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
        verbose_name=_("resident"),
    )
    party_org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("branch")
    )
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    workplace = models.CharField(_("workplace"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    position = models.CharField(
        _("position"), max_length=20, choices=MemberPosition.choices, default=MemberPosition.MEMBER
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PartyMemberEvent(models.Model):
    """One step of a member's history: joined, transferred, left, position changed. Never edited."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="events", verbose_name=_("party member")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MemberEventKind.choices)
    on = models.DateField(_("date"))
    from_org = models.ForeignKey(
        PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_org = models.ForeignKey(
        PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    position = models.CharField(_("position"), max_length=20, choices=MemberPosition.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member history")
        verbose_name_plural = _("member history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.kind} {self.on}"


class BeaconHousehold(BaseModel):
    """党员中心户: a member's household that serves the households around it."""

    member = models.OneToOneField(
        PartyMember, on_delete=models.CASCADE, related_name="beacon", verbose_name=_("party member")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="beacon_households", verbose_name=_("grid")
    )
    households_served = models.PositiveIntegerField(_("households served"), default=10)

    class Meta:
        verbose_name = _("beacon household")
        verbose_name_plural = _("beacon households")

    def __str__(self) -> str:
        return f"{self.member} · {self.household}"


class MemberRegistration(BaseModel):
    """双报到: a member employed elsewhere registers with the community they live in and takes a grid post."""

    member = models.ForeignKey(
        PartyMember,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("party member"),
    )
    # Who registered, as they stated it (a member of a branch outside Linli has no member row here).
    name = models.CharField(_("name"), max_length=50, default="")
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    workplace_branch = models.CharField(_("party organisation at work"), max_length=120, blank=True)
    availability = models.CharField(
        _("availability"), max_length=12, choices=Availability.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=RegistrationSource.choices, default=RegistrationSource.STAFF
    )
    # The member's own link to follow the registration (shown once after registering online).
    token = models.CharField(
        _("follow-up link key"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="member_registrations", verbose_name=_("community")
    )
    workplace = models.CharField(_("workplace"), max_length=120)
    specialty = models.CharField(_("specialty"), max_length=16, choices=Specialty.choices)
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_posts",
        verbose_name=_("grid"),
    )
    post = models.CharField(_("post"), max_length=60, blank=True)
    duties = models.CharField(_("duties"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    registered_on = models.DateField(_("registered on"))
    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    refusal_note = models.CharField(_("explanation"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member registration")
        verbose_name_plural = _("member registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community"],
                condition=models.Q(status__in=OPEN_REGISTRATION_STATES),
                name="uniq_open_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.community}"


class PartnerPairing(BaseModel):
    """结对共建 / 党建联盟: a partner unit (an organisation outside the tree) paired with a community."""

    partner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("partner unit")
    )
    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="partner_pairings", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PairingKind.choices, default=PairingKind.PAIRED)
    member_count = models.PositiveIntegerField(_("party members"), default=0)
    contact_name = models.CharField(_("contact"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=24)
    since = models.DateField(_("paired since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("what they do together"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partner unit pairing")
        verbose_name_plural = _("partner unit pairings")
        ordering = ["community__path", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "community"],
                condition=models.Q(ended_on__isnull=True),
                name="uniq_open_pairing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} ⇄ {self.community}"


# --- member points and branch stars (党员积分, 星级党支部) ---------------------------------------------------


class BranchMeeting(BaseModel):
    """One of the branch's regular meetings (三会一课), with who attended: attendance earns member points."""

    branch = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="branch_meetings", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=120)
    attendees = models.ManyToManyField(
        PartyMember, blank=True, related_name="meetings", verbose_name=_("attendees")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("branch meeting")
        verbose_name_plural = _("branch meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.branch} {self.held_on} {self.topic}"


class MemberPointsRule(models.Model):
    """Points per unit of one kind (overrides `MEMBER_POINTS_DEFAULTS`)."""

    kind = models.CharField(_("kind"), max_length=16, choices=MemberPointsKind.choices, unique=True)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("member points rule")
        verbose_name_plural = _("member points rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.points}"


class MemberPointsEntry(models.Model):
    """One line of a member's points ledger. `source` names what earned it, so nothing is credited twice."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="points", verbose_name=_("party member")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MemberPointsKind.choices)
    points = models.IntegerField(_("points"))
    on = models.DateField(_("date"), db_index=True)
    reason = models.CharField(_("reason"), max_length=200)
    source = models.CharField(_("source"), max_length=60, blank=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member points entry")
        verbose_name_plural = _("member points entries")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "source"], condition=~models.Q(source=""), name="uniq_member_points_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+}"


class StarIndicatorWeight(models.Model):
    """The weight of one indicator of the branch star rating (overrides the indicator's default weight)."""

    code = models.CharField(_("indicator"), max_length=32, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta:
        verbose_name = _("star indicator weight")
        verbose_name_plural = _("star indicator weights")

    def __str__(self) -> str:
        return f"{self.code}: {self.weight}"


class BranchStarRating(BaseModel):
    """A branch's star rating for a year (星级党支部): the score and the stars computed from the records, each
    indicator with its evidence, the branch's self-assessment (自评: the stars it claims, why, a note per
    indicator), and the street's review: approved with the stars it grants, or returned to the branch with a
    reason. `stars` are the rating's standing stars: the computed ones until the street grants its own."""

    branch = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="star_ratings", verbose_name=_("branch")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    computed_stars = models.PositiveSmallIntegerField(_("computed stars"), default=0)
    stars = models.PositiveSmallIntegerField(_("stars"))
    indicators = models.JSONField(_("indicators"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=StarState.choices, default=StarState.COMPUTED)
    computed_at = models.DateTimeField(_("computed at"))
    # The branch's self-assessment (自评).
    claimed_stars = models.PositiveSmallIntegerField(_("stars claimed"), null=True, blank=True)
    claim_statement = models.CharField(_("self-assessment statement"), max_length=300, blank=True)
    claim_notes = models.JSONField(_("notes per indicator"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The street's review: returned with a reason (kept after the branch submits again), or approved.
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    # The street's reminders to a branch that has not (yet again) assessed itself: how many, the last one when.
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("branch star rating")
        verbose_name_plural = _("branch star ratings")
        ordering = ["-year", "branch__name"]
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="uniq_branch_star_year")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}: {self.stars}★"
