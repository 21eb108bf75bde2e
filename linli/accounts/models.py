"""Staff and resident accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.core.roles import Role

from .choices import ClaimStatus


class User(AbstractUser):
    """A staff member attached to an org node (or an organisation), or a resident signed in by mobile number."""

    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.RESIDENT)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile number"), max_length=24, blank=True, db_index=True)
    org_node = models.ForeignKey(
        "territory.OrgNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("org node"),
    )
    organisation = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handlers",
        verbose_name=_("department or partner unit"),
    )
    # The building a building captain (楼栋长) looks after; they see and visit only it.
    building = models.ForeignKey(
        "territory.Building",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="captain_accounts",
        verbose_name=_("building"),
    )
    # A resident account claims a household; a community worker verifies the claim.
    household = models.ForeignKey(
        "territory.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        verbose_name=_("household"),
    )
    household_verified_at = models.DateTimeField(_("household verified at"), null=True, blank=True)
    household_verified_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("household verified by"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(role="resident") & ~models.Q(phone=""),
                name="uniq_resident_phone",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def org_path(self) -> str | None:
        return self.org_node.path if self.org_node_id and self.org_node else None

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT and not self.is_superuser


class OneTimeCode(BaseModel):
    """A six-digit code sent by SMS to sign a resident in; stored hashed, single use, short-lived."""

    phone = models.CharField(_("mobile number"), max_length=24, db_index=True)
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["phone", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.created_at:%H:%M}"


class HouseholdClaim(BaseModel):
    """A resident account's claim to live in a household, verified or rejected by a community worker."""

    account = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="household_claims", verbose_name=_("account")
    )
    household = models.ForeignKey(
        "territory.Household", on_delete=models.CASCADE, related_name="claims", verbose_name=_("household")
    )
    claimant_name = models.CharField(_("name given"), max_length=50)
    address_text = models.CharField(_("address given"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household claim")
        verbose_name_plural = _("household claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=models.Q(status="pending"), name="uniq_pending_claim"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.claimant_name} → {self.household_id}"


class ApiToken(BaseModel):
    """A key another system uses to call the API as one account (its scope is that account's scope).

    Only a hash of the key is stored; the key itself is shown once, when it is made.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("Which system uses this key."))
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    key_hash = models.CharField(_("key (hashed)"), max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
