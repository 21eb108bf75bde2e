"""A unit that returned an appeal (退回: not ours) has given it back to the tier above, which dispatches it again.
Its page offered the department 上报上一级, 并单, 拆单, 备注 and 不予公开 on the appeal it had just returned, and the
services took them: the unit that returned it may take none of them until it is given the appeal again (it still
reads it); those who send it on keep them."""

from __future__ import annotations

import pytest

from linli.appeals import permissions, selectors, services
from linli.appeals.tests.factories import by_hotline, classifier_says
from linli.core.errors import PermissionDenied
from linli.testing import Cast


def test_a_department_that_returned_an_appeal_is_offered_nothing_on_it_and_may_not_escalate_it(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.0)
    appeal = by_hotline(cast, cast.grid, "河道里有垃圾漂浮，气味很大，请尽快处理一下。")
    appeal = services.appeal_dispatch(
        actor=cast.district_leader, appeal=appeal, unit_org=cast.department, category_code="environment.noise"
    )
    assert "escalate" in permissions.actions_for(cast.department_handler, appeal)
    appeal = services.appeal_return(
        actor=cast.department_handler, appeal=appeal, reason="不属于本部门职责，请重新派单给水务部门"
    )
    assert permissions.actions_for(cast.department_handler, appeal) == []
    with pytest.raises(PermissionDenied):
        services.appeal_escalate(actor=cast.department_handler, appeal=appeal, reason="再上报一次")
    # It still reads the appeal it returned (its history, its own return).
    assert selectors.appeal_get_for(cast.department_handler, appeal.pk) == appeal
    # The district, which dispatches it again, keeps its actions.
    assert {"dispatch", "escalate", "merge"} <= set(permissions.actions_for(cast.district_leader, appeal))
    services.appeal_dispatch(
        actor=cast.district_leader,
        appeal=appeal,
        unit_org=cast.other_department,
        category_code="environment.noise",
    )
