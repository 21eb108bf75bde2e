"""The party organisations the party's tests work in, over the root conftest's cast."""

from __future__ import annotations

import pytest

from linli.party.models import PartyOrg
from linli.testing import Cast

from .helpers import party_orgs


@pytest.fixture
def orgs(cast: Cast) -> dict[str, PartyOrg]:
    """The party organisations of `party_orgs` over the cast."""
    return party_orgs(cast)


@pytest.fixture
def branch(orgs: dict[str, PartyOrg]) -> PartyOrg:
    """The cast's compound branch 阳光小区党支部 (of `orgs`)."""
    return orgs["branch"]
