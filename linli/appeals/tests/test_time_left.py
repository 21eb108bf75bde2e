"""A handler reads each deadline with the working time left before it (or gone past it), counted on the working-day
calendar as the deadline was set: a date alone (2026-11-06 10:00) left them to count the weekend and the holidays
out themselves. On the appeal's page (this tier's and the total deadline, a summoned unit's report-in and
completion), and on the queue's rows."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, AppealPart
from linli.appeals.tests.factories import at_community, submit
from linli.testing import Cast, at


def _text(response: Any) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_and_the_queue_say_the_working_days_left_and_overdue(cast: Cast, client_for: Any) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:  # a Monday
        appeal = submit(cast)
        # Friday 14:30: four and a half working days (Saturday and Sunday are not counted).
        Appeal.objects.filter(pk=appeal.pk).update(
            resolve_due_at=at(2026, 11, 6, 14, 30), total_due_at=at(2026, 11, 10, 10, 0)
        )
        worker = client_for("grid_worker")
        page = _text(worker.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "2026-11-06 14:30 还剩 4.5 个工作日" in page
        assert "2026-11-10 10:00 还剩 6 个工作日" in page
        queue = _text(worker.get(reverse("appeals:workbench")))
        assert "时限 11-06 14:30 还剩 4.5 个工作日" in queue
        # Friday 17:00 to Monday 10:00: two working hours, however long the weekend.
        traveller.move_to(at(2026, 11, 6, 17, 0))
        Appeal.objects.filter(pk=appeal.pk).update(resolve_due_at=at(2026, 11, 9, 10, 0))
        worker = client_for("grid_worker")  # signed in again: a staff session ends after hours idle
        page = _text(worker.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "2026-11-09 10:00 还剩 2 个工作小时" in page
        # Past it: how far, in the same working time.
        traveller.move_to(at(2026, 11, 11, 12, 0))
        worker = client_for("grid_worker")
        page = _text(worker.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "2026-11-09 10:00 已超期 2 个工作日" in page
        assert "2026-11-10 10:00 已超期 1 个工作日" in page


def test_a_paused_or_closed_appeal_shows_no_time_left(cast: Cast, client_for: Any) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = submit(cast)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.appeal_pause(actor=cast.grid_worker, appeal=appeal, reason="等待居民提供照片材料")
        page = _text(client_for("grid_worker").get(reverse("appeals:detail", args=[appeal.pk])))
        assert "计时暂停" in page and "还剩" not in page and "已超期" not in page


def test_a_summoned_unit_reads_its_time_to_report_in_and_to_complete(cast: Cast, client_for: Any) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = at_community(cast)
        services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.department],
            reason="请城管到现场联合处置问题。",
            report_hours=3,
            finish_by=at(2026, 11, 5, 17, 0),
        )
        assert AppealPart.objects.get(appeal=appeal).report_due_at == at(2026, 11, 2, 13, 0)
        department = client_for("department_handler")
        page = _text(department.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "2026-11-02 13:00 还剩 3 个工作小时" in page
        assert "2026-11-05 17:00 还剩 3.5 个工作日" in page
        queue = _text(department.get(reverse("appeals:workbench") + "?tab=parts"))
        assert "报到时限 11-02 13:00 还剩 3 个工作小时" in queue


def test_the_api_gives_the_same_working_time_left_as_the_page(cast: Cast, client_for: Any) -> None:
    """API clients read each running deadline's working time left (negative past it) and the page's label, from
    the same computation (sla.time_left), in the list's items and in the detail."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:  # a Monday
        appeal = submit(cast)
        Appeal.objects.filter(pk=appeal.pk).update(
            resolve_due_at=at(2026, 11, 6, 14, 30), total_due_at=at(2026, 11, 10, 10, 0)
        )
        worker = client_for("grid_worker")
        detail = worker.get(f"/api/appeals/{appeal.pk}").json()
        assert detail["resolve_time_left"] == {
            "due_at": detail["resolve_due_at"],
            "working_seconds": 145800,
            "working_hours": 40.5,
            "working_days": 4.5,
            "overdue": False,
            "label": "还剩 4.5 个工作日",
        }
        assert detail["total_time_left"]["label"] == "还剩 6 个工作日"
        [item] = [row for row in worker.get("/api/appeals/").json()["items"] if row["id"] == appeal.pk]
        assert item["resolve_time_left"] == detail["resolve_time_left"]
        traveller.move_to(at(2026, 11, 11, 12, 0))
        worker = client_for("grid_worker")
        late = worker.get(f"/api/appeals/{appeal.pk}").json()["resolve_time_left"]
        assert late["overdue"] is True and late["working_seconds"] < 0 and late["working_days"] == -2.5
        assert late["label"] == "已超期 2.5 个工作日"


def test_the_api_gives_a_summoned_units_time_left_and_none_when_the_clock_stops(
    cast: Cast, client_for: Any
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        appeal = at_community(cast)
        services.appeal_whistle(
            actor=cast.community_worker,
            appeal=appeal,
            units=[cast.department],
            reason="请城管到现场查看处置。",
        )
        [part] = client_for("community_worker").get(f"/api/appeals/{appeal.pk}").json()["parts"]
        assert part["report_time_left"]["label"].startswith("还剩")
        services.appeal_pause(actor=cast.community_worker, appeal=appeal, reason="等待居民提供照片材料")
        paused = client_for("community_worker").get(f"/api/appeals/{appeal.pk}").json()
        assert paused["resolve_time_left"] is None and paused["total_time_left"] is None
        assert paused["parts"][0]["report_time_left"] is None
