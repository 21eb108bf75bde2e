"""Headless Chromium for every browser test: the system /usr/bin/chromium driven by Playwright (no download).

One Playwright per test process, shared by the tests under tests/browser and the apps' own browser tests (two
sync Playwright instances cannot run in one thread). A missing Chromium fails the run in CI (CI=true) and skips
the browser tests elsewhere. Loaded as a pytest plugin by the root conftest.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from linli.accounts.models import User

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
# How long a browser test waits for what it needs (an element, a navigation, an assertion to hold).
BROWSER_TIMEOUT_MS = 15_000


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (browser tests must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        _missing("playwright is not installed")

    # Assertions wait as long as actions do (Playwright's own default is 5 s, too short on a loaded machine).
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    # Every URL is loaded before a browser asks for one: the live server's first request would otherwise load them
    # all (the whole API: 7-10 s on a quiet machine) inside the first navigation's 15 s.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def browser_context(browser: Any, **options: Any) -> Any:
    """A new context in Chinese and Beijing time that waits BROWSER_TIMEOUT_MS for what a test needs."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context


# Where browser tests save screenshots for a person to look at: screenshots/ at the top of the checkout (ignored by
# git), or LINLI_SCREENSHOTS.
SCREENSHOTS = Path(os.environ.get("LINLI_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "screenshots")

# The two sizes every page is looked at in: a phone and a desktop.
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 900}}


def sized_context(browser: Any, size: str, **options: Any) -> Any:
    """A browser context (see `browser_context`) at one of SIZES; the phone one is touch-driven."""
    phone = size == "phone"
    return browser_context(browser, viewport=SIZES[size], is_mobile=phone, has_touch=phone, **options)


def confirm_next(page: Any) -> list[str]:
    """Accept the next question a `data-confirm` form asks on `page` (Playwright dismisses dialogs otherwise, and
    the form is not sent): the list returned gets its words, for the test to check what was asked."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    return asked


def watch_console(page: Any, *, allowed: str = "status of 422") -> list[str]:
    """The page's console errors, as they come (an error containing `allowed`, a refused form's 422, is none)."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and allowed not in m.text else None,
    )
    return problems


def sign_in_page(
    browser: Any, base_url: str, username: str, password: str, size: str
) -> tuple[Any, Any, list[str]]:
    """A new context at `size` signed in through the login form: (context, page, console errors)."""
    context = sized_context(browser, size)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return context, page, problems


def sign_in_context(context: Any, user: User, base_url: str) -> None:
    """Sign `user` in on `context` without the login form: a session made by Django's test client."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


class SignedInSession:
    """A browser context at one of SIZES signed in as one person (`sign_in_context`), with its page, collecting
    script errors; `close()` fails the test on any. A test file subclasses it to say where its screenshots go
    (`shots`, named `<prefix>-<name>-<size>.png`) and what a navigation waits for (`wait_until`)."""

    shots: Path = SCREENSHOTS
    prefix = "page"
    wait_until = "load"

    def __init__(self, browser: Any, size: str, user: User, base_url: str, **options: Any) -> None:
        self.context = sized_context(browser, size, **options)
        self.errors: list[str] = []
        self.context.on("weberror", lambda e: self.errors.append(str(e.error)))
        sign_in_context(self.context, user, base_url)
        self.page = self.context.new_page()
        self.size, self.base = size, base_url

    def go(self, path: str) -> Any:
        self.page.goto(f"{self.base}{path}", wait_until=self.wait_until)
        return self.page

    def shot(self, name: str) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{self.prefix}-{name}-{self.size}.png"), full_page=True)

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


# The least height (and width, where asked) of what a person taps on a phone: web/linli.css's phone rule.
TAP = 44


def short_targets(page: Any, selector: str, *, within: str = "", wide: bool = False) -> list[str]:
    """What `selector` finds on `page` (each of its comma-separated parts inside `within`, if given), shown and less
    than TAP px high (and wide, with `wide`): "<what it says> <height>", for an assertion to show. A tick box or radio
    button is tapped through its label too, so it is short only when its label (the one holding it, else the first
    naming it) is short as well: a 20 px box in a 44 px label is not."""
    if within:
        selector = ", ".join(f"{within} {part.strip()}" for part in selector.split(","))
    side = (
        "Math.max(...rs.map(r => Math.min(r.height, r.width)))"
        if wide
        else "Math.max(...rs.map(r => r.height))"
    )
    return list(
        page.eval_on_selector_all(
            selector,
            f"""els => els.filter(e => e.getClientRects().length)
                  .map(e => {{ const tick = ['checkbox', 'radio'].includes(e.type),
                                    label = tick && (e.closest('label') || (e.labels && e.labels[0])),
                                    rs = [e, label].filter(Boolean).map(n => n.getBoundingClientRect());
                              return [(e.innerText || (label && label.innerText) || e.name || e.title || e.id
                                       || String(e.className)).trim().slice(0, 20), {side}]; }})
                  .filter(([, h]) => h < {TAP} - 0.5).map(([t, h]) => t + ' ' + Math.round(h))""",
        )
    )


# Each tab strip (`.page-tabs`) in main: how many rows its tabs take, whether it is wider than its box (it scrolls
# sideways), the shortest tab's height, and the current tab's text with whether it lies wholly inside the strip's
# visible box (web/site.js scrolls it there).
_TAB_STRIPS = """() => [...document.querySelectorAll('main .page-tabs')].map(n => {
  const tabs = [...n.querySelectorAll('a')], box = n.getBoundingClientRect();
  const current = n.querySelector('a[aria-current="page"]'), r = current && current.getBoundingClientRect();
  return {rows: new Set(tabs.map(a => Math.round(a.getBoundingClientRect().top))).size,
          wider: n.scrollWidth > n.clientWidth,
          shortest: Math.round(Math.min(...tabs.map(a => a.getBoundingClientRect().height))),
          current: current ? current.textContent.trim() : null,
          inView: current ? r.left >= box.left - 1 && r.right <= box.right + 1 : null};
})"""


def tab_strips(page: Any) -> list[dict[str, Any]]:
    """The page's tab strips as `_TAB_STRIPS` measures them, for an assertion to show."""
    return list(page.evaluate(_TAB_STRIPS))


def pick_photos_one_at_a_time(page: Any, shots: list[str]) -> None:
    """Take `shots` into the page's photos input one at a time, as a phone's camera gives them (once core/photos.js
    has taken the input up), see them all as thumbnails, then take the second out with its 移除 (a 44 px button):
    the photos forms' browser tests, with two left chosen."""
    from playwright.sync_api import expect

    photos = page.locator("input[name=photos]")
    expect(photos).to_have_attribute("data-photo-picks-ready", "1")  # the page has loaded its script
    for shot in shots:
        photos.set_input_files(shot)
    picks = page.locator(".photo-picks figure")
    expect(picks).to_have_count(len(shots))
    expect(page.locator(".photo-picks-note")).to_contain_text(f"已选 {len(shots)} 张照片")
    remove = picks.nth(1).get_by_role("button", name="移除")
    box = remove.bounding_box()
    assert box is not None and box["height"] >= TAP, box
    remove.click()  # the second one was blurred: taken out again
    expect(picks).to_have_count(len(shots) - 1)
