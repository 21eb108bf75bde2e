"""What care's browser walks share: the cast on a live server, the red plan of the cast's resident (with needs and
an emergency contact, confirmed today or some days ago), and browser contexts at the shared SIZES signed in as a
persona, photographed under screenshots/care-*.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from linli.testing import Cast
from linli.testing.browser import SCREENSHOTS, SIZES, browser_context, sign_in_context

from ..conftest import red_plan_of


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"care-{name}.png"), full_page=True)


@pytest.fixture
def live_cast(transactional_db: None) -> Cast:
    from linli.testing import build_cast

    return build_cast()


@pytest.fixture
def red_plan(live_cast: Cast) -> Callable[..., Any]:
    """red_plan(days_ago=0) → the red plan of the cast's resident, confirmed by the grid worker that many days ago
    (its visits and calls scheduled from then)."""

    def confirm(days_ago: int = 0) -> Any:
        with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
            return red_plan_of(live_cast)

    return confirm


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """open_as(user, "phone" | "desktop", *warm, **options) → a new page signed in as the user at that size
    (options: geolocation, permissions…). The pages in `warm` are rendered once in-process first (templates and
    catalogues compiled), so that a loaded machine does not spend the browser's wait on the first request."""
    contexts: list[Any] = []

    def open_page(user: Any, size: str, *warm: str, **options: Any) -> Any:
        phone = size == "phone"
        context = browser_context(browser, viewport=SIZES[size], is_mobile=phone, has_touch=phone, **options)
        contexts.append(context)
        if warm:
            client = Client()
            client.force_login(user)
            for path in warm:
                client.get(path)
        if user is not None:
            sign_in_context(context, user, live_server.url)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
