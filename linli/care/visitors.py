"""Who may visit, call or serve a person in care: the workers of the person's grid, the registered volunteers of
their community (volunteers' selectors) and its party members (party's selectors), each with the account they sign
in with. A volunteer needs a Linli account; a party member signs in with the mobile number the branch keeps.

Volunteers and members are read through volunteers' and party's own scoped selectors, as far as the grid's
community: a staff member who may assign visits in the grid (`care_assess` there, the grid in their view) reads them
for the community, so a grid worker, whose own scope is their compound while volunteers are registered with the
community, is offered the same people as the community's workers. Anyone else reads through their own scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from linli.core.errors import invalid
from linli.core.roles import Role
from linli.core.scoping import Viewer, is_staff_member
from linli.party.choices import MemberStatus
from linli.party.selectors import party_members_visible_to
from linli.territory.models import Grid
from linli.territory.selectors import community_of, grids_visible_to
from linli.volunteers.selectors import volunteers_visible_to

from . import permissions
from .choices import VisitorKind


@dataclass(frozen=True)
class Visitor:
    account: Any  # the User who signs in, sees the visit on their phone and records it
    kind: str  # VisitorKind
    name: str

    @property
    def label(self) -> str:
        return f"{self.name} · {VisitorKind(self.kind).label}"


def workers_of(grid: Grid) -> Any:
    """The staff working in the grid (its grid workers, leaders and captains)."""
    return get_user_model().objects.filter(grids=grid, is_active=True).order_by("display_name", "pk")


def _community_path(grid: Grid) -> str:
    community = community_of(grid.org_node)
    return (community or grid.org_node).path


class _CommunityReader:
    """Whom volunteers' and party's selectors read for when a staff member assigns in a grid: the grid's
    community (a stand-in staff reader of that subtree, as `core.scoping.WholeTree` is of the whole tree)."""

    is_authenticated = True
    is_superuser = False
    role: str = Role.COMMUNITY_WORKER
    organisation_id = None

    def __init__(self, path: str) -> None:
        self.org_path = path


def _reader(actor: Viewer, grid: Grid) -> Viewer:
    """The community, for a staff member who may assign visits in the grid and sees it; else the actor as they
    are (a narrower or empty scope)."""
    if permissions.may(actor, "care_assess", grid.org_node.path) and (
        grids_visible_to(actor).filter(pk=grid.pk).exists()
    ):
        return _CommunityReader(_community_path(grid))
    return actor


def _volunteers(reader: Viewer, grid: Grid) -> list[Visitor]:
    rows = (
        volunteers_visible_to(reader)
        .filter(
            active=True,
            community__path=_community_path(grid),
            account__isnull=False,
            account__is_active=True,
        )
        .filter(Q(grids=grid) | Q(grids__isnull=True))
        .select_related("account")
        .order_by("name", "pk")
        .distinct()
    )
    return [Visitor(v.account, VisitorKind.VOLUNTEER, v.name) for v in rows if v.account is not None]


def _members(reader: Viewer, grid: Grid) -> list[Visitor]:
    members = list(
        party_members_visible_to(reader)
        .filter(status=MemberStatus.ACTIVE, party_org__org_node__path__startswith=_community_path(grid))
        .order_by("name", "pk")
    )
    phones = {m.pk: m.phone or (m.resident.phone if m.resident else "") for m in members}
    accounts = {
        u.phone: u
        for u in get_user_model().objects.filter(
            role=Role.RESIDENT, is_active=True, phone__in=[p for p in phones.values() if p]
        )
    }
    return [
        Visitor(accounts[phones[m.pk]], VisitorKind.MEMBER, m.name)
        for m in members
        if phones[m.pk] in accounts
    ]


def visitors_for(actor: Viewer, grid: Grid, *, current: Any = None) -> list[Visitor]:
    """Everyone the actor may assign a visit, call or service of the grid to: its workers first, then the
    community's volunteers and party members who have an account (one entry per account, the first kind wins).
    `current`, a plan whose visitor is no longer among them (a volunteer who left, a member who moved branch),
    keeps its visitor on offer, so that reassessing does not drop them."""
    seen: set[int] = set()
    out: list[Visitor] = []
    workers = [Visitor(u, VisitorKind.WORKER, str(u)) for u in workers_of(grid)]
    kept = (
        [Visitor(current.caregiver, current.caregiver_kind, str(current.caregiver))]
        if current and current.caregiver
        else []
    )
    reader = _reader(actor, grid)
    for v in [*workers, *_volunteers(reader, grid), *_members(reader, grid), *kept]:
        if v.account.pk not in seen:
            seen.add(v.account.pk)
            out.append(v)
    return out


def visitor_check(actor: Viewer, grid: Grid, account: Any) -> str:
    """The kind of visitor `account` is for the grid, as the actor may assign them; refused if they are none.
    Staff who see the grid are its workers; the system (no actor) may assign them only."""
    if account is None:
        return VisitorKind.WORKER
    if is_staff_member(account) and grids_visible_to(account).filter(pk=grid.pk).exists():
        return VisitorKind.WORKER
    if actor is not None:
        reader = _reader(actor, grid)
        for v in [*_volunteers(reader, grid), *_members(reader, grid)]:
            if v.account.pk == account.pk:
                return v.kind
    raise invalid(
        "caregiver",
        _(
            "Choose a worker of the resident's grid, or a volunteer or party member of the community with an account."
        ),
    )
