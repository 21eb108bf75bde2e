"""What the co-governance browser tests share: the hall (six households of 1号楼, each with a verified resident)
committed for the live server, a page signed in as one person at one of the two sizes, and the screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, sign_in_context, sized_context

from ..conftest import Hall, build_hall


@pytest.fixture
def browser_hall(transactional_db: None) -> Hall:
    """The hall of `..conftest.build_hall` on a cast of its own, committed so the live server sees it."""
    from linli.testing import build_cast

    return build_hall(build_cast())


def signed_in_page(browser: Any, size: str, user: Any, base_url: str) -> Any:
    """A new page at `size` ("phone" or "desktop") in a context of its own, signed in as `user`."""
    context = sized_context(browser, size)
    sign_in_context(context, user, base_url)
    return context.new_page()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"deliberation-{name}.png"), full_page=True)
