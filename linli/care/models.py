"""Rows of care and mediation: a care plan per resident with its scheduled contacts (visits and calls), and
mediation cases with their parties, sessions, agreement and events. Rows only: every change is a service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.choices import CareLevel
from linli.territory.models import Grid, Resident, Visit

from .choices import (
    CaseAction,
    CaseKind,
    CaseOutcome,
    CaseSource,
    CaseState,
    ContactKind,
    ContactState,
    PartySide,
    Professional,
)

LEVELS = [(c.value, c.label) for c in CareLevel if c.value]


class CarePlan(BaseModel):
    """三色码: a resident's confirmed care level, who looks after them, and when the level is looked at again."""

    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="care_plan", verbose_name=_("resident")
    )
    # Denormalised from the resident, so scoping a plan needs one join.
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="care_plans", verbose_name=_("grid")
    )
    level = models.CharField(_("care level"), max_length=8, choices=LEVELS)
    proposed_level = models.CharField(_("proposed level"), max_length=8, choices=LEVELS)
    proposal_reasons = models.CharField(_("why this level was proposed"), max_length=300, blank=True)
    reason = models.TextField(_("reason for the level"), max_length=1000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"))
    reassess_on = models.DateField(_("reassess on"), db_index=True)
    caregiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_plans",
        verbose_name=_("visited by"),
    )
    needs = models.TextField(_("needs"), max_length=1000, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_phone = models.CharField(_("emergency contact phone"), max_length=24, blank=True)
    scheduled_until = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.resident} · {self.get_level_display()}"


class CareAssessment(models.Model):
    """One confirmation of a level (the history of a plan): proposed, confirmed, by whom and why."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="assessments")
    proposed_level = models.CharField(max_length=8, choices=LEVELS)
    level = models.CharField(max_length=8, choices=LEVELS)
    reason = models.TextField(max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.level}"


class CareContact(BaseModel):
    """One scheduled visit or call of a plan, on a given day; done when recorded, missed when the day passed,
    escalated to the community when it stays undone."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=12, choices=ContactState.choices, default=ContactState.DUE
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_contacts",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    found = models.TextField(_("what was found"), max_length=2000, blank=True)
    needs_raised = models.CharField(_("needs raised"), max_length=200, blank=True)
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # How far from the home the visit was recorded (metres), when the phone gave its position.
    distance_m = models.PositiveIntegerField(_("distance from the home (m)"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("care contact")
        verbose_name_plural = _("care contacts")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "due_on"], name="care_contact_once_a_day"),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(state__in=["due", "missed"]),
                name="care_contact_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.get_kind_display()} {self.plan.resident}"


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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
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
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=12, choices=PartySide.choices)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("held at"))
    attendees = models.CharField(_("who attended"), max_length=300)
    notes = models.TextField(_("notes"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"


class Agreement(models.Model):
    """调解协议书: what the parties agreed, signed on a day; printed as a PDF."""

    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="agreement")
    terms = models.TextField(_("terms agreed"), max_length=4000)
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(_("amount to pay (yuan)"), max_digits=12, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case_id} {self.signed_on}"


class CaseEvent(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=CaseAction.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"
