"""In headless Chromium at phone and desktop size (issue 11): an appeal returned at the district tier is not stuck with the
administrator — the district leader dispatches it to a department from its page."""

from __future__ import annotations

from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SIZES, sign_in_context, sized_context

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", SIZES)
def test_district_leader_dispatches_a_returned_district_tier_appeal_to_a_department(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(
        cast,
        title="和平路路面塌陷",
        category_code="urban_construction.road_works",
        description="和平路路面塌陷一个大坑，车辆经过很危险。",
    )
    while appeal.tier != "district":
        appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="需要上级协调处置")
    services.appeal_return(actor=cast.district_leader, appeal=appeal, reason="区级不直接施工，应由部门处置")

    context = sized_context(browser, size)
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    sign_in_context(context, cast.district_leader, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    page.locator("#action-dispatch summary").click()
    page.locator("#id_dispatch-organisation").select_option(label=cast.department.name)
    page.locator("#id_dispatch-reason").fill("道路维修归区城管委，请尽快处置。")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"appeals-district-dispatch-{size}.png"), full_page=True)
    page.locator('#action-dispatch button[data-action="dispatch"]').click()
    expect(page.locator(".msg.success")).to_contain_text("已派单")
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert (appeal.state, appeal.tier, appeal.unit_org) == ("dispatched", "department", cast.department)
    assert not errors
    context.close()
