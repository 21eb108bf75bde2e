"""Limits on what guests (not signed in) may do: submit appeals (per mobile number a day and per network address
an hour) and fail to find an appeal by tracking number and phone (per network address an hour). The counts are rows in the database (IntakeCounter, one per key and window, bumped with a conditional
UPDATE), so every web process on every machine shares them; process memory would let each process count alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import DomainError

from ..models import IntakeCounter


class TooManyAppeals(DomainError):
    code = "too_many_appeals"
    status = 429


def _window(now: dt.datetime, length: dt.timedelta) -> dt.datetime:
    seconds = int(length.total_seconds())
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


def _take(key: str, *, limit: int, length: dt.timedelta, now: dt.datetime) -> bool:
    """Count one submission under `key` in the current window; False (nothing counted) when the limit is hit."""
    start = _window(now, length)
    if IntakeCounter.objects.filter(key=key, window_start=start, count__lt=limit).update(
        count=F("count") + 1
    ):
        return True
    if IntakeCounter.objects.filter(key=key, window_start=start).exists():
        return False
    try:
        with transaction.atomic():
            IntakeCounter.objects.create(key=key, window_start=start, count=1)
    except IntegrityError:  # a parallel request made the row first: count against it
        return _take(key, limit=limit, length=length, now=now)
    return limit >= 1


def guest_intake_check(*, phone: str, address: str, now: dt.datetime | None = None) -> None:
    """Count a guest's submission against its phone number and network address; raise TooManyAppeals (nothing
    counted for the other key) when either limit is reached."""
    now = now or timezone.now()
    day, hour = dt.timedelta(days=1), dt.timedelta(hours=1)
    with transaction.atomic():
        if address and not _take(
            f"ip:{address}"[:80], limit=settings.LINLI_GUEST_APPEALS_PER_ADDRESS_HOUR, length=hour, now=now
        ):
            raise TooManyAppeals(
                _("Too many appeals were sent from this network in the last hour. Please try again later.")
            )
        if phone and not _take(
            f"phone:{phone}", limit=settings.LINLI_GUEST_APPEALS_PER_PHONE_DAY, length=day, now=now
        ):
            raise TooManyAppeals(
                _(
                    "Too many appeals were sent with this mobile number today. Please try again tomorrow, "
                    "or sign in with your number."
                ),
                extra={"field": "contact_phone"},
            )


def _current(key: str, *, length: dt.timedelta, now: dt.datetime) -> int:
    row = IntakeCounter.objects.filter(key=key, window_start=_window(now, length)).first()
    return row.count if row is not None else 0


def track_failures_exceeded(*, address: str, limit: int, now: dt.datetime | None = None) -> bool:
    """Whether this network address failed `limit` look-ups by tracking number and phone in the current hour."""
    return _current(f"track:{address}"[:80], length=dt.timedelta(hours=1), now=now or timezone.now()) >= limit


def track_failure_record(*, address: str, limit: int, now: dt.datetime | None = None) -> None:
    """Count one failed look-up against the network address (against guessing numbers and phones)."""
    with transaction.atomic():
        _take(f"track:{address}"[:80], limit=limit, length=dt.timedelta(hours=1), now=now or timezone.now())


def intake_counters_prune(*, now: dt.datetime | None = None) -> int:
    """Drop counters of windows that ended more than a day ago (the worker's daily tidy-up)."""
    now = now or timezone.now()
    deleted, _kinds = IntakeCounter.objects.filter(window_start__lt=now - dt.timedelta(days=2)).delete()
    return deleted
