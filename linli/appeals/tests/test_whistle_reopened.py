"""A consultation answered at first contact while a summoned department still owed its part closes with the part
ended (随诉求终止); when its resident reopens it, that part read 报到超时 at once with its old clock, the worker
chased the department for the days the appeal stood closed, and the department could not report in while the appeal
waited to be acknowledged. Reopening owes the part again: where it stood, with fresh clocks from the working-day
calendar, in the unit's 吹哨协办 queue, the reopening's trace step naming the units."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.urls import reverse

from linli.appeals import services
from linli.appeals.jobs import JOBS
from linli.appeals.models import Appeal, AppealPart
from linli.appeals.parts import part_state
from linli.appeals.tests.factories import at_community, summon
from linli.core.models import Notification
from linli.testing import Cast, at

ANSWER = "已电话答复居民：政策依据和办理渠道如下。"


def _answered_with_parts_owed(cast: Cast) -> tuple[Appeal, AppealPart, AppealPart]:
    """Monday 10:00: the community summons 区城管委 (not reported in) and 区水务局 (no account: its report-in
    recorded on its behalf), passes the consultation up to the street, which answers it at first contact."""
    appeal = at_community(cast, kind="consultation", description="咨询：小区门口违规广告牌该找哪个部门拆除？")
    dept = summon(cast, appeal, report_hours=3)
    water = summon(cast, appeal, cast.other_department)
    services.part_report_in(actor=cast.community_worker, part=water)
    services.appeal_escalate(actor=cast.community_worker, appeal=appeal, reason="需要街道协调答复")
    services.appeal_answer_on_first_contact(actor=cast.street_officer, appeal=appeal, answer=ANSWER)
    return appeal, dept, water


def test_reopening_owes_the_parts_that_ended_with_the_answer_again_with_fresh_clocks(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal, dept, water = _answered_with_parts_owed(cast)
        dept.refresh_from_db()
        assert part_state(dept, at(2026, 11, 2, 10, 0)) == "appeal_ended"
        # Wednesday: the resident says the answer did not solve it.
        traveller.move_to(at(2026, 11, 4, 10, 0))
        JOBS["appeals.part_report_ins"]()  # nothing is chased while the appeal is closed
        services.appeal_reopen(actor=cast.resident, appeal=appeal, reason="答复没有解决问题，广告牌还在。")
        appeal.refresh_from_db()
        dept.refresh_from_db()
        water.refresh_from_db()
        now = at(2026, 11, 4, 10, 0)
        assert appeal.state == "dispatched" and appeal.resolve_due_at is not None
        # The department has not reported in: it waits to, by the rule's two working hours from now.
        assert part_state(dept, now) == "awaiting_report"
        assert dept.report_due_at == at(2026, 11, 4, 12, 0) and dept.report_breached_at is None
        assert dept.due_at == appeal.resolve_due_at and dept.breached_at is None
        # The unit without an account had reported in: it keeps that, and works to the new finish date.
        assert part_state(water, now) == "working"
        assert water.reported_in_at == at(2026, 11, 2, 10, 0) and water.due_at == appeal.resolve_due_at
        reopened = appeal.events.get(action="reopen")
        assert reopened.data["owed_again"] == [cast.department.name, cast.other_department.name]
        told = Notification.objects.filter(user=cast.department_handler).order_by("-pk").first()
        assert told is not None and "再次" in told.title and "11-04 12:00" in told.title
        # No chase before the fresh deadline; the department reports in while the appeal waits to be acknowledged.
        assert JOBS["appeals.part_report_ins"]() == 0
        services.part_report_in(actor=cast.department_handler, part=dept)
        dept.refresh_from_db()
        assert part_state(dept, now) == "working"
        assert not appeal.events.filter(action="part_report_in", data__late=True).exists()


def test_the_reopened_part_is_in_the_department_s_queue_and_the_trace_names_who_owes_again(
    cast: Cast, client_for: Any
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal, dept, _water = _answered_with_parts_owed(cast)
        department = client_for("department_handler")
        queue = department.get(reverse("appeals:workbench") + "?tab=parts").content.decode()
        assert appeal.tracking_number not in queue  # ended with the answer: nothing owed
        traveller.move_to(at(2026, 11, 4, 10, 0))
        services.appeal_reopen(actor=cast.resident, appeal=appeal, reason="答复没有解决问题，广告牌还在。")
        department = client_for("department_handler")  # signed in again two days on
        queue = department.get(reverse("appeals:workbench") + "?tab=parts").content.decode()
        assert appeal.tracking_number in queue and "待报到" in queue and "11-04 12:00" in queue
        page = department.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
        assert f'data-part="{dept.pk}" data-state="awaiting_report"' in page
        assert 'data-part-step="report_in"' in page  # it may report in at once
        trace = (
            client_for("community_worker").get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
        )
        said = re.findall(r"<div class=\"ap-why\" data-ended-parts>([^<]*)</div>", trace)
        names = f"{cast.department.name}、{cast.other_department.name}"
        assert said == [
            f"再次协办：{names}",
            f"随诉求终止：{names}",
        ]  # newest first: the reopening, the answer
