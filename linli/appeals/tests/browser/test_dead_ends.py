"""Found when tried as a new user would (issue 11), in headless Chromium at phone (390 × 844) and desktop
(1400 × 900) size: an appeal with only a description waits at a triage desk where a person places, classifies
and dispatches it; a summoned department's "完成协办" completes its part only and the organising unit confirms
and resolves; the monthly PDF report downloaded from the dashboard has a cover, page numbers and its font inside.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from linli.testing.browser import SCREENSHOTS, SIZES, SignedInSession

pytestmark = pytest.mark.browser


class Session(SignedInSession):
    shots, prefix = SCREENSHOTS, "deadends"
    # The page's own markup is what a test waits for (each step then awaits what it needs), not every image and
    # script of the page to load.
    wait_until = "domcontentloaded"


@pytest.mark.parametrize("size", SIZES)
def test_an_appeal_with_only_a_description_waits_at_the_triage_desk_which_places_and_dispatches_it(
    live_server: Any, transactional_db: None, browser: Any, monkeypatch: pytest.MonkeyPatch, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import classifier_says
    from linli.testing import build_cast

    cast = build_cast()
    classifier_says(monkeypatch, "environment.noise", 0.05)  # the classifier cannot place it

    # The process's first report form costs seconds (templates compiled, modules imported on first use); on a
    # loaded machine that alone can exceed the browser's wait, so the process serves one before the browser asks.
    warm = Client()
    warm.force_login(cast.resident)
    assert warm.get("/appeals/new/").status_code == 200

    # A resident writes only what happened: no title, no category, no place.
    resident = Session(browser, size, cast.resident, live_server.url)
    page = resident.go("/appeals/new/")
    page.locator("#id_description").fill("最近每天晚上十一点以后楼下总有人大声喧哗，吵得老人孩子睡不着。")
    resident.shot("only-a-description")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("已受理")
    appeal = Appeal.objects.get()
    # Never without a unit, a deadline and a queue: the desk of the lowest unit it can be placed in.
    assert appeal.state == "accepted" and appeal.unit_node is not None
    assert appeal.ack_due_at is not None and appeal.resolve_due_at is not None
    resident.shot("submitted")
    resident.close()

    desk_user = {"district": cast.district_leader, "street": cast.street_officer}.get(
        appeal.tier, cast.community_worker
    )
    desk = Session(browser, size, desk_user, live_server.url)
    page = desk.go("/appeals/workbench/?tab=supervise")
    item = page.locator(f'[data-appeal="{appeal.pk}"]')
    expect(item).to_contain_text("待定位")
    desk.shot("desk-queue")
    item.locator("a").first.click()
    expect(page).to_have_url(f"{live_server.url}/appeals/{appeal.pk}/")
    page.locator("#action-dispatch summary").click()
    page.locator("#id_dispatch-grid").select_option(value=cast.grid.code)
    page.locator("#id_dispatch-category").select_option(value="environment.noise")
    page.locator("#id_dispatch-tier").select_option(value="grid")
    page.locator("#id_dispatch-reason").fill("夜间噪声扰民，在阳光一网格，交网格员先行处置。")
    desk.shot("desk-dispatch")
    page.locator('#action-dispatch button[data-action="dispatch"]').click()
    expect(page.locator(".msg.success")).to_contain_text("已派单")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.tier, appeal.grid, appeal.category.code) == (
        "dispatched",
        "grid",
        cast.grid,
        "environment.noise",
    )
    desk.close()

    # The grid worker finds it in their queue.
    worker = Session(browser, size, cast.grid_worker, live_server.url)
    page = worker.go("/appeals/workbench/")
    expect(page.locator(f'[data-appeal="{appeal.pk}"]')).to_be_visible()
    worker.shot("grid-worker-queue")
    worker.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_summoned_department_completes_its_part_and_the_organising_unit_confirms(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect

    from linli.appeals import services
    from linli.appeals.models import Appeal, AppealPart
    from linli.appeals.tests.factories import at_community
    from linli.testing import build_cast

    cast = build_cast()
    appeal = at_community(cast, title="小区门口违规广告牌")
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场拆除广告牌。"
    )

    department = Session(browser, size, cast.department_handler, live_server.url)
    page = department.go(f"/appeals/{appeal.pk}/")
    step = page.locator(f"#actions #part-step-{part.pk}")  # the part's steps sit in the 操作 card
    step.locator('button[data-part-step="report_in"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    # Completing without saying what was done: the note is marked, and the address bar names the appeal.
    page.locator(f'#part-step-{part.pk} button[data-part-step="complete"]').click()
    step = page.locator(f"#actions #part-step-{part.pk}")
    expect(step.locator(".has-error .errorlist")).to_contain_text("：此项为必填项。")
    assert page.url.endswith(f"/appeals/{appeal.pk}/")
    department.shot("part-note-missing")
    page.reload()
    step = page.locator(f"#actions #part-step-{part.pk}")
    step.locator("textarea").fill("已到现场拆除违规广告牌，并清理了残留支架。")
    department.shot("complete-part")
    step.locator('button[data-part-step="complete"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator(f'li[data-part="{part.pk}"]')).to_contain_text("拆除违规广告牌")
    expect(page.locator("#trace")).to_contain_text(f"{cast.department.name} · ")
    # The department's completion is not the appeal's: it waits for the organising unit.
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.state == "in_progress" and appeal.resolution_note == ""
    assert AppealPart.objects.get(pk=part.pk).done_at is not None
    expect(page.locator('[data-action="resolve"]')).to_have_count(0)
    department.shot("part-done")
    department.close()

    community = Session(browser, size, cast.community_worker, live_server.url)
    page = community.go("/appeals/inbox/")
    expect(page.locator("body")).to_contain_text("协办")
    community.shot("told-parts-done")
    page = community.go(f"/appeals/{appeal.pk}/")
    expect(page.locator(f'li[data-part="{part.pk}"]')).to_contain_text("已完成")
    page.locator("#action-resolve summary").click()
    page.locator("#id_resolve-note").fill("经社区现场核实，城管已拆除广告牌，问题解决。")
    community.shot("confirm-and-resolve")
    page.locator('#action-resolve button[data-action="resolve"]').click()
    expect(page.locator(".msg.success")).to_be_visible()
    appeal.refresh_from_db()
    assert appeal.state == "resolved"
    assert appeal.resolution_note == "经社区现场核实，城管已拆除广告牌，问题解决。"
    community.close()


def _fonts_drawing_text(reader: Any) -> dict[str, Any]:
    """Every font some page draws text with (set by Tf, then used by a text-showing operator), by base name,
    resolved to the font that carries the glyphs (a Type0 font's descendant). A font only named in a resource
    dictionary, or set in an empty text block (reportlab's initial Helvetica), draws nothing and is left out."""
    from pypdf.generic import ContentStream

    fonts: dict[str, Any] = {}
    for pg in reader.pages:
        table = pg["/Resources"]["/Font"].get_object()
        current = None
        for operands, operator in ContentStream(pg.get_contents(), reader).operations:
            if operator == b"Tf":
                current = str(operands[0])
            elif operator in (b"Tj", b"TJ", b"'", b'"') and current is not None:
                font = table[current].get_object()
                glyphs = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                fonts[str(font["/BaseFont"])] = glyphs
    return fonts


@pytest.mark.parametrize("size", SIZES)
def test_the_monthly_pdf_from_the_dashboard_has_a_cover_page_numbers_and_its_font_inside(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from playwright.sync_api import expect
    from pypdf import PdfReader

    from linli.appeals.tests.factories import resolve_by_grid_worker, submit
    from linli.testing import build_cast

    cast = build_cast()
    for title in ("楼道灯坏了", "单元门禁坏了", "垃圾桶满溢"):
        resolve_by_grid_worker(cast, submit(cast, title=title))
    submit(cast, title="消防通道堵塞")

    leader = Session(browser, size, cast.district_leader, live_server.url, accept_downloads=True)
    page = leader.go("/dashboard/")
    link = page.locator("#report-pdf")
    expect(link).to_be_visible()
    leader.shot("dashboard-report-link")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    body = Path(download.path()).read_bytes()
    leader.close()

    reader = PdfReader(io.BytesIO(body))
    fonts = _fonts_drawing_text(reader)
    assert fonts
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        # Each font travels inside the file (a subset: its name carries the ABCDEF+ tag), so the report opens
        # and prints the same on a machine without any Chinese font.
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
        if font.get("/Subtype") in ("/CIDFontType2", "/TrueType"):
            assert "+" in name, name
    assert "STSong-Light" not in " ".join(fonts)
    pages = [p.extract_text() for p in reader.pages]
    n = len(pages)
    assert n >= 2
    cover = pages[0]
    assert "接诉即办工作月报" in cover and cast.district.name in cover and "生成时间" in cover
    for i, text in enumerate(pages, start=1):
        assert f"第 {i} 页 / 共 {n} 页" in text
