"""A step that hands the appeal out of the person's view — a department escalating its appeal to the district —
brings them back to their workbench with the step's message, not to the appeal's page, which is no longer theirs to
open (it answered 404 「未找到」 right after 「已上报上一级」)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.appeals import services
from linli.appeals.tests.factories import by_hotline, classifier_says
from linli.testing import Cast


def test_a_department_that_escalates_its_appeal_lands_on_its_workbench_with_the_message(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.0)
    appeal = by_hotline(cast, cast.grid, "河道里有垃圾漂浮，气味很大，请尽快处理。")
    services.appeal_dispatch(
        actor=cast.district_leader, appeal=appeal, unit_org=cast.department, category_code="environment.noise"
    )
    services.appeal_acknowledge(actor=cast.department_handler, appeal=appeal)
    department = client_for("department_handler")
    response = department.post(
        reverse("appeals:act", args=[appeal.pk, "escalate"]),
        {"seen_state": "acknowledged", "escalate-reason": "涉及多个部门，需要区里统筹协调"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("appeals:workbench")
    assert "已上报上一级" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.tier == "district" and appeal.unit_org is None

    # Who still sees the appeal after a step comes back to its page as before.
    community = client_for("district_leader")
    response = community.post(
        reverse("appeals:act", args=[appeal.pk, "comment"]),
        {"seen_state": appeal.state, "comment-note": "已转区城管委牵头"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
