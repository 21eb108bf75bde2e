"""In headless Chromium: closing a vote early cannot be undone, so the page asks first (a form's `data-confirm`,
web/static/web/site.js). Declining sends nothing and the vote stays open; confirming closes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import browser_context, sign_in_context

pytestmark = pytest.mark.browser


def test_closing_a_vote_early_asks_first(live_server: Any, transactional_db: None, browser: Any) -> None:
    from playwright.sync_api import expect

    from linli.deliberation import services
    from linli.deliberation.models import Vote
    from linli.testing import build_cast

    from ..conftest import build_hall

    hall = build_hall(build_cast())
    cast, worker = hall.cast, hall.cast.community_worker
    vote = services.vote_create(
        actor=worker,
        node=cast.compound,
        title="使用维修资金加装电梯",
        method="owners",
        matter="special",
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    context = browser_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in_context(context, worker, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/deliberation/hall/votes/{vote.pk}/")
    asked: list[str] = []

    def decline(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="立即结束投票").click()
    expect(page.get_by_role("button", name="立即结束投票")).to_be_visible()
    assert asked == ["确定现在结束投票吗？结束后各户不能再投票，结果立即统计。"]
    assert Vote.objects.get(pk=vote.pk).closed_at is None

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="立即结束投票").click()
    expect(page.get_by_role("button", name="立即结束投票")).to_have_count(0)
    assert Vote.objects.get(pk=vote.pk).closed_at is not None
    context.close()
