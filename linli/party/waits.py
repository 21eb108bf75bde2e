"""How long a 双报到 registration has waited for the community's decision, and for whom it waits.

A registration is decided by the community the member registered with (`registration_decide`: its community
workers, the street, administrators), never by the member's branch, which only follows it on 我的支部. A
registration still pending after `REGISTRATION_DECIDE_WORKING_DAYS` working days (by `core.workdays`, the official
holiday calendar) is overdue: the deciders' list puts the oldest first and marks it, the staff home counts it as
late, the API gives each its working days waited."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.workdays import is_workday

from .choices import RegistrationStatus
from .models import MemberRegistration

# One working week: the community answers a member who registered within five working days (Linli's rule; the
# sources describe registering, not a time limit).
REGISTRATION_DECIDE_WORKING_DAYS = 5


def working_days_waited(since: dt.date, today: dt.date | None = None) -> int:
    """The working days after `since` up to and including `today`: 0 on the day itself."""
    today = today or timezone.localdate()
    day, waited = since + dt.timedelta(days=1), 0
    while day <= today:
        waited += is_workday(day)
        day += dt.timedelta(days=1)
    return waited


def overdue_before(today: dt.date | None = None) -> dt.date:
    """A registration made before this day has waited more than `REGISTRATION_DECIDE_WORKING_DAYS` working days."""
    day, counted = today or timezone.localdate(), 0
    while True:
        counted += is_workday(day)
        if counted > REGISTRATION_DECIDE_WORKING_DAYS:
            return day
        day -= dt.timedelta(days=1)


def waited(registration: MemberRegistration, today: dt.date | None = None) -> int | None:
    """Working days a pending registration has waited for the decision; None once decided."""
    if registration.status != RegistrationStatus.PENDING:
        return None
    return working_days_waited(registration.registered_on, today)


def waited_and_overdue(
    registration: MemberRegistration, today: dt.date | None = None
) -> tuple[int | None, bool]:
    """`waited`, and whether that is more than the rule: the days counted once for both."""
    days = waited(registration, today)
    return days, days is not None and days > REGISTRATION_DECIDE_WORKING_DAYS


def waits_for(registration: MemberRegistration) -> str:
    """Who acts next on the registration, in words: the community, which decides it and then gives the post."""
    if registration.status == RegistrationStatus.PENDING:
        return _("Waiting for %(community)s to decide") % {"community": registration.community.name}
    if registration.status == RegistrationStatus.APPROVED:
        return _("Waiting for %(community)s to give a post") % {"community": registration.community.name}
    return ""
