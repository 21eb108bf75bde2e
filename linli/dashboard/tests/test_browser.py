"""In headless Chromium, on a desktop and on a phone: a district leader opens the overview on 3 October and reads
it as a whole: a full month of appeals (not three days of October), figures that agree with each other and with
the lists behind them, legends that say what the colours and labels mean, and the communities ranked rather than
the district's one street as a single bar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, browser_context

from . import fixed_set

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}


def _numbers(page: Any, table: str) -> list[str]:
    return sorted(page.locator(f"#{table} tbody tr td:first-child").all_inner_texts())


def test_a_leader_reads_an_overview_that_agrees_with_itself(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    import time_machine
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import expect

    from linli.dashboard import services
    from linli.testing import build_cast

    from .test_views import _late_and_overdue

    with time_machine.travel(dt.datetime(2026, 10, 3, 10, 0, tzinfo=fixed_set.t(1, 0).tzinfo), tick=True):
        cast = build_cast()
        appeals = {**fixed_set.build(cast), **_late_and_overdue(cast)}
        services.rollups_refresh_all()
        client = Client()
        client.force_login(cast.district_leader)
        # The session cookie is handed to the browser as is: its expiry, set on the moved clock, would be past.
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        errors: list[str] = []
        SCREENSHOTS.mkdir(exist_ok=True)
        for size, viewport in SIZES.items():
            phone = size == "phone"
            context = browser_context(
                browser,
                viewport=viewport,
                is_mobile=phone,
                has_touch=phone,
                device_scale_factor=2 if phone else 1,
            )
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "response",
                lambda r: (
                    errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 and "favicon" not in r.url
                    else None
                ),
            )
            page.goto(f"{live_server.url}/dashboard/")

            # The default period: the last 30 days, said so, with the reason and the way to the assessed month.
            expect(page.locator("#dash-title")).to_contain_text("近30天（2026-09-04 至 2026-10-03）")
            expect(page.locator("#period-note")).to_contain_text("考核按自然月统计")
            expect(page.locator('[data-figure="received"] .kpi-value')).to_have_text("7")

            # The overdue figure, its table and its drill-down list the same appeals.
            overdue = page.locator('[data-figure="overdue_open"]')
            expect(overdue.locator(".kpi-value")).to_have_text("2")
            expect(overdue.locator(".kpi-label")).to_have_text("超期在办")
            in_table = _numbers(page, "overdue-table")
            assert in_table == sorted([appeals["A4"].tracking_number, appeals["B3"].tracking_number])
            # The on-time rate says what it divides, and counts the overdue appeals as late.
            on_time = page.locator('[data-figure="on_time_rate"]')
            expect(on_time.locator(".kpi-note")).to_contain_text("超期在办 2")
            expect(on_time).to_have_attribute(
                "title", "按时办结 ÷ (已办结 + 超期在办)：超过办结时限仍未办结的诉求已属超时"
            )

            # The map says what its colours mean (no bare "0 → 3").
            expect(page.locator("#dash-map")).to_have_attribute("data-ready", "1")
            legend = page.locator("#map-legend")
            expect(legend).to_contain_text("颜色表示：受理诉求")
            expect(legend).to_contain_text("无诉求")
            assert "→" not in legend.inner_text()
            page.locator("#map-metric").select_option("on_time_rate")
            expect(legend).to_contain_text("颜色表示：按时办结率")
            expect(legend).to_contain_text("80–100%")

            # The district's only street is passed through: its two communities are ranked, and it says so.
            ranking = page.locator("#ranking-table")
            expect(ranking).to_contain_text("幸福社区")
            expect(ranking).to_contain_text("光明社区")
            expect(page.locator("#ranking-via")).to_contain_text(f"{cast.street.name} 是唯一的下一级单位")
            expect(page.locator("#chart-ranking")).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / f"dashboard-{size}-overview.png"), full_page=True)

            overdue.click()
            page.wait_for_url("**/dashboard/appeals/**measure=overdue**")
            assert _numbers(page, "behind-table") == in_table
            context.close()

        # 光明社区: its one concluded appeal was on time, its other is overdue: 50%, not 100%.
        context = browser_context(browser, viewport=SIZES["desktop"])
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/dashboard/?unit=n{cast.other_community.pk}")
        expect(page.locator('[data-figure="on_time_rate"] .kpi-value')).to_have_text("50.0%")
        context.close()
    assert errors == []


def test_on_a_phone_every_category_bar_is_named(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """Every top-level category and the unclassified on a phone: the chart names each bar (ECharts left out every
    other name when fourteen rows shared its 240px)."""
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal, Category
    from linli.appeals.tests.factories import submit
    from linli.dashboard import services
    from linli.testing import build_cast
    from linli.testing.browser import sized_context

    cast = build_cast()
    leaves: dict[int, str] = {}
    for leaf in Category.objects.filter(parent__isnull=False, parent__parent__isnull=True).order_by("code"):
        leaves.setdefault(leaf.parent_id, leaf.code)  # type: ignore[arg-type]
    made = [submit(cast, category_code=code) for code in leaves.values()]
    unclassified = submit(cast, category_code=made[0].category.code)  # type: ignore[union-attr]
    Appeal.objects.filter(pk=unclassified.pk).update(category=None)  # as one the classifier could not place
    services.rollups_refresh_all()
    client = Client()
    client.force_login(cast.district_leader)
    context = sized_context(browser, "phone")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#chart-categories canvas")).to_have_count(1)
    named, rows = page.evaluate(
        """() => {
            const c = window.echarts.getInstanceByDom(document.getElementById("chart-categories"));
            const axis = c.getModel().getComponent("yAxis").axis;
            return [axis.getViewLabels().length, axis.scale.count()];
        }"""
    )
    page.screenshot(path=str(SCREENSHOTS / "dashboard-phone-categories.png"), full_page=True)
    context.close()
    assert rows == len(leaves) + 1 and named == rows


def test_the_map_and_the_ranking_keep_their_words_off_the_card_s_edge(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The grid map's heading, its colour choice and its legend, and the notes above the tables (the only unit one
    level down, what the overdue list holds) sat against the edge of their card (cards whose map or table runs
    edge to edge have no padding)."""
    from playwright.sync_api import expect

    from linli.appeals.tests.factories import submit
    from linli.dashboard import services
    from linli.testing import build_cast
    from linli.testing.browser import sign_in_context, sized_context

    cast = build_cast()
    submit(cast)
    services.rollups_refresh_all()
    for size in ("phone", "desktop"):
        context = sized_context(browser, size)
        sign_in_context(context, cast.district_leader, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.locator("#ranking-via")).to_be_visible()
        # The legend is drawn by the map's script once the grids have come: measured before, it is empty.
        expect(page.locator("#map-legend")).not_to_be_empty()
        insets = page.evaluate(
            """() => {
                const inset = (el) => {
                    const card = el.closest(".card").getBoundingClientRect();
                    const words = document.createRange();
                    words.selectNodeContents(el);  // what it shows, inside its own padding
                    const box = words.getBoundingClientRect();
                    const said = el.textContent.trim().slice(0, 12);
                    return [said, Math.round(box.left - card.left), Math.round(card.right - box.right)];
                };
                const shown = ".map-card > .map-head, #map-legend, .table-card > p";
                return [...document.querySelectorAll(shown)].filter((el) => el.offsetParent).map(inset);
            }"""
        )
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{size}-map-ranking.png"), full_page=True)
        context.close()
        assert len(insets) >= 4  # the map's heading and legend, the ranking's note, the overdue list's note
        for said, left, right in insets:
            assert left >= 12 and right >= 12, (size, said, left, right)


def _contrast(page: Any, text: str, ground: str) -> float:
    """The WCAG contrast ratio of `text`'s colour on `ground`'s background."""
    return float(
        page.evaluate(
            """([text, ground]) => {
                const rgb = (el, prop) => getComputedStyle(document.querySelector(el))[prop].match(/[\\d.]+/g).slice(0, 3).map(Number);
                const lum = ([r, g, b]) => {
                    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
                    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
                };
                const [a, b] = [lum(rgb(text, "color")), lum(rgb(ground, "backgroundColor"))].sort((x, y) => y - x);
                return (a + 0.05) / (b + 0.05);
            }""",
            [text, ground],
        )
    )


def _wall_screen(browser: Any, cast: Any, base_url: str) -> tuple[Any, Any]:
    """A 1920 × 1080 display signed in as the cast's district leader, and its page (not yet opened): the wall's."""
    from linli.testing.browser import sign_in_context

    context = browser_context(browser, viewport={"width": 1920, "height": 1080})
    sign_in_context(context, cast.district_leader, base_url)
    return context, context.new_page()


def test_the_wall_screen_shows_its_overdue_appeals_and_map_legend_whole_and_readable(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """On the wall screen (a 1920 × 1080 display) the list of overdue appeals showed nine and a half of its ten lines,
    the tenth cut through its middle, and the map's legend was dark grey on the dark card (its title #374151 on
    #111c33): the ten lines stand whole and the legend reads as the rest of the wall does."""
    from playwright.sync_api import expect

    from linli.testing import build_cast

    from .factories import overdue_appeals

    cast = build_cast()
    overdue_appeals(cast, (f"第{n}号路灯不亮，晚上出行很不方便" for n in range(12)))
    context, page = _wall_screen(browser, cast, live_server.url)
    page.goto(f"{live_server.url}/dashboard/wall/", wait_until="domcontentloaded")
    expect(page.locator("#map-legend .legend-title")).to_be_visible()
    lines = page.locator("#wall-overdue li")
    expect(lines).to_have_count(10)
    cut = page.evaluate(
        """() => {
            const list = document.getElementById("wall-overdue").getBoundingClientRect();
            return [...document.querySelectorAll("#wall-overdue li")]
                .filter(li => li.getBoundingClientRect().bottom > list.bottom + 0.5).map(li => li.innerText);
        }"""
    )
    page.screenshot(path=str(SCREENSHOTS / "dashboard-wall-1920.png"))
    legend = {
        "title": round(_contrast(page, "#map-legend .legend-title", ".wall-card"), 1),
        "item": round(_contrast(page, "#map-legend .legend-item", ".wall-card"), 1),
    }
    context.close()
    assert cut == []
    assert legend["title"] >= 4.5 and legend["item"] >= 4.5, legend


def test_on_a_phone_a_community_s_public_page_shows_each_resolved_appeal_whole(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """A resident reading a community's public page on a phone saw the category and the grid of each resolved appeal;
    when it came and was resolved, and how, lay off the screen to the right (the table scrolled sideways). Each row
    stands as a card with its labels, every cell on the screen."""
    from playwright.sync_api import expect

    from linli.dashboard import services
    from linli.testing import build_cast
    from linli.testing.browser import sized_context

    cast = build_cast()
    fixed_set.build(cast)
    services.rollups_refresh_all()
    context = sized_context(browser, "phone")
    page = context.new_page()
    page.goto(f"{live_server.url}/public/c/{cast.community.pk}/?period=year&date=2026-01-01")
    cells = page.locator(".table-card tbody td")
    expect(cells.first).to_be_visible()
    off = page.evaluate(
        """() => [...document.querySelectorAll(".table-card tbody td")]
              .filter(td => td.getBoundingClientRect().right > window.innerWidth + 0.5)
              .map(td => td.innerText)"""
    )
    shown = cells.count()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-phone-public-community.png"), full_page=True)
    context.close()
    assert shown > 0 and off == []


def test_the_wall_screen_says_nothing_is_overdue_when_a_refresh_brings_none(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The wall screen refreshes its figures every minute. When the overdue appeals it listed were dealt with, the
    refresh emptied the list and left the card blank, as if it had failed: it says that no open appeal is past its
    deadline, as the page does when it opens with none; and the next overdue appeal takes that line's place."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.dashboard import services
    from linli.testing import build_cast

    from .factories import overdue_appeals

    cast = build_cast()
    late = overdue_appeals(cast, (f"第{n}号楼道灯不亮" for n in range(2)))
    context, page = _wall_screen(browser, cast, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()  # the minute between refreshes runs when the test says, not on the wall clock
    page.goto(f"{live_server.url}/dashboard/wall/", wait_until="domcontentloaded")
    lines = page.locator("#wall-overdue li")
    expect(lines).to_have_count(2)
    overdue = page.locator('[data-figure="overdue_open"] .kpi-value')
    expect(overdue).to_have_text("2")

    # Both get a later deadline; the next refresh finds none overdue.
    Appeal.objects.filter(pk__in=late).update(resolve_due_at=timezone.now() + dt.timedelta(days=2))
    services.facts_refresh(appeal_ids=late)
    page.clock.run_for(61_000)
    expect(overdue).to_have_text("0")
    expect(lines).to_have_count(1)
    expect(lines).to_have_text("没有超过办结时限仍未办结的诉求。")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-wall-none-overdue.png"))

    # One is overdue again: it replaces the line that said none.
    Appeal.objects.filter(pk=late[0]).update(resolve_due_at=timezone.now() - dt.timedelta(days=1))
    services.facts_refresh(appeal_ids=late)
    page.clock.run_for(60_000)
    expect(overdue).to_have_text("1")
    expect(lines).to_have_count(1)
    expect(lines).to_contain_text("第0号楼道灯不亮")
    context.close()
    assert errors == []


def test_the_wall_screen_says_in_words_what_a_chart_has_nothing_to_draw(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The wall's tiles are always there: on a grid with no appeal in the period its trend drew empty axes and its
    categories and units one level down stood blank, as if they had failed. Each says why instead; a grid's units
    below it are none, and it says so beside a grid with appeals too, whose trend and categories are drawn."""
    from playwright.sync_api import expect

    from linli.testing import build_cast

    from .factories import overdue_appeals

    cast = build_cast()
    overdue_appeals(cast, ["楼道灯坏了"])
    context, page = _wall_screen(browser, cast, live_server.url)
    page.goto(f"{live_server.url}/dashboard/wall/?unit=g{cast.other_grid.pk}", wait_until="domcontentloaded")
    expect(page.locator("#chart-trend-empty")).to_have_text("本期没有受理诉求。")
    expect(page.locator("#chart-categories-empty")).to_have_text("本期没有受理诉求。")
    expect(page.locator("#chart-ranking-empty")).to_have_text("网格是最小的单元，没有可比较的下级单位。")
    for chart in ("#chart-trend", "#chart-categories", "#chart-ranking"):
        expect(page.locator(chart)).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-wall-empty-grid.png"))
    page.goto(f"{live_server.url}/dashboard/wall/?unit=g{cast.grid.pk}", wait_until="domcontentloaded")
    expect(page.locator("#chart-categories canvas")).to_be_visible()
    expect(page.locator("#chart-trend canvas")).to_be_visible()
    expect(page.locator("#chart-categories-empty")).to_be_hidden()
    expect(page.locator("#chart-trend-empty")).to_be_hidden()
    expect(page.locator("#chart-ranking-empty")).to_be_visible()
    context.close()
