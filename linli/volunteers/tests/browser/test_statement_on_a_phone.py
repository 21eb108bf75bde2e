"""In headless Chromium: the staff's page of a time bank account is a statement a phone can read. Each movement is
one dense row of two lines (what for and the hours; the date, with whom and the balance after), no longer a card of
five labelled lines (about 210 px a movement, 6,886 px for the demo bank's first thirty); its reversal is a
finger's size, and opened, the reason to type comes under the row. At a desk each movement is one line."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession, short_targets

pytestmark = pytest.mark.browser


class Walk(SignedInSession):
    prefix = "volunteers-statement"


def test_an_accounts_movements_are_short_rows_on_a_phone_and_one_line_at_a_desk(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast
    from linli.volunteers import services
    from linli.volunteers.tests.conftest import resident_volunteer

    cast = build_cast()
    me = resident_volunteer(cast)
    bank = services.community_bank(cast.community)
    for n in range(12):
        services.hours_pay(
            actor=cast.community_worker,
            payer=bank,
            payee=me.bank_account,
            amount="1.5",
            category="gift",
            note=f"慰问 · 第{n + 1}批",
        )
    path = f"/volunteers/staff/bank/{me.bank_account.pk}/"

    phone = Walk(browser, "phone", cast.community_worker, live_server.url)
    page = phone.go(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    heights = page.eval_on_selector_all(
        "table.vo-movements tbody tr:not(.vo-month)",
        "rows => rows.map(r => r.getBoundingClientRect().height)",
    )
    assert len(heights) == 12 and max(heights) <= 64, heights  # two lines and the padding
    assert short_targets(page, "table.vo-movements summary") == []
    first = page.locator("table.vo-movements tbody tr:not(.vo-month)").first
    first.locator("summary").click()
    reason = first.locator("input[name=reason]")
    assert reason.is_visible() and short_targets(page, "table.vo-movements input[name=reason]") == []
    row_top = first.locator("td.vo-m-what").bounding_box()["y"]
    assert reason.bounding_box()["y"] > row_top + 30  # under the row's two lines, not squeezed beside them
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("account")
    phone.close()

    desk = Walk(browser, "desktop", cast.community_worker, live_server.url)
    page = desk.go(path)
    heights = page.eval_on_selector_all(
        "table.vo-movements tbody tr:not(.vo-month)",
        "rows => rows.map(r => r.getBoundingClientRect().height)",
    )
    assert max(heights) <= 52, heights  # one line each (the reversal's small button the tallest thing in it)
    desk.shot("account")
    desk.close()
