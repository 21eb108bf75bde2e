"""The dashboard ranks summoned departments with the figures the appeals API serves (appeals.figures)."""

from __future__ import annotations

import datetime as dt
import re
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


def test_a_department_with_no_rated_appeal_and_nothing_due_yet_is_said_so(
    cast: Cast, client_for: Any
) -> None:
    """The ranking showed —(0/0) for a department whose appeals nobody had rated yet (they are still being
    handled), and the same for a part whose deadline has not come: a blank figure that read as a broken one. The
    cells say 暂无评价 and 未到时限; a figure once there is one stays as it was."""
    import time_machine

    from linli.appeals import services
    from linli.appeals.tests.factories import submit
    from linli.appeals.tests.test_worker import at

    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = submit(cast)
        services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
        services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
        services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.department],
            reason="请到现场处置问题。",
            finish_by=at(2026, 11, 4, 17, 0),
        )
        page = client_for("district_leader").get("/dashboard/?period=month&date=2026-11-01").content.decode()
    table = page[
        page.index('id="department-table"') : page.index("</table>", page.index('id="department-table"'))
    ]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells[3:]] == ["未到时限", "未到时限", "暂无评价"]
    assert "(0/0)" not in table and "—" not in table
