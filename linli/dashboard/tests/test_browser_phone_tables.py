"""On a phone (390 × 844) the overview's tables stand as a card a row, each figure by its column's name, rather than
running sideways: the ranking of units one level down (twelve columns, three phone widths), the summoned
departments' ranking, the categories and the overdue appeals. Neither the page nor any of the tables scrolls
sideways."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.testing import at
from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser

TABLES = ("ranking-table", "department-table", "category-table", "overdue-table")


class Session(SignedInSession):
    prefix = "dashboard-tables"


def _widths(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """(ids) => {
                const doc = document.documentElement;
                const out = {page: [doc.scrollWidth, doc.clientWidth]};
                for (const id of ids) {
                    const table = document.getElementById(id);
                    const wrap = table.closest(".table-wrap");
                    out[id] = [Math.round(table.getBoundingClientRect().right), wrap.scrollWidth, wrap.clientWidth];
                }
                return out;
            }""",
            list(TABLES),
        )
    )


def test_on_a_phone_the_overview_s_tables_are_cards_and_nothing_scrolls_sideways(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import submit
    from linli.appeals.tests.test_department_ranking import build_two_departments
    from linli.dashboard import services
    from linli.testing import build_cast

    cast = build_cast()
    build_two_departments(cast)
    with time_machine.travel(at(2026, 11, 3, 10, 0), tick=False):
        late = submit(cast)
    Appeal.objects.filter(pk=late.pk).update(resolve_due_at=timezone.now() - timezone.timedelta(days=2))
    services.rollups_refresh_all()

    s = Session(browser, "phone", cast.district_leader, live_server.url)
    page = s.go("/dashboard/?period=month&date=2026-11-01")
    for table in TABLES:
        assert page.locator(f"#{table} tbody tr").count() >= 1, table
    widths = _widths(page)
    s.shot("overview")
    s.close()
    scroll, width = widths.pop("page")
    assert scroll <= width, widths
    for table, (right, wrap_scroll, wrap_width) in widths.items():
        assert right <= width and wrap_scroll <= wrap_width, (table, right, wrap_scroll, wrap_width)


def test_each_figure_in_a_card_is_named_by_its_column(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The head of a table is hidden on a phone: every cell but the row's name carries its column's name."""
    from linli.appeals.tests.test_department_ranking import build_two_departments
    from linli.dashboard import services
    from linli.testing import build_cast

    cast = build_cast()
    build_two_departments(cast)
    services.rollups_refresh_all()
    s = Session(browser, "phone", cast.district_leader, live_server.url)
    page = s.go("/dashboard/?period=month&date=2026-11-01")
    shown = page.evaluate(
        """() => {
            const row = document.querySelector("#ranking-table tbody tr");
            const heads = [...document.querySelectorAll("#ranking-table thead th")].map((th) => th.textContent);
            return {heads: heads, labels: [...row.cells].map((td) => getComputedStyle(td, "::before").content)};
        }"""
    )
    head_hidden = page.locator("#ranking-table thead").is_hidden()
    s.close()
    assert head_hidden
    assert shown["labels"][0] == "none"
    assert shown["labels"][1:] == [f'"{h}"' for h in shown["heads"][1:]]


def test_on_a_phone_a_unit_of_the_ranking_is_a_card_of_figures_three_abreast(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """Each unit's eleven figures stand three abreast under its name, each under its column's name: a card under 300
    px high, where a line a figure made it about 415 (a community's forty grids ran to 16,000 px on a phone)."""
    from linli.appeals.tests.factories import submit
    from linli.dashboard import services
    from linli.testing import build_cast

    cast = build_cast()
    submit(cast)
    services.rollups_refresh_all()
    s = Session(browser, "phone", cast.district_leader, live_server.url)
    page = s.go("/dashboard/")
    row = page.locator("#ranking-table tbody tr").first
    box = row.bounding_box()
    lefts = {round(b["x"]) for b in (td.bounding_box() for td in row.locator("td[data-label]").all()) if b}
    s.shot("ranking")
    s.close()
    assert box is not None and box["height"] < 300, box
    assert len(lefts) == 3, lefts


def test_on_a_phone_a_category_and_a_summoned_department_are_cards_of_figures_three_abreast(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """A category's six figures and a summoned department's five stand three abreast under its name, as a unit's of
    the ranking do, where a line a figure made a category's card 250 px high (the demo district's fourteen categories
    and ten departments took some 1,900 px more of the leader's phone page than they do now). The department's name
    heads its card, without its column's name, and its place is one of the figures."""
    from linli.appeals.tests.test_department_ranking import build_two_departments
    from linli.dashboard import services
    from linli.testing import build_cast

    cast = build_cast()
    build_two_departments(cast)
    services.rollups_refresh_all()
    s = Session(browser, "phone", cast.district_leader, live_server.url)
    page = s.go("/dashboard/?period=month&date=2026-11-01")
    cards = page.evaluate(
        """() => ["category-table", "department-table"].map((id) => {
            const row = document.querySelector(`#${id} tbody tr`);
            const figures = [...row.querySelectorAll("td[data-label]")].filter(
                (td) => getComputedStyle(td, "::before").display !== "none");
            const first = [...row.cells].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
            return {
                id: id,
                height: Math.round(row.getBoundingClientRect().height),
                lefts: new Set(figures.map((td) => Math.round(td.getBoundingClientRect().left))).size,
                heading: first.textContent.trim(),
                headingLabel: getComputedStyle(first, "::before").display,
            };
        })"""
    )
    s.shot("category-department")
    s.close()
    category, department = cards
    assert category["lefts"] == 3 and category["height"] < 160, category
    assert department["lefts"] == 3 and department["height"] < 140, department
    assert department["heading"] == cast.department.name and department["headingLabel"] == "none", department
