"""A member's points as their branch's secretary reads them, in headless Chromium. On a phone each entry of the
ledger is two lines (its date, points and kind, then the reason), not four labelled lines of 108 px each (a page of
50 entries was 5,400 px). On a desktop the ledger is the wide column beside the narrow one with the entry's form and
how points are earned (it was the narrow one, each date broken over two lines)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.testing.browser import SIZES, SignedInSession

from ..helpers import party_orgs, verified

pytestmark = pytest.mark.browser


class Secretary(SignedInSession):
    prefix = "party-points-ledger"


@pytest.mark.parametrize("size", list(SIZES))
def test_a_members_ledger_reads_compactly_at_both_sizes(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from linli.party import services as party
    from linli.testing import build_cast

    cast = build_cast()
    branch = party_orgs(cast)["branch"]
    me = party.party_member_create(
        actor=None, name="张三", party_org=branch, resident=cast.resident_record, phone="13812345678"
    )
    party.party_member_set_position(actor=None, member=me, position="secretary")
    wang = party.party_member_create(actor=None, name="王五", party_org=branch, phone="13700001111")
    for reason in ("参加楼道清理", "协助入户走访独居老人并登记需求", "组织垃圾分类宣传"):
        party.member_points_grant(actor=cast.community_worker, member=wang, points=2, reason=reason)
    verified(cast.resident, cast.household)

    s = Secretary(browser, size, cast.resident, live_server.url)
    page = s.go(reverse("party:branch_member_points", args=[branch.pk, wang.pk]))
    rows = page.locator("main section.table-card table tbody tr")
    assert rows.count() == 3
    ledger = page.locator("main section.table-card").bounding_box()
    form = page.locator("main form.card").bounding_box()
    if size == "phone":
        heights = [rows.nth(i).bounding_box()["height"] for i in range(3)]
        assert max(heights) < 80, heights  # two lines (71 px), not four (108 px)
        assert form["y"] < ledger["y"]  # the entry's form first, where the secretary's thumb is
    else:
        assert ledger["width"] > form["width"]  # the list wide, the form narrow
        date = page.locator("main section.table-card tbody td").first.bounding_box()
        assert date["height"] < 50, date  # 2026-12-08 on one line
    assert page.locator("main #points-rules").is_visible()  # how points are earned, beside the form
    s.shot("ledger")
    s.close()
