"""On a phone (390 × 844, touch), what a finger taps on party's lists is 44 px high at least: an organisation's name
in the tree (24 px) and the fold of its party groups (32 px), a member's or a registration's name in the lists
(23 px; on a phone it is the only way to the record) and a registration's member record (21 px), the branch chosen for a meeting (23 px), an organisation's sub-organisations and the way back from the stars' rules (21 px), and on 我的支部 a
member's name, which on a phone is the only way to their points (21 px: the 积分 button is the desktop's), and the
name of each indicator over its note in the branch's self-assessment (23 px)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import SignedInSession, short_targets

from ..helpers import party_orgs, verified

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    prefix = "party-phone-targets"


def test_party_lists_are_tapped_at_44_px_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.party import services as party
    from linli.testing import build_cast

    cast = build_cast()
    orgs = party_orgs(cast)
    branch = orgs["branch"]
    party.party_org_create(actor=None, kind="group", name="第一党小组", org_node=cast.compound, parent=branch)
    me = party.party_member_create(
        actor=None, name="张三", party_org=branch, resident=cast.resident_record, phone="13812345678"
    )
    party.party_member_set_position(actor=None, member=me, position="secretary")
    wang = party.party_member_create(actor=None, name="王五", party_org=branch, phone="13700001111")
    reg = party.member_registration_register(
        actor=None,
        member=wang,
        community=cast.community,
        workplace="市第一医院",
        specialty="medical",
        registered_on=timezone.localdate(),
    )
    verified(cast.resident, cast.household)
    party.branch_stars_compute(actor=None, branch=branch, year=timezone.localdate().year)

    staff = Session(browser, "phone", cast.community_worker, live_server.url)
    short: dict[str, list[str]] = {}
    for path, selector in (
        ("/party/", ".pt-org-name, .pt-groups > summary"),
        ("/party/members/", "td a"),
        ("/party/registrations/", "td a"),
        (f"/party/meetings/?branch={branch.pk}", ".page-row select, .page-row .btn"),
        (f"/party/registrations/{reg.pk}/", ".deflist dd a"),  # the member's record
        (f"/party/orgs/{branch.pk}/", ".pt-links a"),  # its party group (21 px)
        ("/party/stars/rules/", "p > a[href='/party/stars/']"),  # back to the stars (21 px)
    ):
        staff.go(path)
        assert staff.page.locator(f"main {selector}").count(), path
        short[path] = short_targets(staff.page, selector, within="main", wide=True)
        if path == f"/party/registrations/{reg.pk}/":
            # The member's organisation is in the link: beside it, it fell under the 44 px link on a line of its own.
            assert staff.page.locator("main .deflist dd a").first.inner_text() == f"王五（{branch.name}）"
    staff.shot("orgs")
    staff.close()

    secretary = Session(browser, "phone", cast.resident, live_server.url)
    secretary.go(f"/party/branch/{branch.pk}/")
    assert secretary.page.locator("#members td:first-child > a").count() == 2
    short["branch"] = short_targets(secretary.page, "#members td:first-child > a", within="main", wide=True)
    secretary.shot("branch")
    # The self-assessment's note on each indicator is named by the indicator above its box (23 px).
    secretary.go(f"/party/branch/{branch.pk}/stars/self-assessment/")
    assert secretary.page.locator(".pt-ind-head label").count() >= 3
    short["self-assessment"] = short_targets(secretary.page, ".pt-ind-head label", within="main")
    secretary.shot("self-assessment")
    secretary.close()
    assert {k: v for k, v in short.items() if v} == {}
