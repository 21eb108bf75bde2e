"""The pages and the API over HTTP: scoping, drill-down, the appeals behind a figure, exports, reports, and the
public disclosure with no personal data."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

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
    assert f"unit=g{cast.grid.pk}" in community
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
    assert (
        "阳光小区" in worker and _figure(worker, "received") == "6"
    )  # their compound: the grid's six appeals
    admin = client_for("admin").get(f"/dashboard/?{SEPT}").content.decode()
    assert _figure(admin, "received") == "8"
    assert f"unit=n{cast.district.pk}" in admin
