"""Who a meeting's area has on record for each side of 事务共商 (its members offered with one tap): the party
secretaries, the organisations serving the area, the building captains."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from linli.accounts.models import User
from linli.core.orgpath import path_ids
from linli.core.roles import Role
from linli.party.choices import MemberPosition, MemberStatus
from linli.party.models import PartyMember, PartyOrg
from linli.territory.choices import OrganisationKind
from linli.territory.models import Organisation
from linli.territory.selectors import community_of

from .choices import Side
from .models import Meeting


@dataclass(frozen=True)
class Proposed:
    """A member the area's records offer for a side of a meeting (事务共商), added with one tap."""

    side: str
    side_label: str
    name: str
    unit: str
    phone: str


ORGANISATION_SIDES: dict[str, str] = {
    OrganisationKind.PROPERTY_COMPANY: Side.PROPERTY_COMPANY,
    OrganisationKind.PARTNER_UNIT: Side.PARTNER_UNIT,
    OrganisationKind.SOCIAL_ORGANISATION: Side.PARTNER_UNIT,
    OrganisationKind.DEPARTMENT: Side.DEPARTMENT,
}


def _mobile(phone: str) -> str:
    phone = (phone or "").strip()
    return phone if phone.isdigit() and len(phone) == 11 and phone.startswith("1") else ""


def territory_members(meeting: Meeting) -> list[Proposed]:
    """Who the meeting's area has on record for each side: the secretaries of the community's party organisation
    and of the branches in the area; the property companies, partner units and social organisations serving the
    area or its community, and the departments serving the street or district above it; the area's building
    captains as resident representatives. Those already members (same side, name and unit) are left out."""
    node = meeting.node
    community = community_of(node) or node
    here = Q(org_node__path__startswith=node.path) | Q(org_node=community)
    taken = set(meeting.participants.values_list("side", "name", "unit"))
    out: list[Proposed] = []

    def offer(side: str, name: str, unit: str, phone: str) -> None:
        if (side, name, unit) not in taken:
            taken.add((side, name, unit))
            out.append(Proposed(side, str(Side(side).label), name, unit, _mobile(phone)))

    orgs = (
        PartyOrg.objects.filter(Q(org_node__path__startswith=node.path) | Q(org_node=community))
        .select_related("org_node")
        .order_by("org_node__path", "id")
    )
    secretaries = {
        m.party_org_id: m
        for m in PartyMember.objects.filter(
            party_org__in=orgs, status=MemberStatus.ACTIVE, position=MemberPosition.SECRETARY
        ).order_by("-id")
    }
    for org in orgs:  # its secretary: the member holding the post, or the name the organisation records
        member = secretaries.get(org.pk)
        name = member.name if member else org.secretary
        if name:
            side = Side.COMMUNITY if org.org_node.kind == "community" else Side.COMPOUND_BRANCH
            offer(side, name, org.name, member.phone if member else "")
    organisations = Organisation.objects.filter(
        here & ~Q(kind=OrganisationKind.DEPARTMENT)
        | Q(kind=OrganisationKind.DEPARTMENT, org_node_id__in=path_ids(node.path))
    ).order_by("kind", "code")
    for o in organisations:
        offer(ORGANISATION_SIDES.get(o.kind, Side.PARTNER_UNIT), o.name, "", o.phone)
    captains = User.objects.filter(
        role=Role.BUILDING_CAPTAIN, is_active=True, org_node__path__startswith=node.path
    ).order_by("display_name", "username")
    for u in captains:
        offer(Side.REPRESENTATIVE, str(u), "", u.phone)
    return out
