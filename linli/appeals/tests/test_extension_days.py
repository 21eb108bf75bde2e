"""An extension request says how many working days were asked for: the trace's 申请延期 and the handler's note that
it waits for the tier above (they read 申请延期 and 延期申请正等待上级审批, and the tier deciding had to open the
request to know whether three days or thirty were at stake)."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse

from linli.appeals import services
from linli.appeals.tests.factories import submit
from linli.testing import Cast


def test_the_days_asked_for_are_said_in_the_trace_and_the_waiting_note(cast: Cast, client_for: Any) -> None:
    appeal = services.appeal_acknowledge(actor=cast.grid_worker, appeal=submit(cast))
    grid = client_for("grid_worker")
    sent = grid.post(
        reverse("appeals:act", args=[appeal.pk, "extension_request"]),
        {
            "extension_request-days": "5",
            "extension_request-reason": "需要采购配件，配件到货约需一周。",
            "seen_state": appeal.state,
        },
    )
    assert sent.status_code == 302
    said = [str(m) for m in get_messages(sent.wsgi_request)]
    assert any("已申请延期 5 个工作日" in m for m in said), said
    page = grid.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "已申请延期 5 个工作日，正等待上级审批" in page
    trace = page[page.index('id="trace"') :]
    assert "申请延期 5 个工作日" in trace
