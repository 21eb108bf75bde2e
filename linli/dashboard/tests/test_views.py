"""The pages and the API over HTTP: scoping, drill-down, the appeals behind a figure, exports, reports, and the
public disclosure with no personal data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from linli.appeals.models import Category
from linli.dashboard import services
from linli.dashboard.models import MonthlyReport
from linli.dashboard.reports import monthly_reports_write
from linli.testing import Cast

from . import fixed_set

pytestmark = pytest.mark.django_db
SEPT = "period=month&date=2026-09-01"


@pytest.fixture
def data(cast: Cast) -> dict:
    appeals = fixed_set.build(cast)
    services.rollups_refresh_all()
    return appeals


def _figure(html: str, name: str) -> str:
    marker = f'data-figure="{name}"'
    start = html.index(marker)
    value_at = html.index('class="kpi-value">', start) + len('class="kpi-value">')
    return html[value_at : html.index("<", value_at)]


def test_district_leader_sees_the_district_and_drills_down(client_for, cast: Cast, data: dict) -> None:
    c = client_for("district_leader")
    page = c.get(f"/dashboard/?{SEPT}").content.decode()
    assert _figure(page, "received") == "8"
    assert _figure(page, "resolution_rate") == "80.0%"
    assert _figure(page, "overdue_open") == "1"
    assert f"unit=n{cast.street.pk}" in page  # the street, one level down, is a drill-down link
    community = c.get(f"/dashboard/?unit=n{cast.community.pk}&{SEPT}").content.decode()
    assert _figure(community, "received") == "6"
    assert f"unit=n{cast.compound.pk}" in community  # its one compound, then the compound's grid
    compound = c.get(f"/dashboard/?unit=n{cast.compound.pk}&{SEPT}").content.decode()
    assert f"unit=g{cast.grid.pk}" in compound
    grid = c.get(f"/dashboard/?unit=g{cast.grid.pk}&{SEPT}").content.decode()
    assert _figure(grid, "received") == "6"
    cat = c.get(f"/dashboard/?unit=n{cast.street.pk}&{SEPT}&category=environment").content.decode()
    assert _figure(cat, "received") == "4"


def test_a_community_worker_sees_only_their_community(client_for, cast: Cast, data: dict) -> None:
    c = client_for("community_worker")
    page = c.get(f"/dashboard/?{SEPT}").content.decode()
    assert "幸福社区" in page and _figure(page, "received") == "6"
    assert c.get(f"/dashboard/?unit=n{cast.other_community.pk}&{SEPT}").status_code == 404
    assert c.get(f"/dashboard/?unit=g{cast.other_grid.pk}&{SEPT}").status_code == 404
    assert c.get(f"/dashboard/?unit=n{cast.street.pk}&{SEPT}").status_code == 404
    assert c.get(f"/api/dashboard/figures?unit=n{cast.other_community.pk}").status_code == 404
    out = client_for("outsider")
    assert out.get(f"/dashboard/?unit=n{cast.community.pk}&{SEPT}").status_code in (403, 404)
    assert client_for("department_handler").get("/dashboard/").status_code == 403
    assert Client().get("/dashboard/").status_code == 302


def test_bad_period_gets_a_clear_message_and_the_default_page(client_for, data: dict) -> None:
    r = client_for("district_leader").get("/dashboard/?period=month&date=2026-13-45")
    assert r.status_code == 200
    assert "YYYY-MM-DD" in r.content.decode()
    api = client_for("district_leader").get(
        "/api/dashboard/figures?period=custom&start=2026-09-10&end=2026-09-01"
    )
    assert api.status_code == 422 and api.json()["code"] == "invalid"


def test_the_period_note_names_the_choice_by_its_label(client_for, data: dict) -> None:
    """The note under the heading sends a leader to the period choice by the words on it, 统计周期 (it said 周期)."""
    page = client_for("district_leader").get("/dashboard/").content.decode()
    label = re.search(r'<label class="field" for="dash-period"><span>([^<]+)</span>', page)
    assert label is not None and f"在“{label.group(1)}”中选择“月”" in page, label


def test_the_appeals_behind_a_figure_and_their_masked_export(client_for, cast: Cast, data: dict) -> None:
    c = client_for("district_leader")
    page = c.get(f"/dashboard/appeals/?measure=overdue&{SEPT}").content.decode()
    assert data["A4"].tracking_number in page and data["A1"].tracking_number not in page
    unsatisfied = c.get(f"/dashboard/appeals/?measure=unsatisfied&{SEPT}").content.decode()
    assert data["A2"].tracking_number in unsatisfied
    csv_text = c.get(f"/dashboard/appeals/?measure=received&{SEPT}&format=csv").content.decode("utf-8-sig")
    assert data["A2"].tracking_number in csv_text
    assert "13900001111" not in csv_text and "139****1111" in csv_text
    assert "王小明" not in csv_text and "王*明" in csv_text
    assert "2单元302" not in csv_text
    xlsx = c.get(f"/dashboard/appeals/?measure=received&{SEPT}&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.max_row == 2 + 8
    assert c.get(f"/dashboard/appeals/?measure=nonsense&{SEPT}").status_code == 404


def test_the_appeals_behind_a_figure_stand_as_cards_on_a_phone(client_for, data: dict) -> None:
    # The list scrolled sideways on a phone with its titles cut: web's responsive table, each cell labelled.
    page = client_for("district_leader").get(f"/dashboard/appeals/?measure=received&{SEPT}").content.decode()
    assert '<table class="table responsive" id="behind-table">' in page
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    labels = re.findall(r'<td[^>]*data-label="([^"]+)"', row)
    assert labels == ["受理编号", "受理时间", "标题", "分类", "网格", "责任单位", "状态"]


def test_monthly_report_xlsx_totals_equal_the_page(client_for, cast: Cast, data: dict) -> None:
    c = client_for("district_leader")
    page = c.get(f"/dashboard/?{SEPT}").content.decode()
    r = c.get(f"/dashboard/report.xlsx?{SEPT}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["汇总", "按单位", "按类别", "超期诉求"]
    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(min_row=5, values_only=True)}
    assert str(summary["受理诉求"]) == _figure(page, "received")
    assert summary["解决率"] == _figure(page, "resolution_rate")
    units = list(wb["按单位"].iter_rows(min_row=2, values_only=True))
    assert units[-1][0] == "合计" and units[-1][1] == 8
    assert sum(row[1] for row in units[:-1]) == 8
    assert [row[0] for row in wb["超期诉求"].iter_rows(min_row=2, values_only=True)] == [
        data["A4"].tracking_number
    ]
    pdf = c.get(f"/dashboard/report.pdf?{SEPT}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_scheduled_reports_are_written_once_and_listed_in_scope(
    client_for, cast: Cast, data: dict, settings, tmp_path
) -> None:
    import datetime as dt

    settings.MEDIA_ROOT = tmp_path
    assert monthly_reports_write(month=dt.date(2026, 9, 1)) == 4  # district, street, two communities
    assert monthly_reports_write(month=dt.date(2026, 9, 1)) == 0
    assert MonthlyReport.objects.exclude(xlsx="").count() == 4
    mine = client_for("community_worker").get("/dashboard/reports/").content.decode()
    assert "幸福社区" in mine and "光明社区" not in mine
    report = MonthlyReport.objects.get(node_id=cast.community.pk)
    r = client_for("community_worker").get(f"/dashboard/reports/{report.pk}.xlsx")
    assert r.status_code == 200
    other = MonthlyReport.objects.get(node_id=cast.other_community.pk)
    assert client_for("community_worker").get(f"/dashboard/reports/{other.pk}.pdf").status_code == 404


def test_wall_screen_and_its_refresh_data(client_for, data: dict) -> None:
    c = client_for("district_leader")
    wall = c.get(f"/dashboard/wall/?{SEPT}").content.decode()
    assert 'class="wall"' in wall and "<script>" not in wall  # no inline script (CSP)
    d = c.get(f"/dashboard/data.json?{SEPT}").json()
    assert d["figures"]["received"] == 8 and len(d["trend"]) == 30
    assert "period=day&date=2026-09-01" in d["trend"][0]["url"]  # a bar drills down to its day


def test_map_data_colours_only_grids_in_scope(client_for, cast: Cast, data: dict) -> None:
    geo = client_for("community_worker").get(f"/dashboard/map.json?{SEPT}").json()
    assert [f["properties"]["id"] for f in geo["features"]] == [cast.grid.pk]
    assert {int(k): v["received"] for k, v in geo["figures"].items()} == {cast.grid.pk: 6}
    assert geo["link"].startswith("?unit=g{id}&") and "period=" in geo["link"]
    # A street officer sees both communities' grids, and only one community's when drilled down to it.
    street = client_for("street_officer")
    both = street.get(f"/dashboard/map.json?{SEPT}").json()
    assert {f["properties"]["id"] for f in both["features"]} == {cast.grid.pk, cast.other_grid.pk}
    one = street.get(f"/dashboard/map.json?{SEPT}&unit=n{cast.community.pk}").json()
    assert [f["properties"]["id"] for f in one["features"]] == [cast.grid.pk]
    assert one["features"][0]["geometry"]["type"] == "Polygon"


def test_api_overview_is_scoped(client_for, cast: Cast, data: dict) -> None:
    r = client_for("street_officer").get(f"/api/dashboard/overview?{SEPT}")
    assert r.status_code == 200
    body = r.json()
    assert body["figures"]["received"] == 8
    assert {u["name"] for u in body["ranking"]} == {"幸福社区", "光明社区"}
    assert Client().get("/api/dashboard/overview").status_code == 401


def test_public_page_and_feed_show_no_personal_data(cast: Cast, data: dict) -> None:
    c = Client()
    index = c.get("/public/?period=year&date=2026-09-01").content.decode()
    assert "幸福社区" in index
    page = c.get(f"/public/c/{cast.community.pk}/?period=year&date=2026-09-01").content.decode()
    feed = c.get("/public/requests.json?start_date=2026-09-01&end_date=2026-09-30").json()
    for text in (index, page, str(feed)):
        assert "王小明" not in text and "13900001111" not in text and "和平路1号院" not in text
        assert "张三" not in text and "13812345678" not in text
    # Solved appeals in public categories only: A1, A2 (property), A3 answered and B1 (environment).
    assert {item["service_request_id"] for item in feed} == {
        data[k].tracking_number for k in ("A1", "A2", "A3", "B1")
    }
    assert all(
        set(item) >= {"service_request_id", "status", "service_code", "requested_datetime"} for item in feed
    )
    assert c.get("/public/requests.json?start_date=bad").status_code == 400
    assert c.get("/public/c/999999/").status_code == 404


def test_grid_worker_and_administrator_scopes(client_for, cast: Cast, data: dict) -> None:
    worker = client_for("grid_worker").get(f"/dashboard/?{SEPT}").content.decode()
    # A worker of one grid opens on their grid (the page used to be titled with the compound), and its six appeals.
    assert f'data-unit="g{cast.grid.pk}">{cast.grid.name} · ' in worker and _figure(worker, "received") == "6"
    admin = client_for("admin").get(f"/dashboard/?{SEPT}").content.decode()
    assert _figure(admin, "received") == "8"
    assert f"unit=n{cast.district.pk}" in admin


# --- What a reader of the overview checks (issue 11) ---------------------------------------------------------


def _late_and_overdue(cast: Cast) -> dict:
    """Beside the fixed set: B3 open and past its deadline in 光明社区 (whose only concluded appeal, B1, was on
    time), and A7 concluded after its deadline had passed in 幸福社区."""
    from .factories import make_appeal

    env = Category.objects.get(code="environment.noise")
    b3 = make_appeal(
        grid=cast.other_grid,
        org_path=cast.other_community.path,
        created=fixed_set.t(11, 11),
        category=env,
        state="dispatched",
        dispatched_at=fixed_set.t(11, 11, 5),
        ack_due_at=fixed_set.t(11, 15),
        acknowledged_at=fixed_set.t(11, 12),
        resolve_due_at=fixed_set.t(14, 11),
        breached_at=fixed_set.t(14, 11),
    )
    a7 = make_appeal(
        grid=cast.grid,
        org_path=cast.compound.path,
        created=fixed_set.t(15, 9),
        category=env,
        state="rated",
        outcome="fixed",
        dispatched_at=fixed_set.t(15, 9, 5),
        ack_due_at=fixed_set.t(15, 11),
        acknowledged_at=fixed_set.t(15, 10),
        resolve_due_at=fixed_set.t(16, 9),
        breached_at=fixed_set.t(16, 9),
        resolved_at=fixed_set.t(17, 9),
        resolved_on_time=False,
        resolved_tier="community",
    )
    return {"B3": b3, "A7": a7}


@pytest.fixture
def late(cast: Cast) -> dict:
    appeals = {**fixed_set.build(cast), **_late_and_overdue(cast)}
    services.rollups_refresh_all()
    return appeals


def _numbers(html: str, table_id: str) -> list[str]:
    import re

    start = html.index(f'id="{table_id}"')
    body = html[start : html.index("</table>", start)]
    return re.findall(r">(T\d{12})<", body)


def test_the_on_time_rate_counts_an_appeal_past_its_deadline_as_late(
    client_for, cast: Cast, late: dict
) -> None:
    page = client_for("street_officer").get(f"/dashboard/?unit=n{cast.other_community.pk}&{SEPT}")
    html = page.content.decode()
    assert _figure(html, "overdue_open") == "1"  # B3
    assert _figure(html, "on_time_rate") == "50.0%"  # B1 on time; B3 already late (was 100%: B1 of B1)
    assert "按时办结 ÷ (已办结 + 超期在办)" in html  # the tile says what it measures


def test_the_overdue_table_lists_exactly_the_appeals_of_the_overdue_figure(
    client_for, cast: Cast, late: dict
) -> None:
    c = client_for("district_leader")
    html = c.get(f"/dashboard/?{SEPT}").content.decode()
    table = _numbers(html, "overdue-table")
    behind = _numbers(c.get(f"/dashboard/appeals/?measure=overdue&{SEPT}").content.decode(), "behind-table")
    assert sorted(table) == sorted(behind) == sorted([late["A4"].tracking_number, late["B3"].tracking_number])
    assert _figure(html, "overdue_open") == "2"
    # Concluded after the deadline (A7) is its own figure, with its own list, and says so.
    assert _figure(html, "breached") == "3"
    breached = c.get(f"/dashboard/appeals/?measure=breached&{SEPT}").content.decode()
    assert late["A7"].tracking_number in _numbers(breached, "behind-table")


def test_the_default_period_is_the_last_30_days_and_says_so(client_for, cast: Cast, late: dict) -> None:
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 10, 3, 10, 0, tzinfo=fixed_set.t(1, 0).tzinfo), tick=False):
        html = client_for("district_leader").get("/dashboard/").content.decode()
    # 2026-09-04 to 2026-10-03: A4, A5, A6, B1, B2, B3, A7 (the calendar month, October, had none).
    assert _figure(html, "received") == "7"
    assert "近30天" in html and "2026-09-04" in html and "2026-10-03" in html
    assert "自然月" in html  # the page says why, and how to see the month that is assessed


def test_a_unit_with_one_child_ranks_the_units_below_that_child(client_for, cast: Cast, late: dict) -> None:
    html = client_for("district_leader").get(f"/dashboard/?{SEPT}").content.decode()
    start = html.index('id="ranking-table"')
    rows = html[start : html.index("</table>", start)]
    assert "幸福社区" in rows and "光明社区" in rows  # the street's communities, not one bar for the street
    assert cast.street.name in html[html.index('id="ranking-via"') :][:400]  # and it says through which unit


def test_the_tier_not_recorded_is_explained(client_for, cast: Cast, late: dict) -> None:
    from linli.appeals.models import Appeal

    Appeal.objects.filter(pk=late["A1"].pk).update(resolved_tier="")
    services.rollups_rebuild()
    html = client_for("district_leader").get(f"/dashboard/?{SEPT}").content.decode()
    start = html.index('data-tier="none"')
    row = html[html.rindex("<li", 0, start) : html.index("</li>", start)]
    assert "办结时尚未派给任何一级" in row  # what "派单前办结" means, said beside it


def test_the_monthly_pdf_embeds_its_font_and_has_a_cover_and_page_numbers(
    client_for, cast: Cast, late: dict
) -> None:
    from pypdf import PdfReader

    body = client_for("district_leader").get(f"/dashboard/report.pdf?{SEPT}").content
    assert b"/FontFile2" in body  # the CJK font travels with the report (subset, TrueType)
    assert b"STSong-Light" not in body  # and no font the reader's machine must have
    reader = PdfReader(io.BytesIO(body))
    pages = [p.extract_text() for p in reader.pages]
    n = len(pages)
    assert n >= 2
    cover = pages[0]
    assert "接诉即办工作月报" in cover and "2026年9月" in cover and cast.district.name in cover
    assert "生成时间" in cover
    for i, text in enumerate(pages, start=1):
        assert f"第 {i} 页 / 共 {n} 页" in text


def test_the_monthly_pdf_shows_a_late_appeal_s_whole_title(client_for, cast: Cast, late: dict) -> None:
    """The PDF's list of late appeals cut each title at 16 characters without a mark (出租屋里有人开麻将馆，没有执照，),
    its category at 14 and its unit at 10: a long one wraps in its cell instead."""
    from pypdf import PdfReader

    from linli.appeals.models import Appeal

    title = "出租屋里有人开麻将馆，没有执照，每天晚上吵到凌晨两三点"
    Appeal.objects.filter(pk=late["B3"].pk).update(title=title)
    body = client_for("district_leader").get(f"/dashboard/report.pdf?{SEPT}").content
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body)).pages)
    assert title in text


def test_a_community_s_public_page_leads_on_to_what_else_it_makes_public(cast: Cast) -> None:
    """The page of a community's appeals was a dead end: its services, ratings and fund, its volunteers' activities
    and the filed meetings are each one tap away, and open to anyone."""
    client = Client()
    page = client.get(f"/public/c/{cast.community.pk}/").content.decode()
    code = cast.community.code
    for href in (f"/cobuild/public/{code}/", f"/volunteers/p/{code}/", "/deliberation/public/"):
        assert f'href="{href}"' in page, href
        assert client.get(href).status_code == 200, href


def test_the_public_page_says_its_year_in_chinese_brackets(cast: Cast) -> None:
    """各社区办理居民诉求情况(2026年)。 had the narrow brackets of English text amid Chinese."""
    page = Client().get("/public/?period=year&date=2026-01-01").content.decode()
    assert "各社区办理居民诉求情况（2026年）。" in page


def test_public_page_offers_no_year_still_to_come(cast: Cast) -> None:
    """This year's public page linked to next year's, every figure of it zero; last year's links to this one."""
    from django.utils import timezone

    year = timezone.localdate().year
    now = Client().get("/public/").content.decode()
    assert f"date={year - 1}-01-01" in now
    assert f"date={year + 1}-01-01" not in now and f"{year + 1} ›" not in now
    before = Client().get(f"/public/?period=year&date={year - 1}-01-01").content.decode()
    assert f"date={year}-01-01" in before


def test_filed_reports_lead_back_to_the_overview_and_its_monthly_report(client_for) -> None:
    """With none filed yet the page said when they would be, and led nowhere: it offers the overview's month, whose
    report downloads on demand, and leads back to the overview whatever it lists."""
    page = client_for("district_leader").get("/dashboard/reports/").content.decode()
    assert "您的辖区暂无月报" in page
    assert 'href="/dashboard/?period=month"' in page
    assert "返回一网统览" in page


def test_api_without_a_period_reports_the_last_30_days_as_the_page_opens_on(client_for, cast: Cast) -> None:
    """A caller who gives no period gets the figures the overview page shows when opened: the last 30 days, not
    the month so far."""
    today = timezone.localdate()
    body = client_for("street_officer").get("/api/dashboard/figures").json()
    assert (body["start"], body["end"]) == ((today - dt.timedelta(days=29)).isoformat(), today.isoformat())
