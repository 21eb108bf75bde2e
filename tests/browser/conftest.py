"""Headless Chromium for the browser tests: the system /usr/bin/chromium driven by Playwright (no download).

A missing Chromium fails the run in CI (CI=true) and skips the browser tests elsewhere.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# How long a browser test waits for what it needs (an element, a navigation, an assertion to hold).
BROWSER_TIMEOUT_MS = 15_000
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (browser tests must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        _missing("playwright is not installed")
    from playwright.sync_api import expect

    # Assertions wait as long as actions do (Playwright's own default is 5 s, too short on a loaded machine).
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _context(browser: Any, options: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
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

    return build_cast()
