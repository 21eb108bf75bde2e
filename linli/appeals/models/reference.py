"""The reference data of appeals: categories, the versioned dispatch catalogue and the deadline (SLA) rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import BaseModel

from ..choices import (
    AppealKind,
    CatalogueStatus,
    ClockUnit,
    Priority,
    Tier,
)


class Category(BaseModel):
    """Two levels: a first-level category (parent is null) and its second-level children."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name


class CatalogueVersion(BaseModel):
    """One version of the dispatch catalogue; exactly one is active, and each appeal records the one it used.

    A change is a draft cloned from the active version, edited, submitted, reviewed by another person and then
    activated (services/catalogue.py); who did each step and when is kept on the version."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=CatalogueStatus.choices, default=CatalogueStatus.ACTIVE
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("based on")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("activated by"),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch catalogue version")
        verbose_name_plural = _("dispatch catalogue versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_catalogue"
            ),
            # One change at a time: at most one version between draft and activation (none of them is active).
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(status__in=["draft", "review", "approved"]),
                name="one_open_catalogue_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class CatalogueEntry(models.Model):
    """category × area → responsible unit and starting tier. The deepest matching area wins, then the more
    specific category (a second-level entry beats its first-level parent)."""

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.CASCADE, related_name="entries", verbose_name=_("version")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    area = models.ForeignKey(
        "territory.OrgNode", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    tier = models.CharField(_("starting tier"), max_length=12, choices=Tier.choices)
    organisation = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department or partner unit"),
    )

    class Meta:
        verbose_name = _("dispatch catalogue entry")
        verbose_name_plural = _("dispatch catalogue entries")
        constraints = [
            models.UniqueConstraint(fields=["version", "category", "area"], name="uniq_catalogue_entry")
        ]

    def __str__(self) -> str:
        return f"{self.category} @ {self.area} → {self.organisation or self.get_tier_display()}"


class SlaRule(BaseModel):
    """Deadlines for acknowledgement, first contact and resolution. Blank conditions match anything; the rule
    matching the most conditions wins (priority breaks ties)."""

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=AppealKind.choices, blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices, blank=True)
    ack_amount = models.FloatField(_("acknowledge within"))
    ack_unit = models.CharField(pgettext_lazy("clock", "unit"), max_length=16, choices=ClockUnit.choices)
    contact_amount = models.FloatField(_("first contact within"))
    contact_unit = models.CharField(pgettext_lazy("clock", "unit"), max_length=16, choices=ClockUnit.choices)
    resolve_amount = models.FloatField(_("resolve within"))
    resolve_unit = models.CharField(pgettext_lazy("clock", "unit"), max_length=16, choices=ClockUnit.choices)
    escalate_on_breach = models.BooleanField(_("escalate automatically on breach"), default=True)
    # 吹哨报到: a summoned unit reports in within this many working hours unless the summoner sets another figure,
    # never more than the limit (the part's finish date is at most the appeal's own resolution deadline).
    report_in_hours = models.FloatField(_("summoned unit reports in within (working hours)"), default=2)
    report_in_max_hours = models.FloatField(_("at most (working hours)"), default=8)
    rank = models.SmallIntegerField(_("tie-break rank"), default=0)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["-rank", "name"]

    def __str__(self) -> str:
        return self.name
