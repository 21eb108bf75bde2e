"""An id in a request's body that names nothing the caller may see is refused on that field (422, `extra.fields`),
not answered 404 as if the address were wrong; nothing is written."""

from __future__ import annotations

from typing import Any

from linli.cobuild.models import Commitment, Order

from .conftest import World
from .test_partners import pairing

JSON = "application/json"


def test_an_order_for_a_service_not_on_the_residents_menu_names_the_field(
    world: World, client_for: Any
) -> None:
    placed = client_for("resident").post(
        "/api/cobuild/orders", {"item_id": 999_999, "note": "门锁坏了"}, content_type=JSON
    )
    assert placed.status_code == 422, placed.content
    body = placed.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["item_id"]
    assert not Order.objects.exists()


def test_a_commitment_answering_a_need_that_is_not_there_names_the_field(
    world: World, client_for: Any
) -> None:
    paired = pairing(world)
    added = client_for("community_worker").post(
        "/api/cobuild/commitments",
        {"pairing_id": paired.pk, "title": "每月义诊一次", "year": 2026, "need_id": 999_999},
        content_type=JSON,
    )
    assert added.status_code == 422, added.content
    assert list(added.json()["extra"]["fields"]) == ["need_id"]
    assert not Commitment.objects.exists()
