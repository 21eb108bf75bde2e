"""One filter set for the workbench and the API's list (appeals/filters.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import submit
from linli.testing import Cast


def _page_numbers(client: Any, query: str) -> set[str]:
    page = client.get(f"/appeals/workbench/?tab=all&{query}")
    assert page.status_code == 200
    return set(re.findall(r"LL\d{8}-\d{6}", page.content.decode()))


def _api_numbers(client: Any, query: str) -> set[str]:
    response = client.get(f"/api/appeals/?limit=100&{query}")
    assert response.status_code == 200, response.content
    return {row["tracking_number"] for row in response.json()["items"]}


@pytest.fixture
def appeals(cast: Cast) -> list[Appeal]:
    lamp = submit(cast, title="楼道灯坏了", description="3号楼楼道灯坏了，晚上很黑，请尽快处理。")
    noise = submit(
        cast,
        kind="suggestion",
        title="广场舞噪音",
        description="晚上十点后广场舞音乐太吵，建议限定时间。",
        category_code="",
    )
    done = submit(cast, title="井盖松动", description="小区东门井盖松动，踩上去会响，请处理。")
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=done)
    services.appeal_resolve(
        actor=cast.grid_worker, appeal=Appeal.objects.get(pk=done.pk), note="已更换井盖并固定。"
    )
    return [lamp, noise, Appeal.objects.get(pk=done.pk)]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "state=resolved",
        "kind=suggestion",
        "category=property_management",  # a first-level group: every category under it
        "category=property_management.property_service",
        "q=楼道",
        "tier=grid",  # the tier it was closed at, on both
        "overdue=on",
        "received_from=2000-01-01&received_to=2999-12-31",
    ],
)
def test_page_and_api_give_the_same_rows_for_the_same_filter(
    cast: Cast, client_for: Any, appeals: list[Appeal], query: str
) -> None:
    client = client_for("community_worker")
    page, api = _page_numbers(client, query), _api_numbers(client, query)
    assert page == api
    if query not in ("overdue=on",):
        assert page  # the filter picked something, so the comparison means something


def test_the_filters_mean_what_the_page_means(cast: Cast, client_for: Any, appeals: list[Appeal]) -> None:
    lamp, noise, done = appeals
    client = client_for("community_worker")
    assert _api_numbers(client, "q=楼道") == {lamp.tracking_number}
    assert _api_numbers(client, "state=resolved") == {done.tracking_number}
    assert _api_numbers(client, f"tier={done.resolved_tier}") == {done.tracking_number}
    assert noise.tracking_number not in _api_numbers(client, "category=property_management")
    assert _api_numbers(client, "open=false") == {done.tracking_number}


def test_a_filter_that_is_not_valid_is_said_on_both(
    cast: Cast, client_for: Any, appeals: list[Appeal]
) -> None:
    client = client_for("community_worker")
    response = client.get("/api/appeals/?state=nonsense&received_from=2026-02-30")
    assert response.status_code == 422
    body = response.json()
    assert set(body["extra"]["fields"]) == {"state", "received_from"}
    page = client.get("/appeals/workbench/?tab=all&state=nonsense")
    assert page.status_code == 200 and 'id="address-notes"' in page.content.decode()
    assert "状态：“nonsense”不是可选的值。" in page.content.decode()
