"""The SMS transport: a pluggable backend named by settings.LINLI_SMS_BACKEND.

A backend is any class with `send(phone, text)`. "console" (the default) writes each message to the server log,
"locmem" keeps them in `outbox` for tests; a dotted path names a gateway's backend class. Messages are not sent
from here directly by the apps: they go through the outbox (linli.core.outbox.sms_enqueue), which calls
`sms_send` after the commit and retries with backoff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask_phone

logger = logging.getLogger("linli.sms")

ALIASES = {
    "console": "linli.core.sms.ConsoleSMSBackend",
    "locmem": "linli.core.sms.LocmemSMSBackend",
    # Values of LINLI_SMS_BACKEND written before the transport moved to core keep working.
    "linli.accounts.sms.ConsoleSMSBackend": "linli.core.sms.ConsoleSMSBackend",
    "linli.accounts.sms.LocmemSMSBackend": "linli.core.sms.LocmemSMSBackend",
}


class SMSBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


@dataclass(frozen=True)
class SMSMessage:
    phone: str
    text: str


class ConsoleSMSBackend:
    """Writes every message to the server log, for development and intranet trials without an SMS gateway."""

    def send(self, phone: str, text: str) -> None:
        logger.info("[SMS to %s] %s", mask_phone(phone), text)


# Messages sent through LocmemSMSBackend, oldest first; tests read and clear it.
outbox: list[SMSMessage] = []


class LocmemSMSBackend:
    """Keeps messages in `linli.core.sms.outbox` instead of sending them."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(SMSMessage(phone=phone, text=text))


def get_backend() -> SMSBackend:
    path = settings.LINLI_SMS_BACKEND
    backend_class = import_string(ALIASES.get(path, path))
    backend: SMSBackend = backend_class()
    return backend


def sms_send(*, phone: str, text: str) -> None:
    get_backend().send(phone, text)
