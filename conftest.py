"""Fixtures shared by every test: the cast of personas, and logged-in clients for each."""

from __future__ import annotations

import os

os.environ.setdefault("LINLI_TESTING", "1")

import pytest
from django.test import Client

from linli.testing import Cast, build_cast

pytest_plugins = [
    "linli.testing.browser",  # one headless Chromium per test process, for every browser test
    "linli.testing.flush",  # a transactional test empties only the tables it wrote to
]


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    """Every test starts with a database of its own (rolled back or flushed afterwards, which no running process
    ever sees): start and end it as a freshly started process, without copies kept by snapshots."""
    from linli.core.snapshots import snapshots_forget

    snapshots_forget()
    yield
    snapshots_forget()


@pytest.fixture(autouse=True)
def _site_language():  # type: ignore[no-untyped-def]
    """Every test starts in the site's language: a request with another Accept-Language leaves that language
    active in the thread that served it (LocaleMiddleware does not put it back), and a later test would read its
    messages in it (tests/test_language_isolation.py)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The tables of the shipped defaults (appeals' categories and deadline rules).
SHIPPED_DEFAULTS = ("appeals_category", "appeals_slarule")


@pytest.fixture(autouse=True)
def _shipped_defaults(request: pytest.FixtureRequest) -> None:
    """A transactional test (live server, browser) flushes every table afterwards, including the categories
    and deadline rules that migrations load: put the shipped defaults back before each such test. The flush keeps
    them when the test left them as they were put back (linli.testing.flush), and then only their snapshots'
    versions are recorded again, as putting them back would (the flush empties those)."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from linli.appeals import routing, sla
        from linli.appeals.services import category_sync_defaults, sla_sync_defaults
        from linli.core.snapshots import bump
        from linli.testing.flush import keep_while_unchanged, unchanged

        if unchanged(SHIPPED_DEFAULTS):
            bump(routing.CATALOGUE, sla.SLA_RULES)
            return
        category_sync_defaults()
        sla_sync_defaults()
        keep_while_unchanged(SHIPPED_DEFAULTS)


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """client_for("community_worker") → a test client signed in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        client.force_login(getattr(cast, persona))
        return client

    return make
