"""In headless Chromium: steps on an appeal that cannot be undone ask first (a form's `data-confirm`, handled by
web/static/web/site.js). Declining sends nothing and the appeal stays as it was; confirming takes the step."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SignedInSession

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    prefix = "appeal-confirm"


def _answer(page: Any, accept: bool) -> list[str]:
    """Answer the next question the page asks (accept or decline); the list gets its text."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return asked


def test_a_resident_is_asked_before_withdrawing(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.choices import AppealState
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast)
    session = Session(browser, "phone", cast.resident, live_server.url)
    page = session.go(f"/appeals/track/{appeal.tracking_number}/")
    page.get_by_text("撤回此诉求").click()
    page.get_by_label("撤回原因").fill("已经自己修好了")

    asked = _answer(page, accept=False)
    page.get_by_role("button", name="撤回", exact=True).click()
    expect(page.get_by_role("button", name="撤回", exact=True)).to_be_visible()
    assert asked == ["确定撤回这件诉求吗？撤回后不再办理，也不能恢复。"]
    page.wait_for_timeout(300)  # had the form been sent, the page would be on its way by now
    assert Appeal.objects.get(pk=appeal.pk).state != AppealState.CLOSED

    asked = _answer(page, accept=True)
    page.get_by_role("button", name="撤回", exact=True).click()
    expect(page.get_by_text("您的诉求已撤回")).to_be_visible()
    assert asked
    withdrawn = Appeal.objects.get(pk=appeal.pk)
    assert (withdrawn.state, withdrawn.outcome) == (AppealState.CLOSED, "withdrawn")
    session.shot("withdrawn")
    session.close()


def test_closing_an_appeal_asks_the_supervisor_first(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.choices import AppealState
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import resolve_by_grid_worker, submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = resolve_by_grid_worker(cast, submit(cast))
    session = Session(browser, "desktop", cast.community_worker, live_server.url)
    page = session.go(f"/appeals/{appeal.pk}/")
    page.locator("#action-close summary").click()
    close = page.locator('button[data-action="close"]')

    asked = _answer(page, accept=False)
    close.click()
    expect(close).to_be_enabled()  # declined: the form was not sent, so its button was not disabled either
    assert asked == ["确定结案吗？结案后不能撤销。"]
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.RESOLVED

    _answer(page, accept=True)
    close.click()
    expect(page.locator(".msg.success")).to_contain_text("已结案")
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.CLOSED
    session.close()
