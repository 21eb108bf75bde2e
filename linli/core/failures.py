"""What a client gets when the server itself fails: the API always answers JSON `{code, message, extra}`.

Inside the API, `linli.api` turns a database that is away into 503 `unavailable` and any other unexpected error
into 500 `server_error`. Failures before the API is reached (a middleware reading the session while the database is
down) reach Django's handler500: `server_error` answers JSON there too for paths under /api/ and the Open311 feed,
and Django's plain error page elsewhere. The client never sees the exception's text. An address there that names
nothing reaches handler404: `not_found` answers JSON `not_found` in the reader's language, and the page elsewhere."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

JSON_PREFIXES = ("/api/", "/open311/")
UNAVAILABLE: dict[str, object] = {
    "code": "unavailable",
    "message": "服务暂时不可用，请稍后再试 / The service is briefly unavailable; try again shortly.",
    "extra": {},
}
SERVER_ERROR: dict[str, object] = {
    "code": "server_error",
    "message": "服务器出错，已记录 / Something went wrong on our side; it has been logged.",
    "extra": {},
}


def is_database_away(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def failure_body(exc: BaseException | None) -> tuple[dict[str, object], int]:
    return (UNAVAILABLE, 503) if is_database_away(exc) else (SERVER_ERROR, 500)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON for API clients (503 while the database is away), the error page for people."""
    if request.path.startswith(JSON_PREFIXES):
        body, status = failure_body(sys.exc_info()[1])
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
        if status == 503:
            response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON for an address under the API or the Open311 feed that names nothing (a client reads the
    code, a developer the address), the not-found page for people."""
    if request.path.startswith(JSON_PREFIXES):
        body = {
            "code": "not_found",
            "message": _("There is no such address in the API: %(path)s") % {"path": request.path},
            "extra": {},
        }
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)


class RefusalsWithoutTraceback(logging.Filter):
    """The server log keeps a line for each refusal (403, 404, 405 …) but no traceback: a refusal is the
    application working, and a traceback per 403 buried the real failures (5xx keep theirs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.") and isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
