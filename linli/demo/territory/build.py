"""The demo district's build: the plan for a scale, the state the steps share, and `demo_build` running them."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Polygon

from linli.accounts.models import User
from linli.core.errors import Conflict, ValidationFailed
from linli.core.roles import Role
from linli.party.choices import RegistrationStatus
from linli.party.models import MemberRegistration, PartyMember, PartyOrg
from linli.territory.models import Building, Grid, Household, Organisation, OrgNode, Resident

from .housing import _make_buildings_and_households, _make_residents
from .organisations import DEPARTMENTS, PARTNER_STAFF_USERNAME, _make_organisations, _make_staff
from .party import _make_party_members, _make_party_orgs, _make_registrations_and_beacons
from .people import _People
from .street import COMMUNITIES, StreetPlan
from .tree import _make_grids, _make_roads, _make_tree

DEMO_SEED = 20260101
MAX_SCALE = 5.0


@dataclass
class DemoDistrict:
    """What `demo_build` made: the main objects for later demo parts, counts, and the staff sign-in list."""

    district: OrgNode
    street: OrgNode
    communities: list[OrgNode]
    compounds: list[OrgNode]
    grids: list[Grid]
    departments: list[Organisation]
    password: str
    usernames: dict[str, list[str]]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)  # time taken by each build step


@dataclass
class _Plan:
    communities: int
    compounds: int
    grids: int
    residents: int
    members: int

    @classmethod
    def for_scale(cls, scale: float) -> _Plan:
        communities = min(len(COMMUNITIES), max(2, round(5 * scale)))
        compounds = max(2 * communities, round(30 * scale))
        return cls(
            communities=communities,
            compounds=compounds,
            grids=max(2 * compounds, round(200 * scale)),
            residents=max(50, round(20_000 * scale)),
            members=max(10, round(600 * scale)),
        )


def demo_build(*, scale: float = 1.0, seed: int = DEMO_SEED, password: str | None = None) -> DemoDistrict:
    """Build the demo district into an empty database (refuses otherwise) and return what it made."""
    if not (isinstance(scale, int | float) and 0 < scale <= MAX_SCALE):
        raise ValidationFailed(
            _("The scale must be a number above 0 and at most %(max)s.") % {"max": MAX_SCALE},
            extra={"field": "scale"},
        )
    if OrgNode.objects.exists():
        raise Conflict(
            _(
                "The database already holds an org tree. The demo district is loaded only into an empty database; use a fresh database (for example another LINLI_VAR_DIR)."
            )
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    password = password or secrets.token_urlsafe(10)
    with transaction.atomic():
        demo = _build(rng, _Plan.for_scale(scale), password)
    demo.seconds = time.perf_counter() - started
    return demo


@dataclass
class _Build:
    """The state shared by the build steps below; each step reads what the earlier ones made."""

    rng: random.Random
    plan: _Plan
    password: str
    today: dt.date
    people: _People
    password_hash: str = ""
    district: OrgNode | None = None
    street: OrgNode | None = None
    communities: list[OrgNode] = field(default_factory=list)
    compounds: list[OrgNode] = field(default_factory=list)
    street_plan: StreetPlan = field(default_factory=lambda: StreetPlan(roads=[], blocks=[]))
    roads: int = 0
    compound_polygons: list[Polygon] = field(default_factory=list)
    compound_community: list[int] = field(default_factory=list)  # compound index → community index
    departments: list[Organisation] = field(default_factory=list)
    accounts: list[User] = field(default_factory=list)
    grids_per_compound: list[int] = field(default_factory=list)
    grid_worker_names: list[str] = field(default_factory=list)
    community_workers: dict[int, User] = field(default_factory=dict)  # community pk → its worker
    grid_workers: list[User] = field(default_factory=list)  # grid worker n looks after grid n
    grids: list[Grid] = field(default_factory=list)
    grid_polygons: list[Polygon] = field(default_factory=list)
    grid_compound: list[int] = field(default_factory=list)  # grid index → compound index
    buildings: list[Building] = field(default_factory=list)
    entrance_counts: list[int] = field(default_factory=list)  # of each building
    households: list[Household] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    branches: list[PartyOrg] = field(default_factory=list)  # one per compound
    members: list[tuple[PartyMember, Resident]] = field(default_factory=list)
    beacons: int = 0
    step_seconds: dict[str, float] = field(default_factory=dict)

    def staff_name(self) -> str:
        gender = self.rng.choice(("male", "female"))
        return self.people.name(gender, self.today.year - self.rng.randint(24, 55))


def _build(rng: random.Random, plan: _Plan, password: str) -> DemoDistrict:
    b = _Build(rng=rng, plan=plan, password=password, today=timezone.localdate(), people=_People(rng))
    # One hash for every demo account: hashing ~230 passwords one by one would take over a minute.
    b.password_hash = make_password(password)
    for step in (
        _make_tree,
        _make_roads,
        _make_organisations,
        _make_staff,
        _make_grids,
        _make_buildings_and_households,
        _make_residents,
        _make_party_orgs,
        _make_party_members,
        _make_registrations_and_beacons,
    ):
        started = time.perf_counter()
        step(b)
        b.step_seconds[step.__name__.removeprefix("_make_")] = time.perf_counter() - started
    assert b.district is not None and b.street is not None
    return DemoDistrict(
        district=b.district,
        street=b.street,
        communities=b.communities,
        compounds=b.compounds,
        grids=b.grids,
        departments=b.departments,
        password=password,
        usernames={
            "district_leader": ["leader"],
            "street_officer": ["street"],
            "community_worker": [f"community{i + 1}" for i in range(len(b.communities))],
            "department_handler": [f"dept-{code.lower()}" for code, *_rest in DEPARTMENTS],
            "grid_worker": b.grid_worker_names,
            "property_staff": [u.username for u in b.accounts if u.role == Role.PROPERTY_STAFF],
            "partner_unit": [u.username for u in b.accounts if u.username == PARTNER_STAFF_USERNAME],
        },
        counts={
            "communities": len(b.communities),
            "compounds": len(b.compounds),
            "roads": b.roads,
            "grids": len(b.grids),
            "buildings": len(b.buildings),
            "households": len(b.households),
            "residents": len(b.residents),
            "party_orgs": PartyOrg.objects.count(),
            "party_members": len(b.members),
            "member_registrations": MemberRegistration.objects.count(),
            "active_registrations": MemberRegistration.objects.filter(
                status=RegistrationStatus.ACTIVE
            ).count(),
            "beacon_households": b.beacons,
            "organisations": Organisation.objects.count(),
            "staff_accounts": len(b.accounts),
        },
        step_seconds=b.step_seconds,
    )
