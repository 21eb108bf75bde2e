"""The dispatch catalogue's review in headless Chromium at phone and desktop size (issue 11): the district leader
drafts a change from the active version and submits it; the administrator approves and activates it. And the
pages that show the whistle figures and the calendar warning: the dashboard's department ranking, the
administrator's home in November without next year's holidays."""

from __future__ import annotations

from typing import Any

import pytest

from linli.appeals.tests.browser.test_whistle import SIZES, Session

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", SIZES)
def test_a_catalogue_draft_is_edited_reviewed_and_activated(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import CatalogueVersion
    from linli.testing import build_cast

    cast = build_cast()
    services.category_sync_defaults()
    services.catalogue_create_default()
    leader = Session(browser, size, cast.district_leader, live_server.url)
    page = leader.go("/appeals/catalogue/")
    page.locator("#draft-note").fill("油烟直派生态环境部门")
    page.locator('button[data-action="catalogue_draft_new"]').click()
    expect(page.locator("#version-status")).to_contain_text("草稿")
    page.locator("#id_category").select_option("environment.cooking_fumes")
    page.locator("#id_area").select_option(str(cast.district.pk))
    page.locator("#id_tier").select_option("department")
    page.locator("#id_organisation").select_option(str(cast.department.pk))
    page.locator('button[data-action="catalogue_entry_set"]').click()
    expect(page.locator("#catalogue-entries")).to_contain_text(cast.department.name)
    leader.shot("catalogue-draft")
    page.locator('button[data-action="catalogue_submit"]').click()
    expect(page.locator("#version-status")).to_contain_text("审核中")
    expect(page.locator("body")).to_contain_text("须由另一位人员审核")
    leader.close()

    admin = Session(browser, size, cast.admin, live_server.url)
    draft = CatalogueVersion.objects.get(status="review")
    page = admin.go(f"/appeals/catalogue/{draft.pk}/")
    page.locator("#review-note").fill("已核对生态环境局职责")
    page.locator('button[data-action="catalogue_approve"]').click()
    page.once("dialog", lambda dialog: dialog.accept())  # activating cannot be undone: the page asks first
    page.locator('button[data-action="catalogue_activate"]').click()
    expect(page.locator("#version-status")).to_contain_text("生效中")
    page = admin.go("/appeals/catalogue/")
    expect(page.locator("#catalogue-versions")).to_contain_text("已核对生态环境局职责")
    admin.shot("catalogue-versions")
    admin.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_dashboard_ranks_departments_and_the_admin_home_warns_of_the_calendar(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.tests.test_department_ranking import build_two_departments
    from linli.core import workdays
    from linli.testing import build_cast

    cast = build_cast()
    build_two_departments(cast)
    leader = Session(browser, size, cast.district_leader, live_server.url)
    page = leader.go("/dashboard/?period=month&date=2026-11-01")
    table = page.locator("#department-table")
    expect(table).to_contain_text(cast.department.name)
    table.scroll_into_view_if_needed()
    leader.shot("dashboard-departments")
    leader.close()

    admin = Session(browser, size, cast.admin, live_server.url)
    page = admin.go("/")
    year = workdays.holidays_missing_year()
    if year is not None:  # November or December, next year unknown to the package: the warning shows
        expect(page.locator("#calendar-warning")).to_contain_text(f"{year}年的节假日尚未录入")
    else:
        expect(page.locator("#calendar-warning")).to_have_count(0)
    admin.shot("admin-home")
    admin.close()
