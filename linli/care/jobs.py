"""Background work of care: keep every plan's schedule a fortnight ahead, and chase visits and calls not done
(missed → the visitor is warned; still undone two days on → the community is told)."""

from __future__ import annotations

from . import services


def chase() -> int:
    return services.care_contacts_chase()


def schedule() -> int:
    return services.care_schedules_extend()


JOBS = {"care.chase": chase, "care.schedule": schedule}
