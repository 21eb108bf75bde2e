"""The accounts API: who am I."""

from __future__ import annotations

from typing import Any

from linli.testing import Cast


def test_me_describes_a_staff_member(cast: Cast, client_for: Any) -> None:
    me = client_for("community_worker").get("/api/accounts/me").json()
    assert (me["username"], me["role"], me["org_node_id"], me["name"]) == (
        "communityworker",
        "community_worker",
        cast.community.pk,
        "刘社工",
    )


def test_me_shows_a_residents_household_only_once_verified(cast: Cast, client_for: Any) -> None:
    from linli.accounts import services

    client = client_for("resident")
    assert client.get("/api/accounts/me").json()["household_id"] is None
    claim = services.household_claim(actor=cast.resident, household=cast.household, claimant_name="张三")
    assert client.get("/api/accounts/me").json()["household_verified"] is False
    services.household_claim_verify(actor=cast.community_worker, claim=claim)
    me = client.get("/api/accounts/me").json()
    assert (me["household_id"], me["household_verified"]) == (cast.household.pk, True)


def test_me_needs_a_sign_in(db: None, client: Any) -> None:
    assert client.get("/api/accounts/me").status_code == 401
