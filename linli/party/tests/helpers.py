"""The party organisations the party's tests work in."""

from __future__ import annotations

from linli.party import services as party
from linli.party.models import PartyOrg
from linli.testing import Cast


def party_orgs(cast: Cast) -> dict[str, PartyOrg]:
    """Street committee 和平街道党工委 → community committee 幸福社区党委 → compound branch 阳光小区党支部, and the
    other community's committee 光明社区党委 under the same street committee."""
    street = party.party_org_create(actor=None, kind="committee", name="和平街道党工委", org_node=cast.street)
    committee = party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community, parent=street
    )
    branch = party.party_org_create(
        actor=None, kind="branch", name="阳光小区党支部", org_node=cast.compound, parent=committee
    )
    other = party.party_org_create(
        actor=None, kind="committee", name="光明社区党委", org_node=cast.other_community, parent=street
    )
    return {"street": street, "committee": committee, "branch": branch, "other": other}
