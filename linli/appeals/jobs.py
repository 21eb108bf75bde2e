"""Background jobs of appeals, registered with linli.core.jobs in AppealsConfig.ready() and run by `linli worker`.

Each job only finds due rows and calls a service. Claims: on PostgreSQL each row is taken with
SELECT … FOR UPDATE SKIP LOCKED, so concurrent workers never act on the same appeal; on SQLite writers are
serialised and every service re-checks its marker under the lock (a second worker finds the work already done).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from linli.core.errors import DomainError

from . import services
from .choices import ACK_CLOCK_STATES, OPEN_STATE_VALUES, RUNNING_STATES, TOTAL_CLOCK_STATES, AppealState
from .models import Appeal, AppealPart

BATCH = 200


def _each[M: (Appeal, AppealPart)](qs: QuerySet[M], act: Callable[[M], Any]) -> int:
    done = 0
    if connection.vendor == "postgresql":
        seen: list[int] = []
        for _ in range(BATCH):
            with transaction.atomic():
                row = (
                    qs.exclude(pk__in=seen)
                    .order_by("pk")
                    .select_for_update(skip_locked=True, of=("self",))
                    .first()
                )
                if row is None:
                    break
                seen.append(row.pk)
                try:
                    with transaction.atomic():
                        act(row)
                    done += 1
                except DomainError:
                    continue
        return done
    for row in list(qs.order_by("pk")[:BATCH]):
        try:
            act(row)
            done += 1
        except DomainError:
            continue
    return done


def warn_due() -> int:
    now = timezone.now()
    qs = Appeal.objects.filter(
        state__in=RUNNING_STATES, warn_at__lte=now, warned_at__isnull=True, resolve_due_at__gt=now
    )
    return _each(qs, lambda a: services.appeal_warn(appeal=a))


def mark_ack_breaches() -> int:
    """Not acknowledged in time (dispatched), or not dispatched in time from a triage desk (accepted)."""
    now = timezone.now()
    qs = Appeal.objects.filter(state__in=ACK_CLOCK_STATES, ack_due_at__lte=now, ack_breached_at__isnull=True)
    return _each(qs, lambda a: services.appeal_breach(appeal=a, clock="ack"))


def mark_contact_breaches() -> int:
    """Nobody contacted the resident within the first-contact clock."""
    now = timezone.now()
    qs = Appeal.objects.filter(
        state__in=RUNNING_STATES,
        contact_due_at__lte=now,
        first_contact_at__isnull=True,
        contact_breached_at__isnull=True,
    )
    return _each(qs, lambda a: services.appeal_breach(appeal=a, clock="contact"))


def mark_breaches() -> int:
    """Missed resolution deadlines: marked, and escalated one tier when the rule says so."""
    now = timezone.now()
    qs = Appeal.objects.filter(state__in=RUNNING_STATES, resolve_due_at__lte=now, breached_at__isnull=True)
    return _each(qs, lambda a: services.appeal_breach(appeal=a, clock="resolve"))


def mark_total_breaches() -> int:
    """Missed total deadlines (the resident's clock from receipt): marked, and escalated one tier."""
    now = timezone.now()
    qs = Appeal.objects.filter(
        state__in=TOTAL_CLOCK_STATES, total_due_at__lte=now, total_breached_at__isnull=True
    )
    return _each(qs, lambda a: services.appeal_breach(appeal=a, clock="total"))


def create_callbacks() -> int:
    now = timezone.now()
    qs = Appeal.objects.filter(state=AppealState.RESOLVED, callback_due_at__lte=now)
    return _each(qs, lambda a: services.callback_create(appeal=a))


def _live_parts() -> QuerySet[AppealPart]:
    return AppealPart.objects.filter(withdrawn_at__isnull=True, appeal__state__in=OPEN_STATE_VALUES)


def chase_part_report_ins() -> int:
    """吹哨报到: summoned units that have not reported in by their deadline are chased, and their leader told."""
    qs = _live_parts().filter(
        report_due_at__lte=timezone.now(), reported_in_at__isnull=True, report_breached_at__isnull=True
    )
    return _each(qs, lambda p: services.part_breach(part=p, clock="report"))


def warn_parts() -> int:
    qs = _live_parts().filter(warn_at__lte=timezone.now(), warned_at__isnull=True, done_at__isnull=True)
    return _each(qs, lambda p: services.part_warn(part=p))


def mark_part_breaches() -> int:
    qs = _live_parts().filter(due_at__lte=timezone.now(), done_at__isnull=True, breached_at__isnull=True)
    return _each(qs, lambda p: services.part_breach(part=p, clock="finish"))


def monthly_topic_candidates() -> int:
    """每月一题: this ISO week's recurring-problem candidates (stored once per week; later runs do nothing)."""
    return services.topics_compute()


def close_rated() -> int:
    hours = float(getattr(settings, "LINLI_APPEAL_CLOSE_AFTER_HOURS", 24))
    qs = Appeal.objects.filter(
        state=AppealState.RATED, rated_at__lte=timezone.now() - dt.timedelta(hours=hours)
    )
    return _each(qs, lambda a: services.appeal_close(actor=None, appeal=a, reason=""))


def prune_intake_counters() -> int:
    """Drop the guest-limit counters of windows long past (services.abuse)."""
    from .services.abuse import intake_counters_prune

    return intake_counters_prune()


JOBS: dict[str, Callable[[], int]] = {
    "appeals.warn": warn_due,
    "appeals.ack_breaches": mark_ack_breaches,
    "appeals.contact_breaches": mark_contact_breaches,
    "appeals.breaches": mark_breaches,
    "appeals.total_breaches": mark_total_breaches,
    "appeals.callbacks": create_callbacks,
    "appeals.close_rated": close_rated,
    "appeals.topics": monthly_topic_candidates,
    "appeals.part_report_ins": chase_part_report_ins,
    "appeals.part_warn": warn_parts,
    "appeals.part_breaches": mark_part_breaches,
    "appeals.intake_counters": prune_intake_counters,
}
