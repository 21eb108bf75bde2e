"""A request already waiting is not offered again on the appeal page: the grid worker whose 网格吹哨 waits for the
community, or the unit whose extension request waits for a decision, wrote a reason and was only then told that one
is already waiting (the walk: grid001 on a phone, 网格吹哨 offered again under its own waiting request)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from linli.appeals import services
from linli.appeals.tests.factories import submit
from linli.testing import Cast


def _page(client: Any, pk: int) -> str:
    return client.get(reverse("appeals:detail", args=[pk])).content.decode()


def test_a_waiting_whistle_request_is_not_offered_again(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    grid = client_for("grid_worker")
    assert 'data-action="whistle_request"' in _page(grid, appeal.pk)
    services.whistle_request_raise(
        actor=cast.grid_worker, appeal_id=appeal.pk, reason="车棚电线老化需要部门到场。"
    )
    page = _page(grid, appeal.pk)
    assert "车棚电线老化需要部门到场" in page  # the waiting request is shown
    assert 'data-action="whistle_request"' not in page


def test_a_waiting_extension_request_is_not_offered_again(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    appeal = services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    grid = client_for("grid_worker")
    assert 'data-action="extension_request"' in _page(grid, appeal.pk)
    services.appeal_extension_request(
        actor=cast.grid_worker, appeal=appeal, days=3, reason="需要采购配件，申请延期。"
    )
    assert 'data-action="extension_request"' not in _page(grid, appeal.pk)
