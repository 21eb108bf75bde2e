"""What care adds to the lower layers' registries: the hours volunteers gave in care services, offered to the time
bank through core.service_hours (volunteering sits beside care and may not import it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from linli.core import service_hours

from .choices import ServiceState
from .models import CareService


def care_service_hours(since: dt.date) -> Iterable[service_hours.HoursGiven]:
    """Each delivered care service a volunteer gave since the day, once per service (its `source` key)."""
    rows = (
        CareService.objects.filter(
            state=ServiceState.DELIVERED, volunteer__isnull=False, delivered_at__date__gte=since
        )
        .select_related("plan__resident")
        .order_by("delivered_at", "id")
    )
    for row in rows:
        yield service_hours.HoursGiven(
            account_id=row.volunteer_id or 0,
            hours=row.hours,
            on=row.scheduled_on,
            note=f"{row.get_kind_display()} · {row.plan.resident.name[:1]}**",
            source=f"care.service:{row.pk}",
        )


def register() -> None:
    service_hours.register("care.services", care_service_hours)
