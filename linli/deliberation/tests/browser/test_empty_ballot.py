"""In headless Chromium: a ballot with nothing ticked is refused before the page asks to confirm it — the page
says to tick an option, nothing is sent and nothing is lost; once one is ticked the question comes and the ballot
is cast. The same for a paper ballot a grid worker records."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Hall, vote_of
from .conftest import shot, signed_in_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("method", ["multiple", "single"])
def test_an_empty_ballot_is_refused_before_the_confirmation(
    live_server: Any, browser_hall: Hall, browser: Any, method: str
) -> None:
    from playwright.sync_api import expect

    from linli.deliberation.models import Ballot

    cast = browser_hall.cast
    vote = vote_of(cast, method, "活动室开放哪些项目", ("棋牌", "书画", "舞蹈"))
    page = signed_in_page(browser, "phone", browser_hall.residents[1], live_server.url)
    page.goto(f"{live_server.url}/deliberation/hall/votes/{vote.pk}/")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    ballot = page.locator(f"form[action='/deliberation/hall/votes/{vote.pk}/ballot/']")
    ballot.get_by_role("button", name="投票").click()
    expect(ballot.get_by_role("alert")).to_have_text("请至少勾选一项。")
    shot(page, f"empty-ballot-{method}")
    assert asked == [] and not Ballot.objects.exists()
    assert page.url.endswith(f"/votes/{vote.pk}/")

    ballot.get_by_label("书画").check()
    expect(ballot.get_by_role("alert")).to_be_hidden()
    ballot.get_by_role("button", name="投票").click()
    expect(page.locator(".msg.success")).to_be_visible()
    assert asked == ["确定投出这张选票吗？投出后不能更改。"]
    assert [o.label for o in Ballot.objects.get().choices.all()] == ["书画"]
    page.context.close()
