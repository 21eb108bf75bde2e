"""A handler reads each deadline with the working time left before it (or gone past it), counted on the working-day
calendar as the deadline was set: a date alone (2026-11-06 10:00) left them to count the weekend and the holidays
out themselves. On the appeal's page (this tier's and the total deadline, a summoned unit's report-in and
completion), and on the queue's rows."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services
from linli.appeals.models import Appeal, AppealPart
from linli.appeals.tests.factories import at_community, submit, summon
from linli.core import workdays
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
        summon(cast, appeal, report_hours=3, finish_by=at(2026, 11, 5, 17, 0))
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
            "seconds": 361800,  # calendar seconds to Friday 14:30
            "calendar": False,
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
        summon(cast, appeal)
        [part] = client_for("community_worker").get(f"/api/appeals/{appeal.pk}").json()["parts"]
        assert part["report_time_left"]["label"].startswith("还剩")
        services.appeal_pause(actor=cast.community_worker, appeal=appeal, reason="等待居民提供照片材料")
        paused = client_for("community_worker").get(f"/api/appeals/{appeal.pk}").json()
        assert paused["resolve_time_left"] is None and paused["total_time_left"] is None
        assert paused["parts"][0]["report_time_left"] is None


def test_a_closed_appeal_says_no_time_left_on_its_parts_in_the_api_the_page_or_the_queue(
    cast: Cast, client_for: Any
) -> None:
    """The resident withdraws an appeal while a summoned unit still owes its part: every clock of it stops there.
    The API and the page say no time left on the part's deadlines (the API said it, and went on counting into
    overdue), the part ended with the appeal, and the unit's queue no longer lists a part it does not owe."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        summon(cast, appeal, report_hours=3, finish_by=at(2026, 11, 5, 17, 0))
        services.appeal_withdraw(actor=cast.resident, appeal=appeal, reason="问题已自行解决")
        traveller.move_to(at(2026, 11, 9, 10, 0))  # past both of the part's deadlines
        community = client_for("community_worker")
        [part] = community.get(f"/api/appeals/{appeal.pk}").json()["parts"]
        assert part["report_time_left"] is None and part["time_left"] is None
        assert part["state"] == "appeal_withdrawn"
        page = _text(community.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "还剩" not in page and "已超期" not in page and "报到超时" not in page
        queue = _text(client_for("department_handler").get(reverse("appeals:workbench") + "?tab=parts"))
        assert appeal.tracking_number not in queue and "暂无需要本单位协办的事项" in queue


def test_a_unit_that_says_a_summons_is_not_its_duty_reads_no_time_to_report_in_while_the_summoner_decides(
    cast: Cast, client_for: Any
) -> None:
    """While the summoner decides, the report-in clock marks nothing against the unit (the jobs pass it over):
    the page and the API say no time left on it either, rather than counting it into overdue."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast)
        part = summon(cast, appeal, report_hours=3)
        services.part_decline(
            actor=cast.department_handler,
            part=part,
            reason="广告牌设在小区内部，属物业管理范围，不属于城管职责。",
        )
        traveller.move_to(at(2026, 11, 3, 10, 0))
        community = client_for("community_worker")
        [out] = community.get(f"/api/appeals/{appeal.pk}").json()["parts"]
        assert out["state"] == "declined" and out["report_time_left"] is None
        page = _text(community.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "报到时限 2026-11-02 13:00" in page and "已超期" not in page


def test_an_emergency_clock_in_calendar_hours_is_read_in_calendar_time(cast: Cast, client_for: Any) -> None:
    """An emergency's two hours run through the evening and the holiday (calendar hours): its time left is said in
    hours and minutes of the clock it runs on. Counted in working time, a Friday-evening emergency read "还剩 1 个工作
    小时" with 40 minutes left and, far past it over the weekend, "已超期不足 1 个工作小时"."""
    with time_machine.travel(at(2026, 11, 6, 16, 40), tick=False) as traveller:  # a Friday afternoon
        appeal = submit(
            cast, priority="emergency", kind="help", description="楼里燃气味很重，老人独居，请马上处理！"
        )
        assert appeal.resolve_due_at == at(2026, 11, 6, 18, 40)
        traveller.move_to(at(2026, 11, 6, 18, 0))
        worker = client_for("grid_worker")
        page = _text(worker.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "2026-11-06 18:40 还剩 40 分钟" in page
        queue = _text(worker.get(reverse("appeals:workbench")))
        assert "时限 11-06 18:40 还剩 40 分钟" in queue
        left = worker.get(f"/api/appeals/{appeal.pk}").json()["resolve_time_left"]
        assert left["label"] == "还剩 40 分钟" and left["calendar"] is True and left["seconds"] == 2400
        # Sunday noon: far past it, though no working hour has passed since.
        traveller.move_to(at(2026, 11, 8, 12, 40))
        worker = client_for("grid_worker")
        page = _text(worker.get(reverse("appeals:detail", args=[appeal.pk])))
        assert "2026-11-06 18:40 已超期 1.5 天" in page
        late = worker.get(f"/api/appeals/{appeal.pk}").json()["resolve_time_left"]
        assert late["overdue"] is True and late["seconds"] == -151200 and late["label"] == "已超期 1.5 天"
        # The total deadline runs in working days, and says so.
        assert "总办结时限" in page and "个工作日" in page


def test_a_deadline_met_late_says_by_how_much_in_its_clocks_unit(cast: Cast, client_for: Any) -> None:
    """A deadline met after it fell due showed only a tick (and the resolution deadline of a resolved appeal not
    even that): the page says it was met late and by how much, in working days for a working-day clock, in
    calendar hours and minutes for an emergency's, in working hours for a summoned unit's report-in."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:  # a Monday
        appeal = submit(cast)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        appeal.refresh_from_db()
        assert appeal.resolve_due_at is not None
        traveller.move_to(workdays.add_working_time(appeal.resolve_due_at, days=2))
        services.appeal_resolve(actor=cast.grid_worker, appeal=appeal, note="已更换灯泡，恢复照明。")
        page = _text(client_for("grid_worker").get(reverse("appeals:detail", args=[appeal.pk])))
        due = timezone.localtime(appeal.resolve_due_at).strftime("%Y-%m-%d %H:%M")
        assert f"本级办结时限 {due} ✓ 11-13 10:00 逾期 2 个工作日办结 总办结时限" in page
        assert "✓ 11-02 10:00 联系时限" in page  # acknowledged in time: a tick only
        assert "逾期 8 个工作日联系居民" in page  # resolving was its first contact with the resident
        assert re.search(
            r"总办结时限 \S+ \S+ ✓ 11-13 10:00 (?!逾期)", page
        )  # the total deadline was met in time

    with time_machine.travel(at(2026, 11, 6, 16, 40), tick=False) as traveller:  # a Friday afternoon
        emergency = submit(
            cast, priority="emergency", kind="help", description="楼里燃气味很重，老人独居，请马上处理！"
        )
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=emergency)
        traveller.move_to(at(2026, 11, 6, 21, 50))  # due at 18:40
        services.appeal_resolve(
            actor=cast.grid_worker, appeal=emergency, note="已关闭燃气阀门，通风处理完毕。"
        )
        page = _text(client_for("grid_worker").get(reverse("appeals:detail", args=[emergency.pk])))
        assert "2026-11-06 18:40 ✓ 11-06 21:50 逾期 3 小时 10 分钟办结" in page

    with time_machine.travel(at(2026, 11, 9, 10, 0), tick=False) as traveller:  # a Monday
        summoned = at_community(cast)
        part = summon(cast, summoned, report_hours=3)
        traveller.move_to(at(2026, 11, 9, 15, 0))  # due at 13:00
        services.part_report_in(actor=cast.department_handler, part=part)
        page = _text(client_for("community_worker").get(reverse("appeals:detail", args=[summoned.pk])))
        assert "2026-11-09 13:00 ✓ 11-09 15:00 逾期 2 个工作小时报到" in page
