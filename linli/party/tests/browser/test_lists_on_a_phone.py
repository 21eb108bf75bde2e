"""Party's long lists as a community worker reads them on a phone (390 px, touch), in headless Chromium: in the
members list a member is three lines (the name, a 44 px tap, with the position and the state; the branch; the phone
and employer), not six labelled lines of 218 px each (a page of 50 was 11,913 px in the demo); a phone or employer
not known takes no line. In the registrations list a registration is three or four lines."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession, short_targets

from ..helpers import party_orgs

pytestmark = pytest.mark.browser


class Staff(SignedInSession):
    prefix = "party-lists-phone"


def test_a_member_is_three_lines_of_the_list_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.party import services as party
    from linli.testing import build_cast

    cast = build_cast()
    branch = party_orgs(cast)["branch"]
    party.party_member_create(
        actor=None, name="王五", party_org=branch, phone="13700001111", workplace="市第一医院"
    )
    party.party_member_create(actor=None, name="赵敏", party_org=branch)  # no phone, no employer

    s = Staff(browser, "phone", cast.community_worker, live_server.url)
    page = s.go("/party/members/")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    heights = {
        rows.nth(i).locator("td").first.inner_text(): rows.nth(i).bounding_box()["height"] for i in range(2)
    }
    assert heights["王五"] < 130, heights  # three lines
    assert heights["赵敏"] < 100, heights  # two: nothing to say on the third
    assert "137****1111" in rows.nth(0).inner_text() + rows.nth(1).inner_text()
    assert short_targets(page, "td a", within="main", wide=True) == []
    s.shot("list")
    s.close()


def test_a_registration_is_three_or_four_lines_of_the_list_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """The name and phone with the state; the community, specialty and day registered; the workplace, and the post
    once given (labelled): not seven labelled lines of 245 px each (a page of 50 was 10,253 px in the demo)."""
    from django.utils import timezone

    from linli.party import services as party
    from linli.testing import build_cast

    cast = build_cast()
    branch = party_orgs(cast)["branch"]
    wang = party.party_member_create(actor=None, name="王五", party_org=branch, phone="13700001111")
    party.member_registration_register(
        actor=None,
        member=wang,
        community=cast.community,
        workplace="市第一医院",
        specialty="medical",
        registered_on=timezone.localdate(),
    )

    s = Staff(browser, "phone", cast.community_worker, live_server.url)
    page = s.go("/party/registrations/")
    row = page.locator("main table tbody tr")
    assert row.count() == 1
    assert row.bounding_box()["height"] < 150, row.bounding_box()
    assert "市第一医院" in row.inner_text()
    assert short_targets(page, "td a", within="main", wide=True) == []
    s.shot("registrations")
    s.close()
