"""On a phone (headless Chromium): a resident's tags wrap inside their card on the residents list instead of
running past the screen's edge, and a person with no life events reads the empty history across the card, not
squeezed into its date column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.territory import services
from linli.testing import build_cast
from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser


def test_tags_and_an_empty_history_fit_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    cast = build_cast()
    tagged = services.resident_create(
        actor=None,
        household=cast.household,
        name="王芳",
        gender="female",
        birth_date=dt.date(1940, 4, 2),
        tags=["elderly", "elderly_alone", "disabled", "low_income", "veteran", "tenant"],
    )
    session = SignedInSession(browser, "phone", cast.community_worker, live_server.url)
    page = session.page
    session.go(f"/territory/residents/?q={tagged.name}")
    cell = page.locator(f"#resident-{tagged.pk} td:has(.badge.tag)")
    edge = cell.evaluate(
        "e => e.closest('.card').getBoundingClientRect().right"
    )  # the card clips what runs past
    rights = cell.locator(".badge.tag").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
    assert len(rights) == 6 and max(rights) <= edge, (rights, edge)

    session.go(f"/territory/residents/{tagged.pk}/")
    # One line of text, not the sentence broken over three in a column 6.5em wide.
    lines = page.locator("#history li").evaluate(
        "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)"
    )
    assert lines < 3, lines
    session.close()
