"""吹哨报到, 不属于本单位职责, in headless Chromium: a summoned department's handler, on a phone (390 × 844), says the
matter is not its unit's duty and why; the community that summoned it, at a desk (1400 × 900), reads the reason and
insists with a note; the handler finds the part back with the note, to report in, and reports in. The summons is
set up through the services; one walk, both sizes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linli.testing.browser import SCREENSHOTS, SignedInSession

pytestmark = pytest.mark.browser

WHY = "广告牌设在小区内部，属物业管理范围，不属于城管执法职责。"
INSIST = "经现场核实，广告牌占用市政道路，属城管职责，请按时报到。"


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "whistle-decline"


def test_a_summoned_department_declines_the_summoner_insists_and_the_department_reports_in(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import AppealPart
    from linli.appeals.tests.factories import at_community
    from linli.testing import build_cast

    cast = build_cast()
    appeal = at_community(cast, title="小区门口违规广告牌")
    (part,) = services.appeal_whistle(
        actor=cast.community_worker,
        appeal=appeal,
        units=[cast.department],
        reason="请到现场联合处置违规广告牌。",
    )
    url = f"/appeals/{appeal.pk}/"

    department = Session(browser, "phone", cast.department_handler, live_server.url)
    page = department.go(url)
    step = page.locator(f"#part-step-{part.pk}")
    step.locator("summary", has_text="不属于本单位职责？").click()
    step.locator(f"#decline-reason-{part.pk}").fill(WHY)
    department.shot("declining")
    step.locator('button[data-part-step="decline"]').click()
    expect(page.locator(".msg.success")).to_contain_text("已申明不属于本单位职责")
    expect(page.locator(f'li[data-part="{part.pk}"]')).to_contain_text("申明不属于本单位职责，等待吹哨方决定")
    step = page.locator(f"#part-step-{part.pk}")
    expect(step.locator('[data-part-note="declined"]')).to_be_visible()
    expect(step.locator('button[data-part-step="decline"]')).to_have_count(0)  # a unit declines once
    # It may still report in, but the page no longer urges it to (not the red main button while it waits).
    expect(step.locator('button[data-part-step="report_in"]')).to_have_class(re.compile(r"\bap-secondary\b"))
    department.shot("declined")
    department.close()

    community = Session(browser, "desktop", cast.community_worker, live_server.url)
    page = community.go(url)
    # The actions card says a decision is waiting and leads to it (on a phone the part is far below).
    waiting = page.locator(f'#actions a[data-part-waiting="{part.pk}"]')
    expect(waiting).to_contain_text(cast.department.name)
    waiting.click()
    row = page.locator(f'li[data-part="{part.pk}"]')
    expect(row).to_be_in_viewport()
    expect(row.locator('button[data-part-step="urge"]')).to_have_count(0)  # it waits, it is not late
    expect(row.locator('[data-part-fact="declined"]')).to_contain_text(WHY)
    expect(row).to_contain_text("请决定：坚持由其办理，或撤回召集")
    row.locator(f"#insist-note-{part.pk}").fill(INSIST)
    community.shot("insisting")
    row.locator('button[data-part-step="insist"]').click()
    expect(page.locator(".msg.success")).to_contain_text("已坚持由该单位办理")
    row = page.locator(f'li[data-part="{part.pk}"]')
    expect(row.locator('[data-part-fact="insisted"]')).to_contain_text(INSIST)
    expect(row).to_contain_text("待报到")
    expect(row.locator('button[data-part-step="insist"]')).to_have_count(0)
    expect(page.locator("#actions [data-part-waiting]")).to_have_count(0)
    community.close()

    department = Session(browser, "phone", cast.department_handler, live_server.url)
    page = department.go(url)
    step = page.locator(f"#part-step-{part.pk}")
    expect(step.locator('[data-part-note="insisted"]')).to_contain_text(INSIST)
    expect(step.locator('button[data-part-step="decline"]')).to_have_count(0)
    department.shot("insisted")
    step.locator('button[data-part-step="report_in"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator(f'li[data-part="{part.pk}"]')).to_contain_text("已报到，办理中")
    department.close()
    assert AppealPart.objects.get(pk=part.pk).reported_in_at is not None
