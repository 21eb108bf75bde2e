from __future__ import annotations

from collections.abc import Iterator

import pytest

from linli.core import sms


@pytest.fixture(autouse=True)
def sms_outbox(settings) -> Iterator[list[sms.SMSMessage]]:  # type: ignore[no-untyped-def]
    """Every accounts test sends SMS into a list instead of the log."""
    settings.LINLI_SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
