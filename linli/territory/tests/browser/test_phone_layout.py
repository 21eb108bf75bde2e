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


def test_what_a_grid_worker_taps_on_a_phone_is_44px_high(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    # The small buttons (显示完整信息 on the residents list, 使用当前位置 when placing a building or venue, the
    # venues' category filters) were 28px high.
    cast = build_cast()
    session = SignedInSession(browser, "phone", cast.grid_worker, live_server.url)
    page = session.page
    seen: list[str] = []
    for path in (
        f"/territory/grids/{cast.grid.pk}/",
        f"/territory/grids/{cast.grid.pk}/venues/",
        "/territory/residents/",
        f"/territory/buildings/{cast.building.pk}/",
    ):
        session.go(path)
        page.wait_for_load_state("load")
        page.locator("main details").evaluate_all("ds => ds.forEach(d => { d.open = true; })")
        taps = page.locator("main summary, main .btn-small").evaluate_all(
            "es => es.filter(e => e.offsetParent)"
            ".map(e => [e.textContent.trim().slice(0, 20), Math.round(e.getBoundingClientRect().height)])"
        )
        seen += [text for text, _h in taps]
        assert [t for t in taps if t[1] < 44] == [], (path, taps)
    assert {"使用当前位置", "显示完整信息"} <= set(seen), seen
    session.close()


def test_a_household_s_visits_are_tapped_at_44_px_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    # A household's list of visits is the only way to a visit from the household: its lines were 21px links.
    from linli.testing.browser import short_targets

    cast = build_cast()
    for found in ("老人独居，身体尚可", "楼道堆放纸箱杂物"):
        services.visit_log(actor=cast.grid_worker, household=cast.household, found=found)
    session = SignedInSession(browser, "phone", cast.grid_worker, live_server.url)
    session.go(f"/territory/households/{cast.household.pk}/")
    assert session.page.locator("main .history a").count() == 2
    assert short_targets(session.page, ".history a", within="main") == []
    session.close()


def test_a_building_s_homes_are_a_line_each_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    # As cards of six labelled lines each home was 240px high: 30 homes ran 8,000px, the room looked for at the door
    # a long scroll away. A line each now, the room a 44px tap; the code and floor area on a wide screen.
    from linli.testing.browser import short_targets

    cast = build_cast()
    session = SignedInSession(browser, "phone", cast.grid_worker, live_server.url)
    page = session.page
    session.go(f"/territory/buildings/{cast.building.pk}/")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert rows.first.evaluate("e => e.getBoundingClientRect().height") <= 50
    assert not rows.first.get_by_text(cast.household.code).is_visible()
    assert short_targets(page, "tbody a", within="main") == []
    session.close()


def test_the_visit_log_on_a_phone_leaves_out_the_empty_lines(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    # Five labelled lines a visit (跟进 — and 处理人 on each) ran 16 visits to 3,500px: a visit now opens with its time
    # (a 44px tap) and who visited, and says 跟进 only when something is to follow up.
    from linli.testing.browser import short_targets

    cast = build_cast()
    services.visit_log(actor=cast.grid_worker, household=cast.household, found="老人独居，身体尚可")
    services.visit_log(
        actor=cast.grid_worker, household=cast.household, found="楼道堆放纸箱杂物", follow_up="通知物业清理"
    )
    session = SignedInSession(browser, "phone", cast.grid_worker, live_server.url)
    page = session.page
    session.go(f"/territory/grids/{cast.grid.pk}/visits/")
    later, earlier = page.locator("main .visit-list tbody tr").all()
    # The lines shown: the time and who visited, where, what was found (and the follow-up, when there is one).
    assert later.locator("td:visible").count() == 4 and earlier.locator("td:visible").count() == 3
    assert "王网格" in earlier.locator("td").first.inner_text()
    assert "通知物业清理" in later.inner_text()
    assert short_targets(page, ".visit-list a", within="main") == []
    session.close()
