"""The one-time code a resident reads in the last SMS sent (the `sms_outbox` fixture's list): every test that signs a
resident in by code, through the pages, the API or the browser, reads it here."""

from __future__ import annotations

import re

from linli.core import sms


def last_code(outbox: list[sms.SMSMessage]) -> str:
    """The six digits of the last SMS in `outbox`."""
    match = re.search(r"\d{6}", outbox[-1].text)
    assert match, outbox[-1].text
    return match.group(0)
