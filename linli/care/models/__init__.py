"""Rows of care and mediation: a care plan per resident with its scheduled contacts (visits and calls), and
mediation cases with their parties, sessions, agreement and events. Rows only: every change is a service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.choices import CareLevel
from linli.territory.models import Grid, OrgNode, Resident, Visit

from ..choices import (
    AlertKind,
    AlertSource,
    ChildPlaceKind,
    ContactKind,
    ContactOutcome,
    ContactState,
    EnrolmentState,
    LegalAidOutcome,
    LegalAidState,
    LegalMatter,
    Professional,
    ServiceKind,
    ServiceState,
    VisitorKind,
)
from .mediation import Agreement, CaseEvent, MediationCase, Party, Session

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
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
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
    caregiver_kind = models.CharField(
        _("visitor is a"), max_length=12, choices=VisitorKind.choices, default=VisitorKind.WORKER
    )
    needs = models.TextField(_("needs"), max_length=1000, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_phone = models.CharField(_("emergency contact phone"), max_length=24, blank=True)
    scheduled_until = models.DateField(_("scheduled until"), null=True, blank=True, editable=False)
    # The secret of the one-tap alert page kept at home (a link or its QR code on the fridge); empty: none issued.
    alert_token = models.CharField(
        _("alert link key"), max_length=32, blank=True, db_index=True, editable=False
    )
    # The reassessment date the responsible worker was last told about (the job tells once per due date).
    reassess_notified_on = models.DateField(
        _("reassessment notice sent on"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.resident} · {self.get_level_display()}"


class CareAssessment(models.Model):
    """One confirmation of a level (the history of a plan): proposed, confirmed, by whom and why."""

    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("care plan")
    )
    proposed_level = models.CharField(_("proposed level"), max_length=8, choices=LEVELS)
    level = models.CharField(_("care level"), max_length=8, choices=LEVELS)
    reason = models.TextField(_("reason"), max_length=1000)
    # The two circumstances the register does not hold, as answered then: a reassessment starts from them.
    ill = models.BooleanField(_("chronic or serious illness"), default=False)
    no_family_support = models.BooleanField(_("no family support"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("care assessment")
        verbose_name_plural = _("care assessments")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.level}"


class CareContact(BaseModel):
    """One scheduled visit or call of a plan, on a given day; done when recorded, missed when the day passed,
    escalated to the community when it stays undone."""

    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("care plan")
    )
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
    assignee_kind = models.CharField(
        _("assigned to a"), max_length=12, choices=VisitorKind.choices, default=VisitorKind.WORKER
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    # How it ended: reached, or refused by the person (both close it; a refusal is not a visit made).
    outcome = models.CharField(
        _("how it went"), max_length=12, choices=ContactOutcome.choices, default=ContactOutcome.REACHED
    )
    found = models.TextField(_("what was found"), max_length=2000, blank=True)
    needs_raised = models.CharField(_("needs raised"), max_length=200, blank=True)
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("visit log entry"),
    )
    # How far from the home the visit was recorded (metres), when the phone gave its position.
    distance_m = models.PositiveIntegerField(_("distance from the home (m)"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    # When the worker handed a volunteer's or member's minutes over to the time bank (core.served): once.
    served_at = models.DateTimeField(_("handed to the time bank at"), null=True, blank=True, editable=False)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    # Covered (not done): the later contact of the same kind that reached the person, who recorded it and when.
    covered_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covered",
        verbose_name=_("covered by the contact"),
        editable=False,
    )
    covered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("covered by"),
        editable=False,
    )
    covered_at = models.DateTimeField(_("covered at"), null=True, blank=True, editable=False)

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


class CareAttempt(models.Model):
    """A try at a contact that did not reach the person (nobody at home, a call not answered): who tried, when
    and what they noted. The contact stays open for another try."""

    contact = models.ForeignKey(
        CareContact, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("care contact")
    )
    outcome = models.CharField(_("how it went"), max_length=12, choices=ContactOutcome.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tried by"),
    )
    at = models.DateTimeField(_("time"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("care contact attempt")
        verbose_name_plural = _("care contact attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.outcome}"


class CareService(BaseModel):
    """A service for a person in care (a meal, bathing help, cleaning, a health check…): booked for a day with a
    provider, then delivered (with the hours it took, which count in the time bank when a volunteer gave them)
    or cancelled."""

    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="services", verbose_name=_("care plan")
    )
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    provider = models.CharField(_("provider"), max_length=100)
    scheduled_on = models.DateField(_("booked for"))
    state = models.CharField(
        _("state"), max_length=12, choices=ServiceState.choices, default=ServiceState.ORDERED
    )
    # The volunteer who gives it, when one does (their account): the hours go to their time bank.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_services_given",
        verbose_name=_("volunteer"),
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=0)
    note = models.CharField(_("what was done"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # When the worker handed a volunteer's hours over to the apps that credit service done (core.served): once.
    served_at = models.DateTimeField(_("handed to the time bank at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("care service")
        verbose_name_plural = _("care services")
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["state", "scheduled_on"], name="care_service_state_day")]

    def __str__(self) -> str:
        return f"{self.scheduled_on} {self.get_kind_display()}"


class CareAlert(BaseModel):
    """A one-tap alert (a fall, taken ill): raised during a visit or with the button at home, it opens an
    emergency work order (an appeal with the short clock) and tells the emergency contact and the community."""

    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("care plan")
    )
    kind = models.CharField(_("what happened"), max_length=12, choices=AlertKind.choices)
    source = models.CharField(_("raised from"), max_length=8, choices=AlertSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raised by"),
    )
    appeal_number = models.CharField(_("work order"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("care alert")
        verbose_name_plural = _("care alerts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.kind}"


class OnCallProfessional(BaseModel):
    """三官两师 rota: a judge, prosecutor, police officer, lawyer or psychologist on call to a community on some
    days of the week; mediation calls one in, legal aid assigns a lawyer from it."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("professional"), max_length=16, choices=Professional.choices)
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("works at"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    weekdays = models.CharField(_("on duty on"), max_length=7, default="12345")
    active = models.BooleanField(_("on the rota"), default=True)

    class Meta:
        verbose_name = _("professional on call")
        verbose_name_plural = _("professionals on call")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class ChildPlace(BaseModel):
    """一小: a nursery (托育), an after-school class (四点半课堂) or a children's home (儿童之家) of a community, with
    a number of places; sign-ups beyond them wait in line."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("kind of place"), max_length=16, choices=ChildPlaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    ages = models.CharField(_("for ages"), max_length=30, blank=True)
    hours = models.CharField(_("opening hours"), max_length=60, blank=True)
    active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("children's place")
        verbose_name_plural = _("children's places")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Enrolment(BaseModel):
    """A child signed up for a place: has a place, or waits in line (by the time they signed up) until one
    frees; leaving frees the place for the first in line."""

    place = models.ForeignKey(
        ChildPlace, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("children's place")
    )
    child_name = models.CharField(_("child's name"), max_length=50)
    birth_date = models.DateField(_("date of birth"))
    guardian_name = models.CharField(_("guardian"), max_length=50)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=24)
    state = models.CharField(_("state"), max_length=12, choices=EnrolmentState.choices)
    enrolled_at = models.DateTimeField(_("place given at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed up by"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["place", "state"], name="care_enrolment_place_state")]

    def __str__(self) -> str:
        return f"{self.child_name} @ {self.place_id}"


class LegalAidApplication(BaseModel):
    """法律援助: an application checked for eligibility (the matter and the applicant's means), assigned to a
    lawyer from the rota, and concluded with an outcome and the amount recovered."""

    number = models.CharField(_("application number"), max_length=24, unique=True)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("grid"))
    applicant_name = models.CharField(_("applicant"), max_length=50)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=24, blank=True)
    matter = models.CharField(_("matter"), max_length=12, choices=LegalMatter.choices)
    summary = models.TextField(_("what it is about"), max_length=2000)
    low_income = models.BooleanField(_("financial hardship"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=LegalAidState.choices, default=LegalAidState.APPLIED
    )
    eligibility_note = models.CharField(_("eligibility"), max_length=300, blank=True)
    lawyer = models.ForeignKey(
        OnCallProfessional,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_aid",
        verbose_name=_("lawyer"),
    )
    case = models.ForeignKey(
        MediationCase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_aid",
        verbose_name=_("mediation case"),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=LegalAidOutcome.choices, blank=True)
    amount_recovered = models.DecimalField(
        _("amount recovered (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    outcome_note = models.CharField(_("how it ended"), max_length=500, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal-aid application")
        verbose_name_plural = _("legal-aid applications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class LegalTalk(BaseModel):
    """普法: a talk or lecture on the law held in a community, counted with its audience."""

    community = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=100)
    speaker = models.CharField(_("speaker"), max_length=50)
    audience = models.PositiveIntegerField(_("people attending"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("legal talk")
        verbose_name_plural = _("legal talks")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic


__all__ = [
    "Agreement",
    "CaseEvent",
    "MediationCase",
    "Party",
    "Session",
]
