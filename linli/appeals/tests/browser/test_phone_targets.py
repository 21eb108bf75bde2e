"""On a phone (390 × 844, touch), what a grid worker taps to work an appeal is at least 44 px high: the top bar's
sign-out and menu buttons, each action's fold on the appeal's page and the button of the form it opens, and the
workbench's filter fold and, unfolded, each filter's name. They were 28–38 px (the site's buttons were 36 px, the
folds' lines 28–32 px; the filters' names 20 px)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import TAP, short_targets, sign_in_context, sized_context

pytestmark = pytest.mark.browser


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
    assert short_targets(page, ".topbar button, .topbar .btn-link, .nav-burger") == []
    assert short_targets(page, ".ap-filter-fold > summary") == []
    _filters_are_44_px(page)
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    assert page.locator(".ap-action summary").count() >= 3
    assert short_targets(page, ".ap-action summary") == []
    page.eval_on_selector_all(".ap-action", "els => els.forEach(d => d.open = true)")
    assert short_targets(page, ".ap-action button[type=submit]") == []
    context.close()


def _filters_are_44_px(page: Any) -> None:
    """The workbench's filters, unfolded: every filter's name (they were 20 px), field, button and export link is
    44 px high; a tap on the top edge of a field, where its name reaches over it, lands on the field; the export's
    links lie inside the card (its XLSX link ran past the card's edge beside the filter button)."""
    page.click(".ap-filter-fold > summary")
    assert page.locator(".ap-filters label[for]").count() >= 5
    assert short_targets(page, "label, a, button, input, select, summary", within=".ap-filter-fold") == []
    hit = page.evaluate(
        """() => [...document.querySelectorAll('.ap-filters select, .ap-filters input:not([type=hidden])')]
            .filter(e => e.type !== 'checkbox').map(e => { const r = e.getBoundingClientRect();
              return [e.name, document.elementFromPoint(r.left + r.width / 2, r.top + 3) === e]; })
            .filter(([, on]) => !on)"""
    )
    assert hit == []
    card = page.locator(".ap-filter-fold").bounding_box()
    for link in ("#export-csv", "#export-xlsx"):
        box = page.locator(link).bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"], link


def _tap_cell_corner(page: Any, selector: str) -> None:
    """Tap the bottom-left corner of what `selector` finds: well away from the tick box it holds."""
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] - 3)


@pytest.mark.parametrize("script", [True, False], ids=["htmx", "no-script"])
def test_a_grid_worker_ticks_an_appeal_by_its_whole_cell_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any, script: bool
) -> None:
    """The queue's tick box is a label 44 px wide and as tall as the appeal's card (it was a 13 px box in a span):
    a tap anywhere in that cell ticks it, and the bulk acknowledgement still sends it, with htmx and without."""
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    first, second = submit(cast), submit(cast, title="垃圾没人清")
    context = sized_context(browser, "phone", java_script_enabled=script)
    sign_in_context(context, cast.grid_worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/workbench/")
    cells = page.locator(".ap-item label.ap-check")
    assert cells.count() == 2
    sizes = cells.evaluate_all("els => els.map(e => [e.offsetWidth, e.offsetHeight])")
    assert all(w >= TAP and h >= TAP for w, h in sizes), sizes
    _tap_cell_corner(page, f".ap-item[data-appeal='{first.pk}'] label.ap-check")
    assert page.locator(f"input[name=ids][value='{first.pk}']").is_checked()
    assert not page.locator(f"input[name=ids][value='{second.pk}']").is_checked()
    page.click("#bulk-ack")
    page.wait_for_url(f"{live_server.url}/appeals/workbench/*")
    page.wait_for_selector(".msg.success")
    context.close()
    assert Appeal.objects.get(pk=first.pk).state == "acknowledged"
    assert Appeal.objects.get(pk=second.pk).state == "dispatched"


def test_a_resident_taps_the_links_under_their_appeal_at_44_px_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """Under their appeal's page a resident goes on to 我的全部诉求 or 我要反映: the two links were 24 px high, text
    in a line with a dot between; the public page's link to the resident's own page too."""
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast)
    context = sized_context(browser, "phone")
    sign_in_context(context, cast.resident, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/track/{appeal.tracking_number}/")
    assert page.locator("main p.ap-actions a").count() == 2
    assert short_targets(page, "main p.ap-actions a") == []
    context.close()
