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


def test_only_the_tier_that_decides_an_extension_is_offered_it_to_decide(cast: Cast, client_for: Any) -> None:
    """The community asks the street for more time: its own request was listed in its 待审批 tab with 通过 and 驳回
    (and counted in the tab's badge and the home's to-dos), and either button was refused. Only the tier above
    lists it to decide; the community's appeal page says it waits for the tier above."""
    from linli.appeals import selectors
    from linli.appeals.models import Appeal
    from linli.appeals.tests.factories import at_community

    appeal = at_community(cast)  # at the compound tier, which the community supervises
    services.appeal_escalate(actor=cast.community_worker, appeal=appeal, reason="需要社区统一协调处置")
    services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
    assert Appeal.objects.get(pk=appeal.pk).tier == "community"
    services.appeal_extension_request(
        actor=cast.community_worker, appeal=appeal, days=3, reason="需协调施工队进场，申请延期。"
    )
    community = client_for("community_worker").get(reverse("appeals:workbench") + "?tab=supervise")
    assert "需协调施工队进场" not in community.content.decode()
    assert selectors.extension_requests_for(cast.community_worker).count() == 0
    street = (
        client_for("street_officer").get(reverse("appeals:workbench") + "?tab=supervise").content.decode()
    )
    assert "需协调施工队进场" in street and "通过" in street
    assert selectors.extension_requests_for(cast.street_officer).count() == 1
