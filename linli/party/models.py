"""Party organisation laid over the territory: organisations, members, beacon households, registrations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.models import Grid, Household, OrgNode, Resident

from .choices import PartyOrgKind, RegistrationStatus, Specialty


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
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class BeaconHousehold(BaseModel):
    """党员中心户: a member's household that serves the households around it."""

    member = models.OneToOneField(PartyMember, on_delete=models.CASCADE, related_name="beacon")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="beacon_households")
    households_served = models.PositiveIntegerField(_("households served"), default=10)

    class Meta:
        verbose_name = _("beacon household")
        verbose_name_plural = _("beacon households")

    def __str__(self) -> str:
        return f"{self.member} · {self.household}"


class MemberRegistration(BaseModel):
    """双报到: a member employed elsewhere registers with the community they live in and takes a grid post."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="registrations")
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
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    registered_on = models.DateField(_("registered on"))

    class Meta:
        verbose_name = _("member registration")
        verbose_name_plural = _("member registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community"],
                condition=~models.Q(status="ended"),
                name="uniq_active_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"
