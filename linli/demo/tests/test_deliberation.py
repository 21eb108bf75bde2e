"""The demo's co-governance part: its decisions are done by their due dates, as a community that keeps its word
mostly is; what is still under way when the demo is built may be late (the escalation has something to show)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.deliberation.models import Result
from linli.deliberation.selectors.overview import overview
from linli.demo import deliberation
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_demo_deliberation")

small_run, run, _only_where_asked = small_run_fixtures(deliberation.part)


def _finished(result: Result) -> dt.date:
    updates = [*result.updates.all(), *(u for c in result.children.all() for u in c.updates.all())]
    return timezone.localtime(max(u.at for u in updates)).date()


def test_the_decisions_done_were_done_by_their_due_dates(run: DemoRun) -> None:
    """The overview's 决定事项按期完成 read 0/4 on the demo: every decision's work was finished fifteen days after
    its meeting whatever its deadline (five, ten or fifteen working days), so most were late. Each is given the
    time its work takes, and what is done was done in time."""
    done = Result.objects.filter(parent=None, status="done")
    assert done.count() >= 4
    assert [r.title for r in done if _finished(r) > r.due_on] == []
    today = timezone.localdate()
    figures = overview("", today - dt.timedelta(days=29), today)
    assert figures.decisions_due >= 3
    assert figures.decisions_on_time >= figures.decisions_due - 2, figures


def test_a_monthly_meeting_is_named_by_the_month_of_its_date(run: DemoRun) -> None:
    """十一月每月一议 was dated 2026-12-08 on a demo built in December (its name was written in November); each
    monthly meeting names the month it is held in, and the next of a series is held the month after."""
    from linli.deliberation.models import Meeting
    from linli.deliberation.services.meetings import MONTH_NAMES as MONTHS

    monthly = Meeting.objects.filter(kind="monthly").order_by("scheduled_at")
    said = [(m.title, MONTHS[timezone.localtime(m.scheduled_at).month - 1]) for m in monthly]
    assert len(said) == 3
    assert [title for title, month in said if f"{month}每月一议" not in title] == []
    first = [timezone.localtime(m.scheduled_at).date() for m in monthly if not m.title.startswith("光华里")]
    assert (first[1].year * 12 + first[1].month) - (first[0].year * 12 + first[0].month) == 1
