"""How long a 双报到 registration has waited for the community, and for whom it waits.

The community the member registered with takes both of the registration's steps (`registration_decide`: its
community workers, the street, administrators), never the member's branch, which only follows it on 我的支部: it
decides (approve or refuse), then gives the approved member a post in one of its grids. Each step is timed by one
rule: the community takes it within `REGISTRATION_STEP_WORKING_DAYS` working days (by `core.workdays`, the official
holiday calendar) of the day it became due: the day registered for the decision, the day approved (Beijing's day)
for the post. A registration waiting longer is overdue: the deciders' list puts the oldest first and marks it, the
staff home's to-dos (`waiting.py`) count it as late, the API gives each its working days waited.

One definition, two readings: `waiting_since` (a row in hand) and `WAITING_SINCE` (the same in the database, for
the list's order and the to-dos' counts), both held to the rule only through `overdue_before`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateField, F, QuerySet, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.workdays import is_workday

from .choices import RegistrationStatus
from .models import MemberRegistration

# One working week for each of the community's steps: it decides within five working days of the registration, and
# gives an approved member a post within five working days of the approval (Linli's rule; the sources describe
# registering and posting, not a time limit).
REGISTRATION_STEP_WORKING_DAYS = 5


def working_days_waited(since: dt.date, today: dt.date | None = None) -> int:
    """The working days after `since` up to and including `today`: 0 on the day itself."""
    today = today or timezone.localdate()
    day, waited = since + dt.timedelta(days=1), 0
    while day <= today:
        waited += is_workday(day)
        day += dt.timedelta(days=1)
    return waited


def overdue_before(today: dt.date | None = None) -> dt.date:
    """A step due before this day has waited more than `REGISTRATION_STEP_WORKING_DAYS` working days."""
    day, counted = today or timezone.localdate(), 0
    while True:
        counted += is_workday(day)
        if counted > REGISTRATION_STEP_WORKING_DAYS:
            return day
        day -= dt.timedelta(days=1)


def waiting_since(registration: MemberRegistration) -> dt.date | None:
    """The day the community's next step became due: registered (pending, to decide), approved (to give a post;
    a row approved before the time was kept counts from its registration); None when nothing waits."""
    if registration.status == RegistrationStatus.PENDING:
        return registration.registered_on
    if registration.status == RegistrationStatus.APPROVED:
        if registration.decided_at is None:
            return registration.registered_on
        return timezone.localdate(registration.decided_at)
    return None


# `waiting_since` in the database (TruncDate takes the day in the current time zone, as `localdate` does).
WAITING_SINCE = Case(
    When(status=RegistrationStatus.PENDING, then=F("registered_on")),
    When(status=RegistrationStatus.APPROVED, then=Coalesce(TruncDate("decided_at"), F("registered_on"))),
    default=None,
    output_field=DateField(),
)


def overdue(
    registrations: QuerySet[MemberRegistration], today: dt.date | None = None
) -> QuerySet[MemberRegistration]:
    """Those of `registrations` waiting longer than the rule for the community's next step."""
    return registrations.annotate(waiting_since=WAITING_SINCE).filter(waiting_since__lt=overdue_before(today))


def waited(registration: MemberRegistration, today: dt.date | None = None) -> int | None:
    """Working days the registration has waited for the community's next step; None when nothing waits."""
    since = waiting_since(registration)
    return None if since is None else working_days_waited(since, today)


def waited_and_overdue(
    registration: MemberRegistration, today: dt.date | None = None
) -> tuple[int | None, bool]:
    """`waited`, and whether that is more than the rule (due before `overdue_before`, as `overdue` asks the
    database)."""
    since = waiting_since(registration)
    if since is None:
        return None, False
    return working_days_waited(since, today), since < overdue_before(today)


def waits_for(registration: MemberRegistration) -> str:
    """Who acts next on the registration, in words: the community, which decides it and then gives the post."""
    if registration.status == RegistrationStatus.PENDING:
        return _("Waiting for %(community)s to decide") % {"community": registration.community.name}
    if registration.status == RegistrationStatus.APPROVED:
        return _("Waiting for %(community)s to give a post") % {"community": registration.community.name}
    return ""
