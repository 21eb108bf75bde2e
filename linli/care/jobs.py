"""Background work of care: keep every plan's schedule a fortnight ahead, chase visits and calls not done
(missed → the visitor is warned; still undone two days on → the community is told), and hand the hours volunteers
gave in care services, and the time volunteers and members gave in visits and calls, to the time bank
(core.served), once each; and tell the responsible worker when a plan's reassessment falls due (once per date)."""

from __future__ import annotations

from . import services


def chase() -> int:
    return services.care_contacts_chase()


def schedule() -> int:
    return services.care_schedules_extend()


def service_hours() -> int:
    return services.care_service_hours_hand_over()


def visit_hours() -> int:
    return services.care_contact_hours_hand_over()


def reassess() -> int:
    return services.care_reassessments_remind()


JOBS = {
    "care.chase": chase,
    "care.schedule": schedule,
    "care.service_hours": service_hours,
    "care.visit_hours": visit_hours,
    "care.reassess": reassess,
}
