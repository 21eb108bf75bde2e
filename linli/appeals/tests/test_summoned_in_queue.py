"""A department's 我的待办 lists the appeals it was summoned to (吹哨报到) beside those it handles. Such a row says what
the department owes — its part, with its state and its own clocks — not the organiser's state and deadline alone: the
row read 办理中 · 时限 in seven working days while the department had two working hours to report in, and stayed
unmarked (and the queue's count said 已超期 0 件) once that report-in was missed."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.urls import reverse

from linli.appeals import services
from linli.appeals.tests.factories import at_community, summon
from linli.testing import Cast, at


def _row(body: str, pk: int) -> str:
    match = re.search(rf'<li class="ap-item([^"]*)"[^>]*data-appeal="{pk}">(.*?)</li>', body, re.S)
    assert match, body
    return match.group(1) + match.group(2)


def test_a_summoned_appeal_in_the_department_s_queue_shows_its_part_and_is_marked_by_its_clocks(
    cast: Cast, client_for: Any
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = at_community(cast, title="路面塌陷")
        part = summon(cast, appeal)
        queue = reverse("appeals:workbench")
        row = _row(client_for("department_handler").get(queue).content.decode(), appeal.pk)
        assert f'data-my-part="{part.pk}"' in row
        assert "吹哨召集本单位协办" in row and "待报到" in row
        assert "报到时限 11-02 12:00" in row and "还剩 2 个工作小时" in row
        assert "ap-is-overdue" not in row

        traveller.move_to(at(2026, 11, 2, 13, 0))  # the report-in missed; the appeal's own deadline days away
        body = client_for("department_handler").get(queue).content.decode()
        row = _row(body, appeal.pk)
        assert "ap-is-overdue" in row and "报到超时" in row
        assert "已超期 1 件" in body

        services.part_report_in(actor=cast.department_handler, part=part, note="已派人到场")
        row = _row(client_for("department_handler").get(queue).content.decode(), appeal.pk)
        assert "已报到，办理中" in row and "报到时限" not in row and "ap-is-overdue" not in row

        # The community that holds the appeal reads its own row as before: its state and deadline.
        row = _row(client_for("community_worker").get(queue).content.decode(), appeal.pk)
        assert "data-my-part" not in row and "时限 11-" in row


def test_the_department_s_queue_puts_a_report_in_due_soon_before_its_own_appeals_due_later(
    cast: Cast, client_for: Any, monkeypatch: Any
) -> None:
    """Soonest deadline first, as the workbench says: a summoned part's next clock (its report-in, then its finish
    date) is the department's deadline on that row, not the organiser's, which sorted it after its own work."""
    from linli.appeals.tests.factories import by_hotline, classifier_says

    classifier_says(monkeypatch, "environment.noise", 0.0)
    with time_machine.travel(at(2026, 10, 20, 10, 0), tick=False) as traveller:
        own = by_hotline(cast, cast.grid, "河道里有垃圾漂浮，气味很大，请尽快处理。")
        services.appeal_dispatch(
            actor=cast.district_leader,
            appeal=own,
            unit_org=cast.department,
            category_code="environment.noise",
        )
        own.refresh_from_db()
        traveller.move_to(at(2026, 11, 2, 10, 0))
        summoned = at_community(cast, title="路面塌陷")
        summon(cast, summoned, report_hours=2)
        summoned.refresh_from_db()
        assert own.resolve_due_at < summoned.resolve_due_at  # by the appeals' own deadlines it came last
        body = client_for("department_handler").get(reverse("appeals:workbench")).content.decode()
        assert body.index(f'data-appeal="{summoned.pk}"') < body.index(f'data-appeal="{own.pk}"')
