"""The party organisations the party's tests work in, over the root conftest's cast; a branch with its
secretary (`world`)."""

from __future__ import annotations

import pytest

from linli.core.roles import Role
from linli.party import services
from linli.party.models import PartyOrg
from linli.testing import Cast, make_user

from .helpers import Branch, party_orgs, verified


@pytest.fixture
def orgs(cast: Cast) -> dict[str, PartyOrg]:
    """The party organisations of `party_orgs` over the cast."""
    return party_orgs(cast)


@pytest.fixture
def branch(orgs: dict[str, PartyOrg]) -> PartyOrg:
    """The cast's compound branch 阳光小区党支部 (of `orgs`)."""
    return orgs["branch"]


@pytest.fixture
def world(cast: Cast, orgs: dict[str, PartyOrg]) -> Branch:
    branch = orgs["branch"]
    other_branch = services.party_org_create(
        actor=None, kind="branch", name="光明小区党支部", org_node=cast.other_community, parent=orgs["other"]
    )
    sec = services.party_member_create(
        actor=None, name="张三", party_org=branch, resident=cast.resident_record, phone="13812345678"
    )
    services.party_member_set_position(actor=None, member=sec, position="secretary")
    member = services.party_member_create(actor=None, name="王五", party_org=branch, phone="13700001111")
    outsider = services.party_member_create(
        actor=None,
        name="李四",
        party_org=other_branch,
        resident=cast.other_resident_record,
        phone="13912345678",
    )
    plain = make_user("lisi", Role.RESIDENT, name="李四", phone="13912345678")
    return Branch(
        branch=branch,
        other_branch=other_branch,
        secretary=verified(cast.resident, cast.household),
        secretary_member=sec,
        member=member,
        outsider_member=outsider,
        plain=verified(plain, cast.other_resident_record.household),
    )
