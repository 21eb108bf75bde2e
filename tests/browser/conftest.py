"""Browser contexts, screenshots and the cast for the browser tests (Chromium itself: linli.testing.browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linli.testing.browser import browser_context

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _context(browser: Any, options: dict[str, Any]) -> Iterator[Any]:
    context = browser_context(browser, **options)
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    context.js_errors = errors
    yield context
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A browser context the size of a phone (390 × 844)."""
    yield from _context(browser, PHONE)


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    """A browser context the size of a laptop screen (1366 × 900)."""
    yield from _context(browser, DESKTOP)


@pytest.fixture
def screenshot() -> Any:
    """screenshot(page, "name") saves a full-page PNG under screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def live_cast(transactional_db: None) -> Any:
    from linli.testing import build_cast
    from linli.triage.selectors import warm_up

    cast = build_cast()
    # As linli.wsgi does when a server starts: the classifier is loaded before the first page asks it for a
    # category, so a test waiting for a suggestion does not wait for the model and dictionary to load.
    warm_up()
    return cast
