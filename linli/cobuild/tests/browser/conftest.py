"""What co-building's browser tests share: the cast with its resident's household verified, a context signed in as
one person at one of the two sizes, the fit check and the screenshots."""

from __future__ import annotations

from typing import Any

from linli.testing.browser import SCREENSHOTS, sign_in_context, sized_context

from ..conftest import verify_resident


def cast_with_a_verified_resident() -> Any:
    """The cast, its resident's household verified so that they may order and raise needs (as `world`'s)."""
    from linli.testing import build_cast

    cast = build_cast()
    verify_resident(cast)
    return cast


def signed_in_context(browser: Any, size: str, user: Any, base_url: str) -> Any:
    """A new context at `size` ("phone" or "desktop") signed in as `user` (a session cookie, no form)."""
    context = sized_context(browser, size)
    sign_in_context(context, user, base_url)
    return context


def fits(page: Any) -> bool:
    """Nothing of the page is wider than the screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
