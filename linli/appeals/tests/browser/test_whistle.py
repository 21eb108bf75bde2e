"""吹哨报到 in headless Chromium at phone (390 × 844) and desktop (1400 × 900) size (issue 11): a department's part
misses its report-in and is chased; the organising unit withdraws a summons; it records the part of a property
company with no account on its behalf; a grid worker's whistle request is summoned by the community."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.testing.browser import SCREENSHOTS, SIZES, SignedInSession

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "whistle"


@pytest.mark.parametrize("size", SIZES)
def test_a_department_misses_its_report_in_and_is_chased(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.jobs import JOBS
    from linli.appeals.models import AppealPart
    from linli.appeals.tests.factories import at_community
    from linli.testing import build_cast

    cast = build_cast()
    appeal = at_community(cast, title="小区门口占道经营")
    community = Session(browser, size, cast.community_worker, live_server.url)
    page = community.go(f"/appeals/{appeal.pk}/")
    page.locator("#action-whistle summary").click()
    page.get_by_label(cast.department.name).check()
    page.locator("#id_whistle-note").fill("占道经营屡劝不改，请城管到现场执法。")
    page.locator("#id_whistle-report_hours").fill("1")
    community.shot("summon-with-deadlines")
    page.locator('#action-whistle button[data-action="whistle"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    part = AppealPart.objects.get(appeal=appeal)
    expect(page.locator(f'li[data-part="{part.pk}"]')).to_contain_text("待报到")
    community.close()

    # The hour passes without a report-in; the worker's job chases the department and tells its leader.
    past = timezone.now() - dt.timedelta(minutes=5)
    AppealPart.objects.filter(pk=part.pk).update(report_due_at=past, warn_at=None)
    assert JOBS["appeals.part_report_ins"]() == 1

    department = Session(browser, size, cast.department_handler, live_server.url)
    page = department.go("/appeals/inbox/")
    expect(page.locator("body")).to_contain_text("请立即报到")
    department.shot("chased-inbox")
    page = department.go(f"/appeals/{appeal.pk}/")
    row = page.locator(f'li[data-part="{part.pk}"]')
    expect(row).to_contain_text("报到超时")
    expect(row).to_contain_text("已催报，并告知分管领导")
    department.shot("chased-part")
    page.locator(f"#part-step-{part.pk}").locator('button[data-part-step="report_in"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator(f'li[data-part="{part.pk}"]')).to_contain_text("已报到，办理中")
    department.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_organising_unit_withdraws_a_summons_with_a_reason(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.tests.factories import at_community
    from linli.testing import build_cast

    cast = build_cast()
    appeal = at_community(cast, title="楼道堆放杂物")
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场联合处置。"
    )
    community = Session(browser, size, cast.community_worker, live_server.url)
    page = community.go(f"/appeals/{appeal.pk}/")
    row = page.locator(f'li[data-part="{part.pk}"]')
    row.locator("summary", has_text="撤回召集").click()
    row.locator(f"#withdraw-note-{part.pk}").fill("经核实属物业职责，无需城管到场。")
    community.shot("withdraw-form")
    row.locator('button[data-part-step="withdraw"]').click()
    expect(page.locator(".msg.success")).to_contain_text("召集已撤回")
    row = page.locator(f'li[data-part="{part.pk}"]')
    expect(row).to_contain_text("召集已撤回")
    expect(row).to_contain_text("经核实属物业职责，无需城管到场。")
    community.shot("withdrawn")
    community.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_summoning_unit_records_a_property_companys_part_on_its_behalf(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import AppealPart
    from linli.appeals.tests.factories import at_community
    from linli.territory.models import Organisation
    from linli.testing import build_cast

    cast = build_cast()
    company = Organisation.objects.create(
        kind="property_company", name="幸福物业公司", code="PROP-1", org_node=cast.community
    )
    appeal = at_community(cast, title="电梯间垃圾无人清理")
    part, _department = services.appeal_whistle(
        actor=cast.community_worker,
        appeal=appeal,
        units=[company, cast.department],
        reason="请物业公司清理电梯间垃圾，城管到场劝导。",
    )
    community = Session(browser, size, cast.community_worker, live_server.url)
    page = community.go(f"/appeals/{appeal.pk}/")
    row = page.locator(f'li[data-part="{part.pk}"]')
    expect(row).to_contain_text("该单位未开通邻里账号")
    # The summoned units read as separate blocks: a rule and a gap between one and the next.
    first, second = (page.locator("#parts li.ap-part").nth(i).bounding_box() for i in (0, 1))
    assert second["y"] - (first["y"] + first["height"]) >= 8
    assert (
        page.locator("#parts li.ap-part").nth(1).evaluate("e => getComputedStyle(e).borderTopStyle")
        == "solid"
    )
    step = page.locator(f"#part-step-{part.pk}")
    step.locator(f"#part-note-{part.pk}").fill("物业经理电话报到，下午到场")
    community.shot("on-behalf-report-in")
    step.locator('button[data-part-step="report_in"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    step = page.locator(f"#part-step-{part.pk}")
    step.locator(f"#part-note-{part.pk}").fill("物业已清理电梯间垃圾，并增加保洁频次。")
    step.locator('button[data-part-step="complete"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    row = page.locator(f'li[data-part="{part.pk}"]')
    expect(row).to_contain_text("已代为记录")
    expect(row).to_contain_text("已完成")
    community.shot("on-behalf-done")
    community.close()
    assert AppealPart.objects.get(pk=part.pk).on_behalf


@pytest.mark.parametrize("size", SIZES)
def test_a_grid_worker_whistles_and_the_community_summons_from_the_request(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import AppealPart, WhistleRequest
    from linli.appeals.tests.factories import submit
    from linli.testing import build_cast

    cast = build_cast()
    appeal = submit(cast, title="商户油烟扰民")
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    grid = Session(browser, size, cast.grid_worker, live_server.url)
    page = grid.go(f"/appeals/{appeal.pk}/")
    page.locator("#action-whistle_request summary").click()
    page.locator("#id_whistle_request-reason").fill("商户油烟屡次劝导无效，需要执法部门到场。")
    grid.shot("grid-request")
    page.locator('#action-whistle_request button[data-action="whistle_request"]').click()
    expect(page.locator(".msg.success")).to_contain_text("网格吹哨申请已提交")
    expect(page.locator("#whistle-request")).to_contain_text("等待社区处理")
    grid.close()

    community = Session(browser, size, cast.community_worker, live_server.url)
    page = community.go("/appeals/workbench/?tab=whistle_requests")
    expect(page.locator("body")).to_contain_text(appeal.tracking_number)
    community.shot("community-queue")
    page.get_by_role("link", name=f"{appeal.tracking_number} {appeal.title}").click()
    page.locator("#action-wr summary").click()
    page.locator("#whistle-request").get_by_label(cast.department.name).check()
    page.locator("#id_wr-note").fill("网格员申请吹哨，请城管到现场执法。")
    community.shot("community-summon")
    page.locator('button[data-action="whistle_request_summon"]').click()
    expect(page.locator(".msg.success")).to_contain_text("已根据网格吹哨申请召集部门")
    expect(page.locator("#parts")).to_contain_text(cast.department.name)
    community.shot("community-summoned")
    community.close()
    assert WhistleRequest.objects.get(appeal=appeal).status == "summoned"
    assert AppealPart.objects.filter(appeal=appeal, organisation=cast.department).exists()
