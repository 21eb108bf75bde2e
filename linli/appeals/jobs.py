"""Background jobs of appeals, registered with linli.core.jobs (core.appconfig) and run by `linli worker`.

Each job only finds due rows and calls a service. Claims: on PostgreSQL each row is taken with
SELECT … FOR UPDATE SKIP LOCKED in claims of CLAIM rows, so concurrent workers never act on the same appeal
and share the due rows between them; on SQLite writers are
serialised and every service re-checks its marker under the lock (a second worker finds the work already done).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.core.errors import DomainError

from . import services
from .choices import ACK_CLOCK_STATES, OPEN_STATE_VALUES, RUNNING_STATES, TOTAL_CLOCK_STATES, AppealState
from .models import HAS_CONTACT, Appeal, AppealPart
from .services.refine import appeals_refine_waiting

BATCH = 200  # rows one job acts on in one round at most
CLAIM = (
    25  # rows claimed together on PostgreSQL: one locking query, each row then acted on in its own savepoint
)


def _each[M: (Appeal, AppealPart)](qs: QuerySet[M], act: Callable[[M], Any]) -> int:
    done = 0
    if connection.vendor == "postgresql":
        seen: list[int] = []  # rows claimed this round (one a service refused stays due: not again)
        while len(seen) < BATCH:
            with transaction.atomic():
                rows = list(
                    qs.exclude(pk__in=seen)
                    .order_by("pk")
                    .select_for_update(skip_locked=True, of=("self",))[:CLAIM]
                )
                for row in rows:
                    seen.append(row.pk)
                    try:
                        with transaction.atomic():
                            act(row)
                        done += 1
                    except DomainError:
                        continue
            if len(rows) < CLAIM:
                break
        return done
    for row in list(qs.order_by("pk")[:BATCH]):
        try:
            act(row)
            done += 1
        except DomainError:
            continue
    return done


@dataclass(frozen=True)
class RowJob[M: (Appeal, AppealPart)]:
    """One of the worker's jobs over a table's rows, declared once: `due(now)` is the filter that finds the rows
    due at `now`, `at(row)` the time from which that row may be due (what the filter compares with now), and `act`
    the service called on each. The worker runs it over the table (`run`); the demo, which lives one appeal at a
    time with the clock moved, asks whether the same filter finds its row (`finds`) and acts the same. A subclass
    names the rows it looks among (`rows`)."""

    due: Callable[[dt.datetime], Q]
    at: Callable[[M], dt.datetime | None]
    act: Callable[[M], object]

    def rows(self) -> QuerySet[M]:
        raise NotImplementedError

    def run(self) -> int:
        return _each(self.rows().filter(self.due(timezone.now())), self.act)

    def finds(self, row: M, now: dt.datetime) -> bool:
        return self.rows().filter(self.due(now), pk=row.pk).exists()


class AppealJob(RowJob[Appeal]):
    """A job over the appeals."""

    def rows(self) -> QuerySet[Appeal]:
        return Appeal.objects.all()


def close_after() -> dt.timedelta:
    """How long a rated appeal stays open for the resident to change their mind (LINLI_APPEAL_CLOSE_AFTER_HOURS)."""
    return dt.timedelta(hours=float(getattr(settings, "LINLI_APPEAL_CLOSE_AFTER_HOURS", 24)))


def _rated_until(appeal: Appeal) -> dt.datetime | None:
    return appeal.rated_at + close_after() if appeal.rated_at else None


APPEAL_JOBS: dict[str, AppealJob] = {
    # A resolution deadline is near.
    "appeals.warn": AppealJob(
        due=lambda now: Q(
            state__in=RUNNING_STATES, warn_at__lte=now, warned_at__isnull=True, resolve_due_at__gt=now
        ),
        at=lambda a: a.warn_at,
        act=lambda a: services.appeal_warn(appeal=a),
    ),
    # Not acknowledged in time (dispatched), or not dispatched in time from a triage desk (accepted).
    "appeals.ack_breaches": AppealJob(
        due=lambda now: Q(state__in=ACK_CLOCK_STATES, ack_due_at__lte=now, ack_breached_at__isnull=True),
        at=lambda a: a.ack_due_at,
        act=lambda a: services.appeal_breach(appeal=a, clock="ack"),
    ),
    # Nobody contacted the resident within the first-contact clock (an appeal with nobody to contact has none;
    # one an earlier version started on such an appeal is not missed).
    "appeals.contact_breaches": AppealJob(
        due=lambda now: Q(
            HAS_CONTACT,
            state__in=RUNNING_STATES,
            contact_due_at__lte=now,
            first_contact_at__isnull=True,
            contact_breached_at__isnull=True,
        ),
        at=lambda a: a.contact_due_at,
        act=lambda a: services.appeal_breach(appeal=a, clock="contact"),
    ),
    # Missed resolution deadlines: marked, and escalated one tier when the rule says so.
    "appeals.breaches": AppealJob(
        due=lambda now: Q(state__in=RUNNING_STATES, resolve_due_at__lte=now, breached_at__isnull=True),
        at=lambda a: a.resolve_due_at,
        act=lambda a: services.appeal_breach(appeal=a, clock="resolve"),
    ),
    # Missed total deadlines (the resident's clock from receipt): marked, and escalated one tier.
    "appeals.total_breaches": AppealJob(
        due=lambda now: Q(
            state__in=TOTAL_CLOCK_STATES, total_due_at__lte=now, total_breached_at__isnull=True
        ),
        at=lambda a: a.total_due_at,
        act=lambda a: services.appeal_breach(appeal=a, clock="total"),
    ),
    # The community calls the resident back after a resolution.
    "appeals.callbacks": AppealJob(
        due=lambda now: Q(HAS_CONTACT, state=AppealState.RESOLVED, callback_due_at__lte=now),
        at=lambda a: a.callback_due_at if a.has_contact else None,
        act=lambda a: services.callback_create(appeal=a),
    ),
    # ...or, with nobody to call back (no contact phone, no resident), it closes unrated when the rating window ends.
    "appeals.close_unrated": AppealJob(
        due=lambda now: Q(~HAS_CONTACT, state=AppealState.RESOLVED, callback_due_at__lte=now),
        at=lambda a: None if a.has_contact else a.callback_due_at,
        act=lambda a: services.appeal_close_unrated(appeal=a),
    ),
    # A new appeal is compared with open ones (并单 suggestions) a moment after intake, not inside its request.
    "appeals.duplicates": AppealJob(
        due=lambda now: Q(duplicates_pending=True, created_at__lte=now),
        at=lambda a: a.created_at if a.duplicates_pending else None,
        act=lambda a: services.duplicates_check(appeal=a),
    ),
    # A rated appeal closes once the resident's time to change their mind has passed.
    "appeals.close_rated": AppealJob(
        due=lambda now: Q(state=AppealState.RATED, rated_at__lte=now - close_after()),
        at=_rated_until,
        act=lambda a: services.appeal_close(actor=None, appeal=a, reason=""),
    ),
}


def _live_parts() -> QuerySet[AppealPart]:
    """Parts whose clocks run: not withdrawn, not said to be outside the unit's duty while the summoner decides
    (whistle_decline.py), of an open appeal that is not waiting on the resident."""
    return AppealPart.objects.filter(
        withdrawn_at__isnull=True, appeal__state__in=OPEN_STATE_VALUES, appeal__paused_at__isnull=True
    ).exclude(declined_at__isnull=False, insisted_at__isnull=True, reported_in_at__isnull=True)


class PartJob(RowJob[AppealPart]):
    """A job over summoned parts (吹哨报到), among the live ones."""

    def rows(self) -> QuerySet[AppealPart]:
        return _live_parts()


PART_JOBS: dict[str, PartJob] = {
    # Summoned units that have not reported in by their deadline are chased, and their leader told.
    "appeals.part_report_ins": PartJob(
        due=lambda now: Q(
            report_due_at__lte=now, reported_in_at__isnull=True, report_breached_at__isnull=True
        ),
        at=lambda p: p.report_due_at,
        act=lambda p: services.part_breach(part=p, clock="report"),
    ),
    # A part's finish date is near.
    "appeals.part_warn": PartJob(
        due=lambda now: Q(warn_at__lte=now, warned_at__isnull=True, done_at__isnull=True),
        at=lambda p: p.warn_at,
        act=lambda p: services.part_warn(part=p),
    ),
    # A part not finished by its date.
    "appeals.part_breaches": PartJob(
        due=lambda now: Q(due_at__lte=now, done_at__isnull=True, breached_at__isnull=True),
        at=lambda p: p.due_at,
        act=lambda p: services.part_breach(part=p, clock="finish"),
    ),
}


def monthly_topic_candidates() -> int:
    """每月一题: this ISO week's recurring-problem candidates (stored once per week; later runs do nothing)."""
    return services.topics_compute()


def prune_intake_counters() -> int:
    """Drop the guest-limit counters of windows long past (services.abuse)."""
    from .services.abuse import intake_counters_prune

    return intake_counters_prune()


JOBS: dict[str, Callable[[], int]] = {
    **{name: job.run for name, job in APPEAL_JOBS.items()},
    **{name: job.run for name, job in PART_JOBS.items()},
    "appeals.topics": monthly_topic_candidates,
    "appeals.intake_counters": prune_intake_counters,
    "appeals.triage_refine": appeals_refine_waiting,
}
