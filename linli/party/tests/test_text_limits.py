"""A party text typed too long is refused whole, the field and its limit named, never cut; the page it was typed
on gets it back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from linli.core.errors import ValidationFailed
from linli.core.models import AuditEntry
from linli.party import services as party
from linli.party.models import MemberRegistration, PartyOrg
from linli.testing import Cast
from linli.testing.kept import kept_input, limit_given

from .test_services import _member

REASON = "该党员已随子女迁居外省，不再在本社区报到服务。" * 10  # 230 characters: over the 200 allowed


@pytest.fixture
def registration(cast: Cast, branch: PartyOrg) -> MemberRegistration:
    member = _member(cast, branch, workplace="区人民医院")
    registration = party.member_registration_register(
        actor=None, member=member, community=cast.community, workplace="区人民医院", specialty="medical"
    )
    return party.member_registration_assign_post(
        actor=cast.street_officer, registration=registration, grid=cast.grid, post="宣传员"
    )


def test_ending_a_registration_refuses_a_reason_too_long_and_gives_it_back(
    cast: Cast, registration: MemberRegistration, client_for: Callable[[str], Client]
) -> None:
    client = client_for("community_worker")
    limit_given(client, f"/party/registrations/{registration.pk}/", "reason", 200)
    back = client.post(f"/party/registrations/{registration.pk}/end/", {"reason": REASON}, follow=True)
    assert back.redirect_chain[-1][0] == f"/party/registrations/{registration.pk}/"
    text = back.content.decode()
    assert "原因太长：最多 200 个字（您已输入 230 个字）" in text
    assert kept_input(text) == {"reason": REASON}
    registration.refresh_from_db()
    assert registration.status == "active"


def test_ending_a_pairing_refuses_a_reason_too_long_rather_than_cutting_it(cast: Cast) -> None:
    pairing = party.partner_pairing_create(
        actor=cast.community_worker,
        community=cast.community,
        partner_name="区人民医院",
        contact_name="李主任",
        contact_phone="13700002222",
    )
    with pytest.raises(ValidationFailed) as refused:
        party.partner_pairing_end(actor=cast.community_worker, pairing=pairing, reason=REASON)
    assert str(refused.value.message) == "原因太长：最多 200 个字（您已输入 230 个字）。"
    pairing.refresh_from_db()
    assert pairing.ended_on is None
    assert not AuditEntry.objects.filter(action="partner_pairing_end").exists()
