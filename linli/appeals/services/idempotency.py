"""Idempotency-Keys of API submissions, as the IETF draft "The Idempotency-Key HTTP Header Field" has them.

The key is reserved in a committed row of its own, with the fingerprint of the request (SHA-256 of its canonical
JSON), before the appeal is written: a second request under the key with another body is refused (422
`idempotency_key_mismatch`), one arriving while the first is still being handled is told to retry later (409
`idempotency_in_flight`), and one after the first finished gets the first appeal (the API answers 200): only the
first request answers 201. Keys are kept whole (up to 255 characters; longer is refused, never cut, so two keys
sharing a prefix never meet). A reservation whose request died (the process killed) is taken over after
STALE_SECONDS."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, ValidationFailed

from ..models import Appeal, IdempotencyRecord
from ..models.idempotency import KEY_MAX

STALE_SECONDS = 60


def request_fingerprint(payload: dict[str, Any]) -> str:
    """SHA-256 of the request's content in canonical JSON (sorted keys), so spacing and key order do not count."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key_clean(key: str) -> str:
    key = (key or "").strip()
    if len(key) > KEY_MAX:
        raise ValidationFailed(
            _("The Idempotency-Key may have at most %(n)s characters.") % {"n": KEY_MAX},
            code="idempotency_key_too_long",
            extra={"field": "Idempotency-Key"},
        )
    return key


def idempotency_reserve(*, key: str, fingerprint: str, now: dt.datetime | None = None) -> Appeal | None:
    """Reserve `key` for this request. None: this request is the first and goes on (call idempotency_finish or
    idempotency_release after). An appeal: the first request under the key created it (a replay)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(key=key, fingerprint=fingerprint, started_at=now)
        return None
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.select_related("appeal").filter(key=key).first()
    if record is None:  # released in between: try once more
        return idempotency_reserve(key=key, fingerprint=fingerprint, now=now)
    if record.fingerprint != fingerprint:
        raise ValidationFailed(
            _("This Idempotency-Key was used for a different request; use a new key for a new appeal."),
            code="idempotency_key_mismatch",
        )
    if record.appeal is not None:
        return record.appeal
    stale = record.started_at < now - dt.timedelta(seconds=STALE_SECONDS)
    if stale and IdempotencyRecord.objects.filter(
        pk=record.pk, started_at=record.started_at, appeal__isnull=True
    ).update(started_at=now):
        return None
    raise Conflict(
        _("The first request with this Idempotency-Key is still being handled; try again in a moment."),
        code="idempotency_in_flight",
    )


def idempotency_finish(*, key: str, appeal: Appeal) -> None:
    IdempotencyRecord.objects.filter(key=key).update(appeal=appeal)


def idempotency_release(*, key: str) -> None:
    """The first request failed (bad input, a refusal): the key is free for a corrected request."""
    IdempotencyRecord.objects.filter(key=key, appeal__isnull=True).delete()
