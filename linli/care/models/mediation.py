"""Rows of mediation (矛盾调解): a case with its parties, sessions, agreement and events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.models import Grid, Resident

from ..choices import CaseAction, CaseKind, CaseOutcome, CaseSource, CaseState, PartySide, Professional


class MediationCase(BaseModel):
    """矛盾调解: a dispute in a grid, tried first by the front-line team, escalated to a professional (三官两师)
    when needed, ending in an agreement that a follow-up visit checks, or referred or withdrawn."""

    number = models.CharField(_("case number"), max_length=24, unique=True)
    kind = models.CharField(_("kind of dispute"), max_length=16, choices=CaseKind.choices)
    source = models.CharField(_("came in through"), max_length=16, choices=CaseSource.choices)
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("grid")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("what the dispute is about"), max_length=2000)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_cases",
        verbose_name=_("mediator"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    professional_kind = models.CharField(
        _("professional on call"), max_length=16, choices=Professional.choices, blank=True
    )
    professional_name = models.CharField(_("professional's name"), max_length=50, blank=True)
    appeal_number = models.CharField(_("appeal"), max_length=24, blank=True, db_index=True)
    follow_up_on = models.DateField(_("follow-up visit on"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    follow_up_note = models.CharField(_("what the follow-up found"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CaseOutcome.choices, blank=True)
    amount_recovered = models.DecimalField(
        _("amount recovered (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["grid", "state"], name="mediation_grid_state")]

    def __str__(self) -> str:
        return self.number


class Party(models.Model):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="parties", verbose_name=_("mediation case")
    )
    side = models.CharField(_("side"), max_length=12, choices=PartySide.choices)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    resident = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resident in the register"),
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mediation case")
    )
    held_at = models.DateTimeField(_("held at"))
    attendees = models.CharField(_("who attended"), max_length=300)
    notes = models.TextField(_("notes"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"


class Agreement(models.Model):
    """调解协议书: what the parties agreed, signed on a day; printed as a PDF."""

    case = models.OneToOneField(
        MediationCase, on_delete=models.CASCADE, related_name="agreement", verbose_name=_("mediation case")
    )
    terms = models.TextField(_("terms agreed"), max_length=4000)
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(_("amount to pay (yuan)"), max_digits=12, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self) -> str:
        return f"{self.case_id} {self.signed_on}"


class CaseEvent(models.Model):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("mediation case")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=24, choices=CaseAction.choices)
    from_state = models.CharField(_("from state"), max_length=12, blank=True)
    to_state = models.CharField(_("to state"), max_length=12, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("mediation case event")
        verbose_name_plural = _("mediation case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"
