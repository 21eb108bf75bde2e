"""The territory's background job: remind grid workers of tenants' leases ending soon (run by `linli worker`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.outbox import notification_create

from .choices import ResidentStatus
from .models import Resident


def lease_reminder_days() -> int:
    return int(settings.LINLI_LEASE_REMINDER_DAYS)


def lease_reminders_send() -> int:
    """Each tenant whose lease ends within LINLI_LEASE_REMINDER_DAYS (30) and who has not been reminded of that
    end date: claim the row (compare-and-swap on the reminded date, safe with many workers) and put a notice in
    the inbox of each worker of their grid. Returns how many tenants were reminded of."""
    today = timezone.localdate()
    due = (
        Resident.objects.filter(
            status=ResidentStatus.PRESENT,
            lease_ends_on__gte=today,
            lease_ends_on__lte=today + dt.timedelta(days=lease_reminder_days()),
        )
        .filter(Q(lease_reminded_for__isnull=True) | ~Q(lease_reminded_for=F("lease_ends_on")))
        .values_list("pk", "lease_reminded_for", "lease_ends_on")
    )
    done = 0
    for pk, reminded, ends in list(due[:1000]):
        if ends is None:  # excluded by the filter; keeps the type checker informed
            continue
        with transaction.atomic():
            claimed = Resident.objects.filter(pk=pk, lease_reminded_for=reminded, lease_ends_on=ends).update(
                lease_reminded_for=ends
            )
            if claimed != 1:
                continue
            resident = Resident.objects.select_related("grid", "household").get(pk=pk)
            _notify(resident, ends)
            done += 1
    return done


def _notify(resident: Resident, ends: dt.date) -> None:
    title = _("Lease of %(name)s ends on %(date)s") % {"name": resident.name, "date": ends.isoformat()}
    where = resident.household.address if resident.household else resident.grid.name
    body = _("%(address)s: visit the tenant to learn whether they stay or leave.") % {"address": where}
    for worker in resident.grid.workers.all():
        notification_create(user=worker, title=title, body=body, url=f"/territory/residents/{resident.pk}/")


JOBS: dict[str, Callable[[], int]] = {"territory.lease_reminders": lease_reminders_send}
