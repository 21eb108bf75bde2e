"""吹哨报到 (issue 11): a summoned unit completing its part completes that part only; when every part is done the
organising unit is told, and it resolves the appeal itself or sends a part back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, AppealPart
from linli.appeals.tests.factories import submit
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.testing import Cast


def _whistled(cast: Cast) -> tuple[Appeal, AppealPart]:
    appeal = submit(cast)
    services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
    services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
    (part,) = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场联合处置。"
    )
    return appeal, part


def test_the_last_part_done_tells_the_organising_unit_which_resolves(cast: Cast) -> None:
    appeal, part = _whistled(cast)
    services.part_report_in(actor=cast.department_handler, part=part)
    services.part_complete(actor=cast.department_handler, part=part, note="已拆除违规广告牌。")
    appeal.refresh_from_db()
    assert appeal.state == "in_progress"
    assert appeal.resolution_note == ""
    assert Notification.objects.filter(user=cast.community_worker, title__contains="协办").exists()
    services.appeal_resolve(
        actor=cast.community_worker, appeal=appeal, note="经核实，城管已完成拆除，问题解决。"
    )
    appeal.refresh_from_db()
    assert appeal.state == "resolved"
    assert appeal.resolved_tier == appeal.tier


def test_the_organising_unit_sends_a_part_back_and_the_department_completes_it_again(cast: Cast) -> None:
    appeal, part = _whistled(cast)
    services.part_complete(actor=cast.department_handler, part=part, note="已处理完毕。")
    with pytest.raises(PermissionDenied):
        services.part_send_back(actor=cast.department_handler, part=part, note="自己退回自己")
    services.part_send_back(actor=cast.community_worker, part=part, note="现场仍有残留，请清理干净。")
    part.refresh_from_db()
    assert part.done_at is None
    assert Notification.objects.filter(user=cast.department_handler, title__contains="退回").exists()
    # The organising unit cannot resolve while a part is open.
    with pytest.raises(ValidationFailed, match="尚未全部完成"):
        services.appeal_resolve(actor=cast.community_worker, appeal=appeal, note="经核实已经处理完毕了。")
    services.part_complete(actor=cast.department_handler, part=part, note="残留已清理干净。")
    part.refresh_from_db()
    assert part.done_at is not None


def test_through_the_pages_completing_a_part_leaves_the_resolution_to_the_organising_unit(
    cast: Cast, client_for: Any
) -> None:
    appeal, part = _whistled(cast)
    handler = client_for("department_handler")
    handler.post(reverse("appeals:part_act", args=[appeal.pk, "report_in"]), {"part_id": part.pk, "note": ""})
    handler.post(
        reverse("appeals:part_act", args=[appeal.pk, "complete"]),
        {"part_id": part.pk, "note": "已拆除违规广告牌。"},
    )
    appeal.refresh_from_db()
    assert appeal.state == "in_progress"
    community = client_for("community_worker")
    page = community.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'data-action="resolve"' in page
    assert "退回该部分" in page
    community.post(
        reverse("appeals:part_act", args=[appeal.pk, "send_back"]),
        {"part_id": part.pk, "note": "现场仍有残留，请清理干净。"},
    )
    part.refresh_from_db()
    assert part.done_at is None


def test_a_department_s_queue_holds_its_open_part_and_lets_go_once_the_part_is_done(cast: Cast) -> None:
    """The workbench queue of a summoned department lists the appeal while its part is owed, and not after it
    completed the part (the organising unit still holds the appeal open; the department can do nothing more)."""
    from linli.appeals.selectors import queue_for

    appeal, part = _whistled(cast)
    assert list(queue_for(cast.department_handler)) == [appeal]
    services.part_report_in(actor=cast.department_handler, part=part)
    services.part_complete(actor=cast.department_handler, part=part, note="已拆除违规广告牌。")
    assert Appeal.objects.get(pk=appeal.pk).state == "in_progress"
    assert list(queue_for(cast.department_handler)) == []
