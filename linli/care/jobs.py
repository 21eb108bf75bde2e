"""Background work of care: keep every plan's schedule a fortnight ahead, chase visits and calls not done
(missed → the visitor is warned; still undone two days on → the community is told), and hand the hours volunteers
gave in care services to the time bank (core.served), once each."""

from __future__ import annotations

from . import services


def chase() -> int:
    return services.care_contacts_chase()


def schedule() -> int:
    return services.care_schedules_extend()


def service_hours() -> int:
    return services.care_service_hours_hand_over()


JOBS = {"care.chase": chase, "care.schedule": schedule, "care.service_hours": service_hours}
