"""A refusal leaves one line in the server log, not a traceback; a server failure keeps its traceback."""

from __future__ import annotations

import logging
import sys

from linli.core.failures import RefusalsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: /x/", (), info)
    record.status_code = status
    return record


def test_a_refusal_is_logged_without_its_traceback_and_a_failure_with_it() -> None:
    refusal, failure = _record(403), _record(500)
    assert RefusalsWithoutTraceback().filter(refusal) and RefusalsWithoutTraceback().filter(failure)
    assert refusal.exc_info is None
    assert failure.exc_info is not None
    assert "Traceback" not in logging.Formatter().format(refusal)
    assert "Traceback" in logging.Formatter().format(failure)


def test_the_server_log_uses_the_filter() -> None:
    from django.conf import settings

    assert "refusals" in settings.LOGGING["handlers"]["console"]["filters"]
