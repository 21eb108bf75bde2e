"""A form refused at the bottom of a long page is brought into view (web/site.js): on a phone (390 × 844) the person
sees the first error and its field has the focus, whether the server answered the POST with the whole page again
(422) or htmx swapped the form back with its errors. They saw the top of the page and thought nothing had happened
(co-building's 微心愿 page, whose form is at the bottom). An ordinary page load is left at its top."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SignedInSession, confirm_next

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "web-refused-form"


def _in_view(page: Any, selector: str) -> bool:
    """The first element `selector` finds is wholly inside the window."""
    return bool(
        page.eval_on_selector(
            selector,
            "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        )
    )


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.name || '' : ''"))


def test_a_wish_refused_at_the_bottom_of_the_page_shows_its_error_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from django.utils import timezone

    from linli.cobuild import services
    from linli.testing import build_cast

    cast = build_cast()
    resident = cast.resident
    resident.household = cast.household
    resident.household_verified_at = timezone.now()
    resident.save(update_fields=["household", "household_verified_at"])
    for n in range(8):  # the resident's own wishes, listed above the form
        services.wish_post(actor=resident, title=f"心愿{n}号", description="想要一副老花镜")
    session = Session(browser, "phone", resident, live_server.url)
    page = session.go("/cobuild/wishes/")
    # An ordinary load stays at the top, nothing focused; the form is below the fold.
    assert page.evaluate("scrollY") == 0 and _focused(page) == ""
    assert not _in_view(page, "form.card textarea[name=description]")

    page.fill("input[name=title]", "老花镜")
    page.fill("textarea[name=description]", "字" * 310)
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    assert page.locator(".errorlist").count() == 1
    assert _in_view(page, ".errorlist")
    assert _focused(page) == "description"
    session.shot("wish")
    session.close()


def test_a_split_refused_by_htmx_shows_its_error_and_focuses_its_field_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast)
    session = Session(browser, "phone", cast.grid_worker, live_server.url)
    page = session.go(f"/appeals/{appeal.pk}/")
    assert page.evaluate("scrollY") == 0 and _focused(page) == ""
    page.locator("#action-split > summary").click()
    page.fill("#split textarea[name=reason]", "字" * 1010)  # over its limit of 1000
    confirm_next(page)
    with page.expect_response(lambda r: r.url.endswith(f"/appeals/{appeal.pk}/split/") and r.status == 422):
        page.locator("#split button[data-action=split]").click()
    expect(page.locator("#split textarea[name=reason]")).to_be_focused()
    assert _in_view(page, "#split .has-error")
    session.shot("split")
    session.close()
