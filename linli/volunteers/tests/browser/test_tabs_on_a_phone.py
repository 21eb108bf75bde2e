"""On a phone (390 px), a resident's volunteering tabs are one row that scrolls sideways, as every page's are: they
wrapped to a second row (积分超市 under the rest), which read as a second level of tabs. The current tab is scrolled
into view and each tab is 44 px high to tap."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession, tab_strips

pytestmark = pytest.mark.browser


class Phone(SignedInSession):
    prefix = "volunteers-tabs"


def test_a_residents_tabs_are_one_row_with_the_current_one_in_view(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.testing import build_cast
    from linli.volunteers import services as volunteers

    cast = build_cast()
    volunteers.volunteer_enrol(
        actor=None, community=cast.community, name="居民一", account_id=cast.resident.pk
    )
    s = Phone(browser, "phone", cast.resident, live_server.url)
    page = s.go("/volunteers/store/")
    [strip] = tab_strips(page)
    assert strip["rows"] == 1 and strip["shortest"] >= 44 and strip["inView"], strip
    s.shot("store")
    s.close()
