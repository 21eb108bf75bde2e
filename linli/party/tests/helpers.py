"""The party organisations the party's tests work in, and the branch a secretary leads (我的支部)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from linli.accounts.models import User
from linli.party import services as party
from linli.party.models import PartyMember, PartyOrg
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


@dataclass
class Branch:
    branch: PartyOrg
    other_branch: PartyOrg
    secretary: User  # the resident account of the branch's secretary 张三
    secretary_member: PartyMember
    member: PartyMember  # 王五, a member of the branch
    outsider_member: PartyMember  # 李四, a plain member of the other branch, who has an account too
    plain: User  # 李四's resident account


def verified(user: User, household) -> User:  # type: ignore[no-untyped-def]
    user.household = household
    user.household_verified_at = timezone.now()
    user.save(update_fields=["household", "household_verified_at"])
    return user
