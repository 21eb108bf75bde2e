"""What the session-29 walk of care found: the grid choice of a new mediation case and of a legal-aid application
read 第10网格, 第11网格 … 第19网格, 第1网格, 第20网格 (sorted by name as text), so a worker looking for 第1网格 among
forty-two grids found it in the middle; a booking refused (a past date) came back with the service and the person
giving it reset to the first choice, though the page said what was typed was kept; and a community worker's 今日探访
said 今天没有待办，辛苦了 while calls their grids missed waited for them on 错过与上报."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from linli.care.choices import ContactState
from linli.care.models import CarePlan
from linli.territory import services as territory
from linli.testing import Cast


def _grids_in_order(page: str) -> list[str]:
    select = page.split('name="grid"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<（]+)", select)


@pytest.mark.parametrize("address", ["/care/cases/new/", "/care/legal/new/"])
def test_the_grid_choices_of_a_new_case_read_in_the_order_of_their_codes(
    cast: Cast, client_for: Any, address: str
) -> None:
    node = cast.grid.org_node
    for n in (10, 2):
        territory.grid_create(
            actor=None,
            code=f"G9{n:02d}",
            name=f"阳光第{n}网格",
            org_node=node,
            boundary={
                "type": "Polygon",
                "coordinates": [
                    [[116.5 + n, 39.9], [116.51 + n, 39.9], [116.51 + n, 39.91], [116.5 + n, 39.9]]
                ],
            },
        )
    grids = _grids_in_order(client_for("community_worker").get(address).content.decode())
    assert grids.index("阳光第2网格") < grids.index("阳光第10网格")


def test_a_booking_refused_comes_back_with_the_service_chosen(plan: CarePlan, client_for: Any) -> None:
    client = client_for("community_worker")
    last_week = timezone.localdate() - timedelta(days=7)
    refused = client.post(
        f"/care/plans/{plan.pk}/services/",
        {"kind": "cleaning", "provider": "家政公司", "scheduled_on": last_week.isoformat(), "volunteer": ""},
        follow=True,
    )
    page = refused.content.decode()
    assert "请预约今天或以后的服务" in page
    assert '<option value="cleaning" selected>' in page
    assert 'value="家政公司"' in page


def test_a_community_workers_empty_day_points_to_the_missed_and_escalated_calls(
    plan: CarePlan, client_for: Any
) -> None:
    client = client_for("community_worker")
    assert "错过与上报" not in client.get("/care/").content.decode()
    plan.contacts.filter(pk=plan.contacts.order_by("due_on").first().pk).update(state=ContactState.ESCALATED)
    page = client.get("/care/").content.decode()
    assert "今天没有待办" not in page
    assert "1 次探访或电话错过或已上报" in page
    assert 'href="/care/plans/#late"' in page
