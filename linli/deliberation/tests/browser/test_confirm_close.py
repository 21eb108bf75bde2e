"""In headless Chromium: closing a vote early cannot be undone, so the page asks first (a form's `data-confirm`,
web/static/web/site.js). Declining sends nothing and the vote stays open; confirming closes it."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Hall, owners_vote
from .conftest import signed_in_page

pytestmark = pytest.mark.browser


def test_closing_a_vote_early_asks_first(live_server: Any, browser_hall: Hall, browser: Any) -> None:
    from playwright.sync_api import expect

    from linli.deliberation.models import Vote

    vote = owners_vote(browser_hall.cast, special=True)
    page = signed_in_page(browser, "phone", browser_hall.cast.community_worker, live_server.url)
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
    page.context.close()
