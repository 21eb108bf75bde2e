"""Many household claims at once, for the tests of the claims' lists (the verification page and the API): new
residents, each claiming a household of their own in the cast's building."""

from __future__ import annotations

from linli.accounts import services
from linli.accounts.models import User
from linli.testing import Cast


def claims_of_new_residents(cast: Cast, n: int, *, start: int = 0, reject_odd: bool = False) -> None:
    """`n` residents 居民<start>… (mobile 1370000<i>) each claiming a new household, room 20<i>, in order; with
    `reject_odd`, the community rejects those of odd number ("不符")."""
    from linli.territory import services as territory

    for i in range(start, start + n):
        account = User.objects.create(username=f"m1370000{i:04d}", role="resident", phone=f"1370000{i:04d}")
        household = territory.household_create(
            actor=None,
            building=cast.building,
            code=f"HX{i}",
            room=f"20{i}",
            entrance=cast.building.entrances.first(),
        )
        claim = services.household_claim(actor=account, household=household, claimant_name=f"居民{i}")
        if reject_odd and i % 2:
            services.household_claim_reject(actor=cast.community_worker, claim=claim, reason="不符")
