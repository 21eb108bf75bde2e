"""The worker's deadline writes: a warning before the resolution deadline, breaches of each clock (with automatic
escalation when the rule says so), and the shipped deadline rules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.snapshots import bump

from .. import notify, routing, sla, transitions
from ..choices import ACK_CLOCK_STATES, RUNNING_STATES, TOTAL_CLOCK_STATES, Channel, Tier
from ..models import Appeal, Category, SlaRule
from ..workflow import TRANSITIONS
from .dispatch import appeal_escalate


def appeal_warn(*, appeal: Appeal) -> Appeal:
    """Tell the handler a resolution deadline is near (worker)."""
    with transaction.atomic():
        row, target = transitions.lock(appeal, "warn")
        if row.warned_at is not None or row.state not in RUNNING_STATES:
            return row
        now = timezone.now()
        transitions.apply(
            row,
            actor=None,
            action="warn",
            target=target,
            changes={"warned_at": now},
            channel=Channel.SYSTEM,
            now=now,
        )
        notify.notify_staff(
            notify.unit_staff(row),
            row,
            gettext_lazy("Due soon: %(number)s by %(due)s"),
            due=timezone.localtime(row.resolve_due_at).strftime("%m-%d %H:%M") if row.resolve_due_at else "-",
        )
        return row


# clock → (the column marking its breach, the states in which it runs)
CLOCKS = {
    "ack": ("ack_breached_at", ACK_CLOCK_STATES),
    "contact": ("contact_breached_at", RUNNING_STATES),
    "resolve": ("breached_at", RUNNING_STATES),
    "total": ("total_breached_at", TOTAL_CLOCK_STATES),
}


def appeal_breach(*, appeal: Appeal, clock: str = "resolve") -> Appeal:
    """Mark a missed deadline (worker); a missed resolution escalates when the rule says so, a missed total
    deadline (the resident's clock from receipt) always."""
    with transaction.atomic():
        row, target = transitions.lock(appeal, "breach")
        now = timezone.now()
        field, states = CLOCKS.get(clock, CLOCKS["resolve"])
        due = {
            "ack": row.ack_due_at,
            "contact": row.contact_due_at,
            "total": row.total_due_at,
        }.get(clock, row.resolve_due_at)
        if clock == "contact" and row.first_contact_at is not None:
            return row
        if getattr(row, field) is not None or due is None or due > now or row.state not in states:
            return row
        transitions.apply(
            row,
            actor=None,
            action="breach",
            target=target,
            changes={field: now},
            channel=Channel.SYSTEM,
            now=now,
            data={"clock": clock},
        )
        notify.notify_staff(notify.unit_staff(row), row, gettext_lazy("Overdue: %(number)s"))
        notify.notify_staff(
            notify.supervisors(row), row, gettext_lazy("Overdue at %(unit)s: %(number)s"), unit=row.unit_name
        )
        escalate = clock == "total" or (
            clock == "resolve" and row.sla_rule is not None and row.sla_rule.escalate_on_breach
        )
        if escalate and row.state in TRANSITIONS["escalate"].sources:
            _tier, node = routing.tier_above(row.tier or Tier.GRID, grid=row.grid, node=row.unit_node)
            if node is not None:
                with notify.in_deployment_language():
                    reason = (
                        _("Escalated automatically: the total deadline from receipt passed.")
                        if clock == "total"
                        else _("Escalated automatically: the resolution deadline passed.")
                    )
                appeal_escalate(actor=None, appeal=row, reason=reason, automatic=True)
                row.refresh_from_db()
        return row


@transaction.atomic
def sla_sync_defaults() -> int:
    """Create the shipped rules that are missing (matched by name); returns how many were created."""
    created = 0
    for spec in sla.DEFAULT_RULES:
        if SlaRule.objects.filter(name=spec["name"]).exists():
            continue
        category = None
        if spec.get("category"):
            category = Category.objects.filter(code=spec["category"]).first()
            if category is None:
                continue
        SlaRule.objects.create(
            name=spec["name"],
            priority=spec.get("priority", ""),
            tier=spec.get("tier", ""),
            kind=spec.get("kind", ""),
            category=category,
            ack_amount=spec["ack"][0],
            ack_unit=spec["ack"][1],
            contact_amount=spec["contact"][0],
            contact_unit=spec["contact"][1],
            resolve_amount=spec["resolve"][0],
            resolve_unit=spec["resolve"][1],
            rank=spec["rank"],
        )
        created += 1
    bump(sla.SLA_RULES)
    return created
