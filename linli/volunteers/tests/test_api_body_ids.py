"""An id in a request's body that names nothing the caller may see is refused on that field (422, `extra.fields`),
not answered 404 as if the address were wrong; nothing is written."""

from __future__ import annotations

import json
from typing import Any

from linli.volunteers import services
from linli.volunteers.models import Transfer

from .conftest import World


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/volunteers{url}", json.dumps(data), content_type="application/json")


def test_a_transfer_to_an_account_that_is_not_there_names_the_leg(world: World, client_for: Any) -> None:
    """It was a 404 "an account of this transfer does not exist", whichever leg it was."""
    bank = services.community_bank(world.cast.community)
    bank.refresh_from_db()
    before = Transfer.objects.count()
    made = post(
        client_for("community_worker"),
        "/transfers",
        {
            "legs": [
                {"account_id": bank.pk, "hours": "-2", "balance": str(bank.balance)},
                {"account_id": 999_999, "hours": "2"},
            ],
            "category": "gift",
        },
    )
    assert made.status_code == 422, made.content
    body = made.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["legs.1.account_id"]
    assert Transfer.objects.count() == before


def test_members_named_outside_the_area_are_refused_on_the_field(world: World, client_for: Any) -> None:
    added = post(
        client_for("community_worker"), f"/teams/{world.team.pk}/members", {"volunteer_ids": [999_999]}
    )
    assert added.status_code == 422, added.content
    assert list(added.json()["extra"]["fields"]) == ["volunteer_ids"]
    assert not world.team.members.filter(pk=999_999).exists()
