"""The dashboard ranks summoned departments with the figures the appeals API serves (appeals.figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.appeals.tests.test_department_ranking import build_two_departments
from linli.dashboard.periods import Period
from linli.dashboard.selectors import Scope, department_ranking
from linli.testing import Cast


def test_the_dashboard_ranks_departments_like_the_api(cast: Cast, client_for: Any) -> None:
    build_two_departments(cast)
    page = client_for("district_leader").get("/dashboard/?period=month&date=2026-11-01").content.decode()
    table = page[page.index('id="department-table"') :]
    assert table.index(cast.department.name) < table.index(cast.other_department.name)
    assert "100.0%" in table and "(0/1)" in table
    api = client_for("district_leader").get(
        "/api/appeals/figures/departments?start=2026-11-01&end=2026-11-30"
    )
    assert [r["name"] for r in api.json()] == [cast.department.name, cast.other_department.name]


def test_the_ranking_takes_two_queries(cast: Cast, django_assert_num_queries: Any) -> None:
    build_two_departments(cast)
    cast.street.refresh_from_db()
    street = Scope(level="street", name="s", path=cast.street.path, node=cast.street)
    month = Period("month", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    with django_assert_num_queries(2):
        ranks = department_ranking(street, month)
    assert len(ranks) == 2
