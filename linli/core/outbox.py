"""The outbox and the in-app inbox.

A message that leaves the system (SMS, email, webhook) is written as an OutboxMessage row in the same
transaction as the change that caused it, so it exists exactly when the change does. After the commit
(`transaction.on_commit`) the process tries to deliver it at once; the `outbox` worker job retries what failed,
with exponential backoff, until LINLI_OUTBOX_MAX_ATTEMPTS. Claims are safe with many workers: SELECT … FOR UPDATE
SKIP LOCKED on PostgreSQL, and a compare-and-swap on `claimed_until` everywhere (SQLite serialises writers).
Inbox entries are plain rows written in the transaction: they leave nothing outside the database.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from . import sms
from .crypto import decrypt, encrypt
from .models import Notification, OutboxChannel, OutboxMessage, OutboxStatus
from .scoping import Account

logger = logging.getLogger("linli.outbox")

CLAIM_SECONDS = 120


def _max_attempts() -> int:
    return int(getattr(settings, "LINLI_OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt n+1: 30 s, 1 min, 2 min, 4 min … capped at 6 hours."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def notification_create(
    *, user: Account | None, title: str, body: str = "", url: str = ""
) -> Notification | None:
    """An inbox entry for a user (nothing for anonymous or missing users)."""
    written = notifications_create([(user, url)], title=title, body=body)
    return written[0] if written else None


def notifications_create(
    people: Iterable[tuple[Account | None, str]], *, title: str, body: str = ""
) -> list[Notification]:
    """The same inbox entry for each (user, url), in one insert however many there are (nothing for anonymous or
    missing users)."""
    return Notification.objects.bulk_create(
        Notification(user_id=user.pk, title=str(title)[:200], body=str(body), url=url[:300])
        for user, url in people
        if user is not None and user.pk
    )


def notification_after_commit(*, user: Account | None, title: str, body: str = "", url: str = "") -> None:
    """`notification_create`, queued for after the commit of the write that causes it (nothing if it rolls back)."""
    if user is not None:
        transaction.on_commit(lambda: notification_create(user=user, title=title, body=body, url=url))


def notifications_unread_count(user: Account) -> int:
    """How many of `user`'s notifications are not read yet (the inbox's heading, the resident's home)."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notifications_mark_read(*, actor: Account, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when ids is None); returns how many changed."""
    qs = Notification.objects.filter(user_id=actor.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def outbox_enqueue(
    *, channel: str, recipient: str, payload: dict[str, Any], at_once: bool | None = None
) -> OutboxMessage | None:
    """Write a message for delivery after the surrounding transaction commits. It is tried right after the commit
    when `at_once` (by default LINLI_OUTBOX_SEND_ON_COMMIT), and by the worker otherwise or if that try fails."""
    written = outbox_enqueue_many(channel=channel, recipients=[recipient], payload=payload, at_once=at_once)
    return written[0] if written else None


def outbox_enqueue_many(
    *, channel: str, recipients: Iterable[str], payload: dict[str, Any], at_once: bool | None = None
) -> list[OutboxMessage]:
    """`outbox_enqueue` of the same message to each recipient, in one insert however many there are."""
    if channel == OutboxChannel.INBOX:
        raise ValueError("inbox entries are written with notification_create")
    now = timezone.now()
    written = OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=channel, recipient=recipient, payload=payload, next_attempt_at=now)
        for recipient in recipients
        if recipient
    )
    if written and (
        at_once if at_once is not None else getattr(settings, "LINLI_OUTBOX_SEND_ON_COMMIT", True)
    ):
        pks = [m.pk for m in written]
        transaction.on_commit(lambda: _deliver_after_commit(pks), robust=True)
    return written


def _deliver_after_commit(pks: list[int]) -> None:
    """Try the messages right after the commit. The change that queued them is already saved: nothing that goes
    wrong here reaches the request; a message not sent stays due and the worker retries it with backoff."""
    try:
        outbox_deliver_ids(pks)
    except Exception:  # a database error while claiming or recording: the worker picks the messages up later
        logger.exception(
            "outbox: delivery of messages %s right after the commit failed; left for the worker", pks
        )


def sms_enqueue(*, phone: str, text: str, secret: bool = False, about: str = "") -> OutboxMessage | None:
    """An SMS for delivery after the commit. A `secret` text (a one-time code) is stored encrypted, so the outbox
    table and its admin page never show it, and is always tried right after the commit: someone is waiting for it.
    `about` names the event the text is about ("sensors.alarm:12"), so it can be withdrawn when that event ends."""
    if secret:
        sealed = {"sealed_text": encrypt(str(text))}
        return outbox_enqueue(channel=OutboxChannel.SMS, recipient=phone, payload=sealed, at_once=True)
    payload = {"text": str(text), "about": about} if about else {"text": str(text)}
    return outbox_enqueue(channel=OutboxChannel.SMS, recipient=phone, payload=payload)


def outbox_withdraw(*, about: str) -> int:
    """The event `about` is over: its messages that have not left yet (queued in this transaction, or waiting
    for a retry after a gateway failure) are no longer needed and are dropped; what was sent stays on record.
    Returns how many."""
    if not about:
        return 0
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING, payload__about=about).delete()[0]


def _send(message: OutboxMessage) -> None:
    payload = message.payload
    if message.channel == OutboxChannel.SMS:
        text = decrypt(payload["sealed_text"]) if "sealed_text" in payload else payload["text"]
        sms.sms_send(phone=message.recipient, text=text)
    elif message.channel == OutboxChannel.EMAIL:
        send_mail(
            payload.get("subject", ""),
            payload.get("text", ""),
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [message.recipient],
        )
    elif message.channel == OutboxChannel.WEBHOOK:
        body = json.dumps(payload.get("json", payload), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            message.recipient, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        timeout = float(getattr(settings, "LINLI_WEBHOOK_TIMEOUT", 5))
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status >= 300:
                raise RuntimeError(f"HTTP {response.status}")
    else:
        raise ValueError(f"unknown channel {message.channel}")


def _claim(pk: int, now: dt.datetime) -> dt.datetime | None:
    """Compare-and-swap claim of one due message. Returns the lease's end, which is also the claim's token: the
    outcome of the send is written only while the row still carries it, and None if another process holds it."""
    due = Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_until__lt=now)
    until = now + dt.timedelta(seconds=CLAIM_SECONDS)
    claimed = OutboxMessage.objects.filter(due, pk=pk, next_attempt_at__lte=now).update(
        status=OutboxStatus.SENDING, claimed_until=until
    )
    return until if claimed == 1 else None


class _Lease:
    """Keeps a claim alive while its one message is being sent, however slow the gateway: every half lease a
    timer thread moves `claimed_until` on (only while the row still carries this claim). A worker killed mid-send
    stops renewing, so its message falls due again one lease later and another worker sends it."""

    def __init__(self, pk: int, until: dt.datetime) -> None:
        self.pk, self.until = pk, until
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"outbox-lease-{pk}", daemon=True)

    def __enter__(self) -> _Lease:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _renew(self) -> None:
        try:
            while not self._stop.wait(CLAIM_SECONDS / 2):
                until = timezone.now() + dt.timedelta(seconds=CLAIM_SECONDS)
                if not OutboxMessage.objects.filter(pk=self.pk, claimed_until=self.until).update(
                    claimed_until=until
                ):
                    return
                self.until = until
        except Exception:  # the database is away: the claim lapses and the message is tried again later
            logger.exception("outbox: renewing the claim of message %s failed", self.pk)
        finally:
            connections.close_all()  # this thread's own connections


def _attempt(message: OutboxMessage, until: dt.datetime) -> bool:
    lease = _Lease(message.pk, until)
    with lease:
        try:
            _send(message)
        except Exception as exc:  # any failure of a gateway is retried, never lost
            error: Exception | None = exc
        else:
            error = None
    mine = OutboxMessage.objects.filter(pk=message.pk, claimed_until=lease.until)
    if error is not None:
        attempts = message.attempts + 1
        failed = attempts >= _max_attempts()
        mine.update(
            attempts=attempts,
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            next_attempt_at=timezone.now() + backoff(attempts),
            claimed_until=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning(
            "outbox %s to %s failed (attempt %s): %s", message.channel, message.pk, attempts, error
        )
        return False
    mine.update(
        status=OutboxStatus.SENT, attempts=message.attempts + 1, sent_at=timezone.now(), claimed_until=None
    )
    return True


def _claim_and_send(pk: int) -> bool:
    """Claim one message at the moment it is sent (never a batch: a claim taken for a hundred messages runs out
    while a slow gateway works through them, and another worker sends the rest again) and send it."""
    until = _claim(pk, timezone.now())
    if until is None:
        return False
    message = OutboxMessage.objects.filter(pk=pk).first()
    return message is not None and _attempt(message, until)


def outbox_deliver_ids(ids: list[int]) -> int:
    """Deliver these messages now if they are still due (used right after a commit). Returns how many went."""
    return sum(int(_claim_and_send(pk)) for pk in ids)


def outbox_deliver_due(*, limit: int = 100) -> int:
    """Deliver due messages (the worker job), each claimed just before it is sent. Returns how many were sent."""
    now = timezone.now()
    due = Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_until__lt=now)
    ids = list(
        OutboxMessage.objects.filter(due, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(int(_claim_and_send(pk)) for pk in ids)


def outbox_discard(*, channel: str, recipients: Iterable[str]) -> int:
    """Drop the messages of `channel` to these recipients that have not left yet (pending: queued in the caller's
    transaction or waiting for a retry), so they never leave; what was sent or finally failed stays on record.
    The demo loader calls it for the text messages its services queued for made-up residents. Returns how many."""
    wanted = sorted({str(r) for r in recipients if r})
    dropped = 0
    for start in range(0, len(wanted), 500):  # bounded IN lists (SQLite's variable limit)
        dropped += OutboxMessage.objects.filter(
            channel=channel, status=OutboxStatus.PENDING, recipient__in=wanted[start : start + 500]
        ).delete()[0]
    return dropped
