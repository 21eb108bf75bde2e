"""On a phone (390 × 844, touch), what a grid worker taps to work an appeal is at least 44 px high: the top bar's
sign-out and menu buttons, each action's fold on the appeal's page and the button of the form it opens, and the
workbench's filter fold. They were 28–38 px (the site's buttons were 36 px, the folds' lines 28–32 px)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import sign_in_context, sized_context

pytestmark = pytest.mark.browser

TAP = 44


def _short(page: Any, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector,
        f"""els => els.filter(e => e.offsetParent !== null)
              .map(e => [(e.innerText || e.name || e.className).trim().slice(0, 20), e.getBoundingClientRect().height])
              .filter(([, h]) => h < {TAP}).map(([t, h]) => t + ' ' + Math.round(h))""",
    )


def test_a_grid_worker_taps_targets_of_44_px_on_an_appeal(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast)
    context = sized_context(browser, "phone")
    sign_in_context(context, cast.grid_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/workbench/")
    assert _short(page, ".topbar button, .topbar .btn-link, .nav-burger") == []
    assert _short(page, ".ap-filter-fold > summary") == []
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    assert page.locator(".ap-action summary").count() >= 3
    assert _short(page, ".ap-action summary") == []
    page.eval_on_selector_all(".ap-action", "els => els.forEach(d => d.open = true)")
    assert _short(page, ".ap-action button[type=submit]") == []
    context.close()
