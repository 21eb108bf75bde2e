"""The JSON API under /api, with OpenAPI docs at /api/docs. Each app contributes a router."""

from __future__ import annotations

import logging

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from linli.accounts.auth import api_auth
from linli.core.api_errors import (
    body_not_json,
    csrf_missing,
    field_errors,
    refused_request_message,
    sign_in_first,
)
from linli.core.errors import DomainError
from linli.core.failures import failure_body

logger = logging.getLogger("linli.api")

# Staff endpoints take an API key (`Authorization: Bearer ll_…`, for other systems) or the browser session
# (with CSRF); public endpoints say auth=None.
api = NinjaAPI(
    auth=api_auth,
    title="Linli API",
    version="1",
    description="Linli (邻里) community governance: territory, appeals and more. Personal data is masked.",
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": sign_in_first(), "extra": {}}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "error"
    )
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # ninja's words for a body that is not JSON: say it in the reader's language.
        code, message = "invalid", body_not_json()
    elif exc.status_code == 403 and message == "CSRF check Failed":
        # ninja's words for a session write without its CSRF token (an API key needs none).
        code, message = "csrf", csrf_missing()
    return api.create_response(
        request, {"code": code, "message": message, "extra": {}}, status=exc.status_code
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # `fields`: each refused field with what is wrong, in the reader's language; `errors`: pydantic's own, for programs.
    fields = field_errors(exc.errors)
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": refused_request_message(fields),
            "extra": {"fields": fields, "errors": exc.errors},
        },
        status=422,
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A number no column can hold (an id or offset beyond 64 bits): SQLite raises OverflowError, PostgreSQL DataError.
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": "数值超出范围 / A number in the request is out of range.",
            "extra": {},
        },
        status=422,
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never an HTML page or a stack trace: 503 while the database is away, 500 for anything else (logged).
    logger.error("API %s %s failed", request.method, request.path, exc_info=exc)
    body, status = failure_body(exc)
    response = api.create_response(request, body, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def _register() -> None:
    from linli.accounts.api import router as accounts_router
    from linli.appeals.api import router as appeals_router
    from linli.care.api import router as care_router
    from linli.cobuild.api import router as cobuild_router
    from linli.dashboard.api import router as dashboard_router
    from linli.deliberation.api import router as deliberation_router
    from linli.party.api import router as party_router
    from linli.places.api import router as places_router
    from linli.sensors.api import router as sensors_router
    from linli.territory.api import router as territory_router
    from linli.triage.api import router as triage_router
    from linli.volunteers.api import router as volunteers_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/appeals", appeals_router)
    api.add_router("/triage", triage_router)
    api.add_router("/dashboard", dashboard_router)
    api.add_router("/party", party_router)
    api.add_router("/deliberation", deliberation_router)
    api.add_router("/volunteers", volunteers_router)
    api.add_router("/places", places_router)
    api.add_router("/sensors", sensors_router)
    api.add_router("/care", care_router)
    api.add_router("/cobuild", cobuild_router)
    api.add_router("", territory_router)


_register()
