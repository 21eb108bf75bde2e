"""Services for a person in care (booked with a provider, delivered with the hours it took, or cancelled) and the
one-tap alert (a fall, taken ill) that opens an emergency work order through appeals' own intake."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals.choices import AppealKind, Channel, Priority
from linli.appeals.models import Appeal
from linli.appeals.selectors import appeals_visible_to
from linli.appeals.services import appeal_submit
from linli.core import served
from linli.core.audit import audit_record
from linli.core.errors import Conflict, NotFound, ValidationFailed, invalid
from linli.core.links import public_link
from linli.core.masking import mask_phone
from linli.core.outbox import notifications_create, sms_enqueue
from linli.core.scoping import Actor, is_staff_member
from linli.core.validators import checked_phone, clean_text

from .. import permissions
from ..choices import AlertKind, AlertSource, ServiceKind, ServiceState
from ..models import CareAlert, CarePlan, CareService
from ..selectors import is_assigned_to, plan_get_for, service_get_for
from ..visitors import visitor_check
from .plans import _notify_later, _path, community_workers_of, hand_over_due

MAX_SERVICE_HOURS = Decimal(12)
ALERT_CATEGORY = "civil_affairs.elderly_care"  # 养老服务 in the shipped catalogue
ALERT_REPEAT_MINUTES = 10  # a second tap within this time is the same alert, not a second work order


@transaction.atomic
def care_service_order(
    *,
    actor: Actor,
    plan: CarePlan,
    kind: str,
    provider: str,
    scheduled_on: dt.date,
    volunteer: Any = None,
) -> CareService:
    """Book a service for a person in care with a provider (the canteen, a company), given by a worker of the grid
    or a volunteer or party member of the community (whose hours then count in the time bank)."""
    plan = plan_get_for(actor, plan.pk)
    permissions.require(actor, "care_assess", _path(plan.grid))
    if kind not in ServiceKind.values:
        raise invalid("kind", _("Choose the service."))
    provider = clean_text("provider", provider, least=2, most=100)
    if scheduled_on < timezone.localdate() - dt.timedelta(days=1):
        raise invalid("scheduled_on", _("Book a service for today or a later day."))
    if volunteer is not None:
        try:
            visitor_check(actor, plan.grid, volunteer)
        except ValidationFailed:
            raise invalid(
                "volunteer",
                _(
                    "Choose a worker of the grid, or a volunteer or party member of the community with an account."
                ),
            ) from None
    service = CareService.objects.create(
        plan=plan,
        kind=kind,
        provider=provider,
        scheduled_on=scheduled_on,
        volunteer=volunteer,
        ordered_by_id=getattr(actor, "pk", None),
    )
    if volunteer is not None:
        _notify_later(
            volunteer,
            _("Care service booked: %(kind)s on %(day)s")
            % {"kind": service.get_kind_display(), "day": scheduled_on},
            plan.resident.household.address if plan.resident.household else "",
            reverse("care:today"),
        )
    audit_record(actor=actor, action="care_service_order", obj=service, detail={"kind": kind})
    return service


def _locked_service(actor: Actor, service: CareService) -> CareService:
    row = service_get_for(actor, service.pk, lock=True)
    if row.state != ServiceState.ORDERED:
        raise Conflict(_("This service was already %(state)s.") % {"state": row.get_state_display()})
    return row


@transaction.atomic
def care_service_deliver(*, actor: Actor, service: CareService, hours: Any, note: str) -> CareService:
    """The service was given: what was done and the hours it took (a volunteer's hours are then handed to the
    time bank by the worker, `care_service_hours_hand_over`)."""
    service = _locked_service(actor, service)
    if actor is None or service.volunteer_id != actor.pk:  # who gives it records it; else the who-may table
        permissions.require(actor, "care_record", _path(service.plan.grid))
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise invalid("hours", _("Enter the hours it took, such as 1.5.")) from None
    if value <= 0 or value > MAX_SERVICE_HOURS:
        raise invalid("hours", _("Between 0.25 and %(n)s hours.") % {"n": MAX_SERVICE_HOURS})
    note = clean_text("note", note, least=2, most=500)
    if service.scheduled_on > timezone.localdate():
        raise invalid("note", _("A service is recorded on or after the day it was booked for."))
    service.state = ServiceState.DELIVERED
    service.hours = value
    service.note = note
    service.delivered_at = timezone.now()
    service.recorded_by_id = getattr(actor, "pk", None)
    service.save(update_fields=["state", "hours", "note", "delivered_at", "recorded_by", "updated_at"])
    audit_record(actor=actor, action="care_service_deliver", obj=service, detail={"hours": str(value)})
    return service


@transaction.atomic
def care_service_cancel(*, actor: Actor, service: CareService, reason: str) -> CareService:
    service = _locked_service(actor, service)
    permissions.require(actor, "care_assess", _path(service.plan.grid))
    service.note = clean_text("reason", reason, least=2, most=500)
    service.state = ServiceState.CANCELLED
    service.recorded_by_id = getattr(actor, "pk", None)
    service.save(update_fields=["state", "note", "recorded_by", "updated_at"])
    audit_record(actor=actor, action="care_service_cancel", obj=service)
    return service


# ---- one-tap alerts -----------------------------------------------------------------------------------------


def _reachable(plan: CarePlan) -> dict[str, str]:
    """The usable phones an alert reaches: the emergency contact's and the resident's own, by field. An alert is
    never refused for a number kept from before phones were checked (`care_plan_confirm` refuses a bad one since):
    such a number is left out here (the plan keeps it; the work order's text names it masked)."""
    phones: dict[str, str] = {}
    for field, value in (("emergency_phone", plan.emergency_phone), ("phone", plan.resident.phone)):
        try:
            phones[field] = checked_phone(field, value)
        except ValidationFailed:
            continue
    return {field: phone for field, phone in phones.items() if phone}


@transaction.atomic
def care_alert_token_issue(*, actor: Actor, plan: CarePlan) -> CarePlan:
    """Issue (or replace) the secret link of the alert button kept at home; the old link stops working."""
    plan = plan_get_for(actor, plan.pk)
    permissions.require(actor, "care_assess", _path(plan.grid))
    if not checked_phone("emergency_phone", plan.emergency_phone):  # a bad number is refused with its reason
        raise invalid(
            "emergency_phone", _("Set the emergency contact's phone first: the alert tells them at once.")
        )
    plan.alert_token = secrets.token_urlsafe(18)[:24]
    plan.save(update_fields=["alert_token", "updated_at"])
    audit_record(actor=actor, action="care_alert_token_issue", obj=plan)
    return plan


def plan_for_alert_token(token: str) -> CarePlan:
    """The plan whose home button this is; an unknown or withdrawn link is not found."""
    if not token or len(token) < 16:
        raise NotFound()
    plan = (
        CarePlan.objects.select_related("resident__household", "grid__org_node")
        .filter(alert_token=token)
        .first()
    )
    if plan is None:
        raise NotFound()
    return plan


def care_alert_raise(*, actor: Actor, plan: CarePlan, kind: str, source: str, note: str = "") -> CareAlert:
    """A fall or an illness: an emergency work order (appeal of the help kind, the 2-hour clock) is opened in the
    person's grid through appeals' intake, the emergency contact gets an SMS and the community workers and the
    visitor are told. A second tap within ALERT_REPEAT_MINUTES returns the first alert."""
    if kind not in AlertKind.values:
        raise invalid("kind", _("Say what happened."))
    if source not in AlertSource.values:
        raise invalid("source", _("Unknown source."))
    note = clean_text("note", note, most=300)
    with transaction.atomic():
        if source == AlertSource.VISIT:
            if actor is None:
                raise invalid("source", _("An alert from a visit is raised by the visitor."))
            plan = plan_get_for(actor, plan.pk)
            if not is_assigned_to(actor, plan):  # a volunteer or member on their visit may tap it too
                permissions.require(actor, "care_record", _path(plan.grid))
        locked = CarePlan.objects.select_for_update().get(pk=plan.pk)
        recent = (
            CareAlert.objects.filter(
                plan=locked, created_at__gte=timezone.now() - dt.timedelta(minutes=ALERT_REPEAT_MINUTES)
            )
            .exclude(appeal_number="")
            .first()
        )
        if recent is not None:
            return recent
        alert = CareAlert.objects.create(
            plan=plan, kind=kind, source=source, note=note, raised_by_id=getattr(actor, "pk", None)
        )
        resident = plan.resident
        household = resident.household
        address = household.address if household else plan.grid.name
        phones = _reachable(plan)
        # The one to call back, in the work order's contact fields (masked by appeals' own rule): the relative,
        # or the resident when the relative's number is unusable. The free text never holds a full number.
        if "emergency_phone" in phones:
            contact_name, contact_phone = plan.emergency_contact or resident.name, phones["emergency_phone"]
        else:
            contact_name, contact_phone = resident.name, phones.get("phone", "")
        facts = {
            "source": AlertSource(source).label,
            "name": resident.name,
            "address": address,
            "kind": AlertKind(kind).label,
            "note": note,
            "contact": f"{plan.emergency_contact} {mask_phone(plan.emergency_phone)}".strip() or "—",
        }
        if note:  # what the visitor saw, in brackets after what happened
            description = (
                _(
                    "One-tap alert (%(source)s): %(name)s, %(address)s — %(kind)s (%(note)s). "
                    "Emergency contact: %(contact)s."
                )
                % facts
            )
        else:
            description = (
                _(
                    "One-tap alert (%(source)s): %(name)s, %(address)s — %(kind)s. Emergency contact: %(contact)s."
                )
                % facts
            )
        # A worker opens the order as their patrol report; the button at home and a volunteer or party member on
        # their visit, who may not report by patrol (it was refused them mid-emergency), have the system open it
        # on the person's behalf (who tapped is the alert's `raised_by`), never as the visitor's own appeal.
        by_staff = actor is not None and is_staff_member(actor)
        appeal = appeal_submit(
            actor=cast(User | None, actor) if by_staff else None,
            kind=AppealKind.HELP,
            channel=Channel.PATROL if by_staff or not contact_phone else Channel.SYSTEM,
            title=_("Emergency: %(kind)s, %(name)s") % {"kind": AlertKind(kind).label, "name": resident.name},
            description=description,
            category_code=ALERT_CATEGORY,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
            grid=plan.grid,
            priority=Priority.EMERGENCY,
            idempotency_key=f"care-alert:{alert.pk}",
        )
        alert.appeal_number = appeal.tracking_number
        alert.save(update_fields=["appeal_number", "updated_at"])
        if "emergency_phone" in phones:
            # The relative is the order's contact: its resident page, opened with this number, shows its progress.
            text = _(
                "%(name)s raised an alert (%(kind)s). The community is on its way; work order %(n)s, "
                "follow it with this phone number: %(link)s"
            ) % {
                "name": resident.name,
                "kind": AlertKind(kind).label,
                "n": appeal.tracking_number,
                "link": public_link(reverse("appeals:resident_detail", args=[appeal.tracking_number])),
            }
            sms_enqueue(phone=phones["emergency_phone"], text=text)
        title = _("Alert: %(kind)s, %(name)s") % {"kind": AlertKind(kind).label, "name": resident.name}
        told = {*community_workers_of(plan.grid), *([plan.caregiver] if plan.caregiver else [])}
        people = [(person, _alert_link(person, appeal, plan)) for person in told]
        body = _("Emergency work order %(n)s opened; the community is told.") % {"n": appeal.tracking_number}
        transaction.on_commit(lambda: notifications_create(people, title=title, body=body))
        audit_record(
            actor=cast(User | None, actor),
            action="care_alert_raise",
            obj=alert,
            detail={"appeal": appeal.tracking_number, "source": source},
        )
    return alert


def _alert_link(person: User, appeal: Appeal, plan: CarePlan) -> str:
    """Where an alert's inbox entry takes the person told: the work order's page for whoever may open it (staff
    its staff page; the volunteer or member who raised it on their visit, their own appeal's page), else a care
    page they may open (staff the person's plan; a volunteer or member, who reads no plan, their day of visits)."""
    staff = is_staff_member(person)
    if appeals_visible_to(person).filter(pk=appeal.pk).exists():
        if staff:
            return reverse("appeals:detail", args=[appeal.pk])
        return reverse("appeals:resident_detail", args=[appeal.tracking_number])
    return reverse("care:plan", args=[plan.pk]) if staff else reverse("care:today")


def care_service_hours_hand_over(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Hand the hours of each delivered service a volunteer gave to the apps that credit service done
    (`core.served`: the time bank of the person's community pays them), once per service (the worker's job, as
    co-building does for its orders): how many were credited somewhere."""
    return hand_over_due(
        CareService.objects.filter(
            state=ServiceState.DELIVERED, volunteer__isnull=False, served_at__isnull=True
        )
        .select_related("plan__grid__org_node__parent")
        .order_by("delivered_at", "id"),
        lambda row, community_id: served.Served(
            source=f"care.service:{row.pk}",
            account_id=row.volunteer_id or 0,
            community_id=community_id,
            title=f"{row.get_kind_display()} · {row.provider}"[:200],
            minutes=int(row.hours * 60),
            on=row.scheduled_on,
        ),
        "care service",
        now=now or timezone.now(),
        limit=limit,
    )
