"""The demo's year of the fund on any day: the shared parking brings income in each of the twelve months before
this one, not twice in one month and never in another."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from linli.accounts.models import User
from linli.cobuild.models import FundTransfer
from linli.core.roles import Role
from linli.demo import cobuild_fund
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_cobuild_fund")


# The small district, built once for this module's tests; each rolls back what it wrote.
small_run, run, _only_where_asked = small_run_fixtures()


# Days on which the demo once recorded two months' parking income in one month and none in another (thirty days
# back from the first of a month skipped February).
ON_DAYS = ["2027-03-15 10:00 +08:00", "2026-05-06 10:00 +08:00", "2026-12-07 10:00 +08:00"]


@pytest.mark.parametrize("on", ON_DAYS, ids=[d[:10] for d in ON_DAYS])
def test_the_fund_has_parking_income_in_each_of_the_last_twelve_months(on: str, run: DemoRun) -> None:
    assert run.district is not None
    community = run.district.communities[0]
    worker = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=community).order_by("id").first()
    with time_machine.travel(on, tick=True):
        cobuild_fund.fund_year(random.Random(3), community, worker, None, None)
    today = dt.date.fromisoformat(on[:10])
    parking = FundTransfer.objects.filter(community=community, income_kind="parking")
    months = sorted((d.year, d.month) for d in parking.values_list("occurred_on", flat=True))
    index = today.year * 12 + today.month - 1  # this month, counted in months
    assert months == [((index - m) // 12, (index - m) % 12 + 1) for m in range(12, 0, -1)]
    assert all(t.memo == f"{t.occurred_on:%Y年%m月}共享停车收入" for t in parking)
