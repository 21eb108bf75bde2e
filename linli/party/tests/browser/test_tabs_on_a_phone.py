"""On a phone (390 px), party's section tabs are one row that scrolls sideways, never two rows: each tab 44 px high
to tap, and the current one scrolled into view (web/site.js) when it lies past the screen's edge (星级党支部, the
last of seven, was off-screen to the right)."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession, tab_strips

pytestmark = pytest.mark.browser


class Phone(SignedInSession):
    prefix = "party-tabs"


@pytest.mark.parametrize(("path", "current"), [("/party/", "党组织"), ("/party/stars/", "星级党支部")])
def test_the_section_tabs_are_one_row_with_the_current_one_in_view(
    live_server: Any, transactional_db: None, browser: Any, path: str, current: str
) -> None:
    from linli.testing import build_cast

    cast = build_cast()
    s = Phone(browser, "phone", cast.community_worker, live_server.url)
    page = s.go(path)
    page.wait_for_load_state("load")
    strips = tab_strips(page)
    assert strips == [{"rows": 1, "wider": True, "shortest": 44, "current": current, "inView": True}], strips
    s.shot(path.strip("/").replace("/", "-"))
    s.close()
