"""Build steps of the party: organisations down to a group per grid, members, registrations (双报到),
beacon households, a branch secretary who signs in (我的支部), and the branches' star self-assessments (自评)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linli.accounts import services as accounts
from linli.accounts.models import User
from linli.core.roles import Role
from linli.party import selectors as party_selectors
from linli.party import services as party
from linli.party.choices import MemberPosition, PartyOrgKind, Specialty
from linli.party.models import MemberRegistration, PartyMember
from linli.territory import services as territory
from linli.territory.models import Grid, OrgNode, Resident

from ..clock import at, travel, working_days_after, working_days_ago
from .organisations import POSTS, WORKPLACES
from .street import STREET

# The demo branch secretary's mobile number (README's demo accounts): a resident who signs in with a code.
SECRETARY_PHONE = "19900000020"
# A plain member of the secretary's branch who signs in as a resident (我的党员信息, `/party/me/`): `member1`.
MEMBER_PHONE = "19900000023"  # after the partner unit contact's (19900000022)

if TYPE_CHECKING:
    from .build import _Build


def _make_party_orgs(b: _Build) -> None:
    """Street committee → community committee (or general branch) → a branch per compound → a group per grid."""
    street_committee = party.party_org_create(
        actor=None,
        kind=PartyOrgKind.COMMITTEE,
        name=f"中共{STREET[0]}工作委员会",
        org_node=b.street,  # type: ignore[arg-type]
        secretary=b.staff_name(),
    )
    community_orgs = []
    for ci, community in enumerate(b.communities):
        committee = ci % 2 == 0  # the larger communities have a committee, the others a general branch
        community_orgs.append(
            party.party_org_create(
                actor=None,
                kind=PartyOrgKind.COMMITTEE if committee else PartyOrgKind.GENERAL_BRANCH,
                name=f"中共{community.name}{'委员会' if committee else '总支部委员会'}",
                org_node=community,
                parent=street_committee,
                secretary=b.staff_name(),
            )
        )
    for ki, compound in enumerate(b.compounds):
        ci = b.compound_community[ki]
        b.branches.append(
            party.party_org_create(
                actor=None,
                kind=PartyOrgKind.BRANCH,
                name=f"中共{b.communities[ci].name}{compound.name}支部委员会",
                org_node=compound,
                parent=community_orgs[ci],
                secretary=b.staff_name(),
            )
        )
    for gi, grid in enumerate(b.grids):
        party.party_org_create(
            actor=None,
            kind=PartyOrgKind.GROUP,
            name=f"{grid.name}党小组",
            org_node=b.compounds[b.grid_compound[gi]],
            parent=b.branches[b.grid_compound[gi]],
            grid=grid,
        )


def _age(b: _Build, r: Resident) -> int:
    return (
        b.today.year
        - r.birth_date.year
        - ((b.today.month, b.today.day) < (r.birth_date.month, r.birth_date.day))
    )


def _make_party_members(b: _Build) -> None:
    """Members drawn from adult residents (older ones more often), kept by the branch of their compound."""
    rng = b.rng
    grid_index = {g.pk: i for i, g in enumerate(b.grids)}
    adults = [r for r in b.residents if _age(b, r) >= 20]
    weights = [1.0 + max(0, _age(b, r) - 40) / 15 for r in adults]
    picked: dict[int, Resident] = {}
    while len(picked) < min(b.plan.members, len(adults)):
        r = rng.choices(adults, weights=weights)[0]
        picked.setdefault(r.pk, r)
    for r in picked.values():
        age = _age(b, r)
        working = 25 <= age < 60 and rng.random() < 0.75
        workplace = rng.choice(WORKPLACES)[0] if working else ""
        joined_age = rng.randint(18, max(18, min(age - 1, 45)))
        joined_on = min(
            dt.date(r.birth_date.year + joined_age, rng.randint(1, 12), rng.randint(1, 28)),
            b.today - dt.timedelta(days=rng.randint(30, 300)),
        )
        member = party.party_member_create(
            actor=None,
            name=r.name,
            party_org=b.branches[b.grid_compound[grid_index[r.grid_id]]],
            resident=r,
            phone=r.phone,
            joined_on=joined_on,
            workplace=workplace,
            is_demo=True,
        )
        b.members.append((member, r))


def _make_registrations_and_beacons(b: _Build) -> None:
    """双报到 as a live community has it: most working members registered with their community over the past years,
    each decided and given a post in their own grid within days, a few of them ended since; a few registered in the
    last working days and wait for the community to decide (one past the five working days of party/waits.py), and
    two approved a few working days ago wait for a post (one past the limit). Each step is taken by the community's
    worker through the real services with the clock moved to its day. Then a beacon household in about every other
    grid."""
    rng = b.rng
    # The days and hours of the steps come from a generator of their own, so the draws of `rng` (and so everything
    # built after the registrations) stay as they were.
    timing = random.Random(f"双报到-{len(b.members)}")
    grid_index = {g.pk: i for i, g in enumerate(b.grids)}
    specialty_of = dict(WORKPLACES)
    pending: list[_Registering] = []
    posted: list[_Registering] = []
    for member, r in b.members:
        if not member.workplace or rng.random() > 0.8:
            continue
        gi = grid_index[r.grid_id]
        community = b.communities[b.compound_community[b.grid_compound[gi]]]
        specialty = specialty_of[member.workplace]
        days_ago = rng.randint(20, 1000)
        registering = _Registering(
            member,
            community,
            b.community_workers[community.pk],
            b.grids[gi],
            specialty,
            around=b.today - dt.timedelta(days=days_ago),
        )
        roll = rng.random()
        if roll < 0.86:
            posted.append(registering)
        elif roll < 0.92:
            registering.ends = True
            posted.append(registering)
        else:
            pending.append(registering)
    # Two wait between the steps, approved and not yet posted, and at least two wait for the decision: in a small
    # district (with too few pending) the last ones due a post make up the number.
    short = len(AWAITING_POST_WORKING_DAYS) + 2 - len(pending)
    if short > 0:
        pending = posted[-short:] + pending
        posted = posted[:-short]
    waiting = pending[: len(AWAITING_POST_WORKING_DAYS)]
    pending = pending[len(waiting) :]
    for registering in posted:
        _register_posted(b, registering, timing)
    for registering, n in zip(waiting, AWAITING_POST_WORKING_DAYS, strict=False):
        approved = working_days_ago(b.today, n)
        _register(registering, working_days_ago(approved, timing.randint(1, 3)), timing)
        with travel(at(approved, 10)):
            party.member_registration_approve(actor=registering.worker, registration=registering.registration)
    for i, registering in enumerate(pending):
        waited = PENDING_OVERDUE_WORKING_DAYS if i == 0 else timing.randint(0, 4)
        _register(registering, working_days_ago(b.today, waited), timing)
    served: set[int] = set()
    for member, r in b.members:
        if len(served) >= max(1, len(b.grids) // 2):
            break
        if _age(b, r) < 45 or r.grid_id in served or r.household_id is None or rng.random() < 0.3:
            continue
        served.add(r.grid_id)
        party.beacon_household_designate(actor=None, member=member, households_served=rng.randint(8, 20))
    b.beacons = len(served)
    _make_branch_leaders(b)
    _make_branch_secretary(b)
    _make_member_account(b)
    _make_star_self_assessments(b)


# How many working days ago the community approved the registrations still waiting for a post: one within the
# five working days of party/waits.py, one past them (the list marks it overdue, the staff home counts it late).
AWAITING_POST_WORKING_DAYS = (2, 8)
# The working days the oldest registration still to decide has waited (past the five: the list marks it overdue);
# the others registered in the last four working days.
PENDING_OVERDUE_WORKING_DAYS = 7


@dataclass
class _Registering:
    """A member's 双报到 as the demo lives it: who takes the community's steps, the post's grid, roughly when."""

    member: PartyMember
    community: OrgNode
    worker: User
    grid: Grid
    specialty: Specialty
    around: dt.date  # the day, near which the member registered (for those registered long ago)
    ends: bool = False  # ended since (moved away)
    registration: MemberRegistration = field(init=False)


def _register(registering: _Registering, day: dt.date, timing: random.Random) -> None:
    """The community's worker records the member's registration on `day` (in working hours, the clock there)."""
    member = registering.member
    with travel(at(day, timing.randint(9, 11), timing.randint(0, 59))):
        registering.registration = party.member_registration_register(
            actor=registering.worker,
            member=member,
            community=registering.community,
            workplace=member.workplace,
            specialty=registering.specialty,
        )


def _register_posted(b: _Build, registering: _Registering, timing: random.Random) -> None:
    """Registered near its day (not before the member joined the party), approved within two working days, given a
    post within three more; for those that end, ended later on a working day before today."""
    around = registering.around
    joined = registering.member.joined_on
    if joined is not None and around <= joined:
        around = min(joined + dt.timedelta(days=timing.randint(7, 60)), b.today - dt.timedelta(days=20))
    registered = working_days_after(around, 0)
    approved = working_days_after(registered, timing.randint(0, 2))
    post_day = working_days_after(approved, timing.randint(0, 3))
    _register(registering, registered, timing)
    worker, registration = registering.worker, registering.registration
    with travel(at(approved, 14, timing.randint(0, 59))):
        registration = party.member_registration_approve(actor=worker, registration=registration)
    with travel(at(post_day, 16, timing.randint(0, 59))):
        registration = party.member_registration_assign_post(
            actor=worker, registration=registration, grid=registering.grid, post=POSTS[registering.specialty]
        )
    if registering.ends:
        gone = post_day + (b.today - post_day) * timing.uniform(0.3, 0.9)
        with travel(at(working_days_after(gone, 1), 11)):
            party.member_registration_end(
                actor=worker, registration=registration, reason="工作调动，已迁出本社区"
            )


def _likely_leader(b: _Build, members: list[tuple[PartyMember, Resident]]) -> tuple[PartyMember, Resident]:
    """The member a branch picks to lead it: one of working age where it has one, the earliest among them."""
    return min(members, key=lambda mr: (not 30 <= _age(b, mr[1]) < 66, mr[0].pk))


def _make_branch_leaders(b: _Build) -> None:
    """Every compound branch with members has a secretary from among them (one of working age where it can), named
    through the members' service, so the organisation's secretary is a member the street's reminders reach."""
    by_branch: dict[int, list[tuple[PartyMember, Resident]]] = {}
    for member, r in b.members:
        by_branch.setdefault(member.party_org_id, []).append((member, r))
    for branch in b.branches:
        members = by_branch.get(branch.pk)
        if not members:
            continue
        member, _r = _likely_leader(b, members)
        party.party_member_set_position(actor=None, member=member, position=MemberPosition.SECRETARY)


def _make_branch_secretary(b: _Build) -> None:
    """The secretary of a compound branch of the second community signs in as a resident (SECRETARY_PHONE):
    their resident record and member record carry the number, the community worker verified their household,
    and the branch's page 我的支部 is theirs. (The first community's resident accounts drive the later parts'
    histories; a further account there would change them.)"""
    community = b.communities[1]
    branches = {br.pk for ki, br in enumerate(b.branches) if b.compound_community[ki] == 1}
    candidates = [(m, r) for m, r in b.members if m.party_org_id in branches and r.household_id]
    if not candidates:
        return
    # The community's first branch that has members; one of working age when it has one.
    first = min(b.branches.index(m.party_org) for m, _r in candidates)
    candidates = [(m, r) for m, r in candidates if m.party_org_id == b.branches[first].pk]
    member, resident = _likely_leader(b, candidates)
    party.party_member_set_position(actor=None, member=member, position=MemberPosition.SECRETARY)
    _signs_in(b, community, member, resident, username="secretary1", phone=SECRETARY_PHONE)


def _signs_in(
    b: _Build, community: OrgNode, member: PartyMember, resident: Resident, *, username: str, phone: str
) -> None:
    """The member's resident record and member record carry `phone`; an account of that number signs in as a
    resident, its household verified by the community worker."""
    territory.resident_update(actor=None, resident=resident, phone=phone)
    party.party_member_update(actor=None, member=member, phone=phone)
    user = User.objects.create_user(
        username=username, password=None, role=Role.RESIDENT, display_name=resident.name, phone=phone
    )
    assert resident.household is not None
    claim = accounts.household_claim(actor=user, household=resident.household, claimant_name=resident.name)
    accounts.household_claim_verify(actor=b.community_workers[community.pk], claim=claim)


def _make_member_account(b: _Build) -> None:
    """A plain member of the secretary's branch signs in as a resident (MEMBER_PHONE, `member1`), their household
    verified by the community worker: their own page 我的党员信息 (their points, their branch, their 双报到) is
    seen as a member who leads nothing sees it."""
    secretary = PartyMember.objects.filter(phone=SECRETARY_PHONE).first()
    if secretary is None or secretary.resident is None:
        return
    candidates = [
        (m, r)
        for m, r in b.members
        if m.party_org_id == secretary.party_org_id
        and m.pk != secretary.pk
        and m.position == MemberPosition.MEMBER
        and r.household_id not in (None, secretary.resident.household_id)
    ]
    if not candidates:
        return
    member, resident = min(candidates, key=lambda mr: mr[0].pk)
    _signs_in(b, b.communities[1], member, resident, username="member1", phone=MEMBER_PHONE)


# What the demo branches write in their self-assessments, and what the street answers when it returns one.
STAR_STATEMENTS = (
    "全年按时召开支部党员大会和支委会，党员带头参与楼道整治和垃圾分类，群众满意度较高。",
    "支部开展“开门一件事”主题活动，党员认领居民微心愿，下沉网格参与走访和矛盾调解。",
    "支部联合共建单位开展“朝阳护学”“乐夕阳”服务项目，党员志愿服务时长较上年明显增加。",
)
STAR_NOTES = {
    "meetings": "另有 2 次党课与社区党委联合开展，记录在社区党建台账中。",
    "active": "部分老党员参与楼栋值守，未在系统登记志愿时长。",
}
STAR_RETURN_REASONS = (
    "三会一课只有上半年的记录，请补充下半年会议纪要后重新提交。",
    "自评说明过于笼统，请写明党建品牌项目和志愿服务的具体成效，并附佐证材料后再报。",
)


def _make_star_self_assessments(b: _Build) -> None:
    """星级党支部, as the street runs it: each branch's rating of last year computed and, for most, assessed by
    the branch (the volunteers part later computes it again and the street approves most); this year's computed,
    and by now some submitted to the street, some returned to the branch with a reason (the demo secretary's
    among them, so 我的支部 shows the street's reason), the rest awaiting the branch's self-assessment."""
    street = User.objects.filter(role=Role.STREET_OFFICER).order_by("id").first()
    secretary = User.objects.filter(username="secretary1").first()
    led = {p.party_org_id for p in party_selectors.leading_posts(secretary)} if secretary else set()
    others = 0  # the branches not led by the demo secretary, taking the states in turn
    for i, branch in enumerate(b.branches):
        actor = secretary if branch.pk in led else None
        last = party.branch_stars_compute(actor=None, branch=branch, year=b.today.year - 1)
        if i % 4 != 3:
            party.branch_stars_submit(
                actor=actor,
                rating=last,
                claimed_stars=2 + i % 3,
                statement=STAR_STATEMENTS[i % len(STAR_STATEMENTS)],
            )
        rating = party.branch_stars_compute(actor=None, branch=branch, year=b.today.year)
        if branch.pk in led:
            state = "returned"
        else:
            state = ("submitted", "computed", "returned")[others % 3]
            others += 1
        if state == "computed":
            continue
        rating = party.branch_stars_submit(
            actor=actor,
            rating=rating,
            claimed_stars=3 + i % 3,
            statement=STAR_STATEMENTS[(i + 1) % len(STAR_STATEMENTS)],
            notes=STAR_NOTES if i % 2 == 0 else {},
        )
        if state == "returned" and street is not None:
            party.branch_stars_return(
                actor=street, rating=rating, reason=STAR_RETURN_REASONS[i % len(STAR_RETURN_REASONS)]
            )
