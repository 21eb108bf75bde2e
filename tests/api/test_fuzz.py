"""A bounded property-based fuzz of the whole OpenAPI document (schemathesis): every operation, with generated
valid and invalid parameters and bodies, as an anonymous caller and as a signed-in staff member, must never answer
5xx, and every answer it documents must match its schema.

The WSGI app runs in-process on the test database (SQLite or PostgreSQL, whichever the suite runs on). Each
request runs in a savepoint that is rolled back, as an autocommit request in production is its own transaction:
a request that fails in the database (say, a number out of range on PostgreSQL) cannot spoil the next one.
Generation is derandomised, so a failure found once is found on every run, and bounded (EXAMPLES per operation,
no shrinking), so the whole fuzz stays near a minute on a 2-core machine."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from linli.testing import Cast

EXAMPLES = 4  # per operation and caller: 241 operations × 4 × 2 callers ≈ 1,900 requests, about a minute
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def _schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def _call(case: Any, headers: dict[str, str]) -> Any:
    with transaction.atomic():
        try:
            return case.call(headers=headers)
        finally:
            transaction.set_rollback(True)


def _fuzz(headers: dict[str, str]) -> list[str]:
    """Every operation of the document, EXAMPLES times; the failures, one line each."""
    failures: list[str] = []
    for result in _schema().get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), existing=st.booleans())
        def run(case: Any, existing: bool) -> None:
            if existing:  # half the time a small id, so that the request reaches an object the cast made
                for name, value in (case.path_parameters or {}).items():
                    if isinstance(value, int):
                        case.path_parameters[name] = abs(value) % 8 + 1
            response = _call(case, headers)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.label}: {str(exc).strip().splitlines()[0:12]}")
    return failures


def _api_key(cast: Cast) -> str:
    from linli.accounts.services import api_token_create

    _, key = api_token_create(actor=cast.admin, user=cast.community_worker, name="fuzz")
    return key


@pytest.fixture
def _connection_kept() -> Any:
    """As Django's test client does: the app in-process must not close the test's database connection when a
    request starts or ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
@pytest.mark.usefixtures("_connection_kept")
def test_no_operation_answers_5xx_or_breaks_its_schema(cast: Cast, caller: str) -> None:
    headers = {"Authorization": f"Bearer {_api_key(cast)}"} if caller == "staff" else {}
    failures = _fuzz(headers)
    assert not failures, "\n".join(failures)
