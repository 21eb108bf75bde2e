"""Long lists of the overview and of the public disclosure go page by page with the shared pager: nobody stops
at a fixed number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from linli.appeals.models import Appeal, Category
from linli.dashboard.models import MonthlyReport
from linli.testing import Cast

from .factories import make_appeal

pytestmark = pytest.mark.django_db


def test_every_filed_report_is_reached_page_by_page(
    client_for, cast: Cast, django_assert_max_num_queries
) -> None:
    """Forty-odd years of a community's monthly reports: the oldest is on the last page."""
    MonthlyReport.objects.bulk_create(
        MonthlyReport(
            node_id=cast.community.pk,
            node_name=cast.community.name,
            node_path=cast.community.path,
            month=dt.date(1980 + i // 12, i % 12 + 1, 1),
            xlsx=f"r{i}.xlsx",
            pdf=f"r{i}.pdf",
        )
        for i in range(520)
    )
    leader = client_for("district_leader")
    with django_assert_max_num_queries(8):
        first = leader.get("/dashboard/reports/").content.decode()
    assert "2023-04" in first and "1980-01" not in first
    assert "第 1 / 11 页，共 520 条" in first and 'href="?page=2">下一页 ›</a>' in first
    last = leader.get("/dashboard/reports/?page=11").content.decode()
    assert "1980-01" in last and "2023-04" not in last


def test_the_public_page_of_a_community_shows_every_resolved_appeal_page_by_page(cast: Cast) -> None:
    cast.compound.refresh_from_db()
    noise = Category.objects.get(code="environment.noise")
    start = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
    for i in range(130):
        appeal = make_appeal(
            grid=cast.grid,
            org_path=cast.compound.path,
            created=start + dt.timedelta(days=i),
            category=noise,
            state="closed",
            outcome="fixed",
            resolved_at=start + dt.timedelta(days=i, hours=5),
        )
        Appeal.objects.filter(pk=appeal.pk).update(tracking_number=f"PUB{i:04d}")
    page = f"/public/c/{cast.community.pk}/?period=year&date=2026-09-01"
    first = Client().get(page).content.decode()
    assert "/appeals/public/PUB0129/" in first and "/appeals/public/PUB0079/" not in first
    assert "第 1 / 3 页，共 130 条" in first
    last = Client().get(page + "&page=3").content.decode()
    assert "/appeals/public/PUB0000/" in last and "/appeals/public/PUB0129/" not in last


def test_an_empty_list_of_reports_says_which_units_have_them(client_for) -> None:
    page = client_for("grid_worker").get("/dashboard/reports/").content.decode()
    assert "每月初为区、街道和各社区生成月报" in page and "网格没有单独的月报" in page
