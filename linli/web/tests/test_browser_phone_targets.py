"""On a phone (390 × 844, touch), what the shared stylesheets draw to be tapped is at least 44 px high: the logo, the
breadcrumbs (21 px), the org tree's rows and their links (21–38 px), the maps' zoom buttons (Leaflet's, 30 px), a
card heading's link and the links of a resident's short lists (20–24 px), a line of filter links (19 px), a section's tabs (42-43 px), and a
tick box or radio button with its label anywhere (core's choice boxes were already 44 px; the others 13–29 px)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SignedInSession

pytestmark = pytest.mark.browser

TAP = 44


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "web-phone-targets"


def _short(page: Any, selector: str, *, wide: bool = False) -> list[str]:
    """What `selector` finds on `page`, shown and less than TAP px high (and wide, with `wide`), with its height."""
    side = "Math.min(r.height, r.width)" if wide else "r.height"
    return list(
        page.eval_on_selector_all(
            selector,
            f"""els => els.filter(e => e.getClientRects().length)
                  .map(e => {{ const r = e.getBoundingClientRect();
                              return [(e.innerText || e.title || e.className).trim().slice(0, 20), {side}]; }})
                  .filter(([, h]) => h < {TAP} - 0.5).map(([t, h]) => t + ' ' + Math.round(h))""",
        )
    )


def _short_ticks(page: Any) -> list[str]:
    """Tick boxes and radio buttons whose target (their label, else themselves) is less than TAP px high."""
    return list(
        page.eval_on_selector_all(
            "input[type=checkbox], input[type=radio]",
            f"""els => els.filter(e => e.getClientRects().length)
                  .map(e => {{ const label = e.closest('label') || (e.labels && e.labels[0]) || e;
                              return [(label.innerText || e.name).trim().slice(0, 20),
                                      Math.max(label.getBoundingClientRect().height, e.getBoundingClientRect().height)]; }})
                  .filter(([, h]) => h < {TAP} - 0.5).map(([t, h]) => t + ' ' + Math.round(h))""",
        )
    )


def test_a_community_worker_taps_targets_of_44_px_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    submit(cast)
    session = Session(browser, "phone", cast.community_worker, live_server.url)
    short: dict[str, list[str]] = {}
    page = session.go("/territory/tree/")
    assert page.locator(".tree-grid a").count() >= 1
    short["logo"] = _short(page, ".brand")
    short["tree"] = _short(page, ".tree-node summary, .tree-node summary a, .tree-grid a")
    session.shot("tree")

    page = session.go(f"/territory/buildings/{cast.building.pk}/")
    assert page.locator(".crumbs a").count() >= 1
    short["crumbs"] = _short(page, ".crumbs a")
    session.shot("crumbs")

    page = session.go("/territory/map/")
    page.wait_for_selector(".leaflet-control-zoom a")
    short["zoom"] = _short(page, ".leaflet-control-zoom a", wide=True)
    session.shot("map")

    page = session.go("/cobuild/staff/")
    assert page.locator("nav.page-filters a").count() >= 2
    short["filters"] = _short(page, "nav.page-filters a")

    page = session.go("/appeals/workbench/")
    assert page.locator("input[type=checkbox]").count() >= 1
    short["ticks"] = _short_ticks(page)
    short["appeals tabs"] = _short(page, ".ap-tabs a")
    session.shot("workbench")

    # The sections' tabs: appeals' own, and the places', sensors' and deliberation's, now core's page-tabs (their
    # copies were 42-43 px).
    for path in ("/places/", "/sensors/", "/deliberation/"):
        page = session.go(path)
        assert page.locator(".page-tabs a").count() >= 2, path
        short[path] = _short(page, ".page-tabs a")
    session.close()
    assert short == {key: [] for key in short}


def test_a_resident_taps_targets_of_44_px_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    submit(cast)
    session = Session(browser, "phone", cast.resident, live_server.url)
    page = session.go("/")
    assert page.locator(".home-list li > a").count() >= 1
    assert _short(page, ".brand, .card-head a, .home-list li > a") == []
    session.shot("home")
    session.close()
