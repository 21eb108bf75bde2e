"""Reads of party organisation, always through the user's scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce

from linli.core.roles import UNIT_ROLES, Role
from linli.core.scoping import (
    Actor,
    get_or_404,
    is_signed_in,
    scope_by_org,
    scope_in_or_above,
    tree_scope_path,
)
from linli.territory.choices import NodeKind, OrganisationKind, ResidentStatus
from linli.territory.models import Grid, Organisation, OrgNode, Resident
from linli.territory.selectors import Viewer, grids_visible_to, residents_visible_to

from .choices import (
    OPEN_REGISTRATION_STATES,
    MemberPosition,
    MemberStatus,
    RegistrationStatus,
    StarState,
)
from .models import (
    BeaconHousehold,
    BranchMeeting,
    BranchStarRating,
    MemberPointsEntry,
    MemberRegistration,
    PartnerPairing,
    PartyMember,
    PartyMemberEvent,
    PartyOrg,
)

# --- organisations -----------------------------------------------------------------------------------------


def party_orgs_visible_to(user: Viewer) -> QuerySet[PartyOrg]:
    return scope_by_org(
        PartyOrg.objects.select_related("org_node", "parent", "grid", "building", "property_company"),
        user,
        "org_node__path",
    )


def party_org_get_for(user: Viewer, pk: int) -> PartyOrg:
    return get_or_404(party_orgs_visible_to(user), pk=pk)


def party_org_parents_for(user: Viewer) -> QuerySet[PartyOrg]:
    """Organisations a new one may be placed under: those in the user's area and those above it."""
    return scope_in_or_above(
        PartyOrg.objects.select_related("org_node").exclude(kind="group"), user, "org_node__path", "org_node"
    )


def party_orgs_with_counts(user: Viewer) -> QuerySet[PartyOrg]:
    """The organisation list: with how many members each keeps (members who left not counted)."""
    return party_orgs_visible_to(user).annotate(
        n_members=Count("members", filter=Q(members__status=MemberStatus.ACTIVE))
    )


def property_companies_for(user: Viewer) -> QuerySet[Organisation]:
    return scope_in_or_above(
        Organisation.objects.filter(kind=OrganisationKind.PROPERTY_COMPANY).select_related("org_node"),
        user,
        "org_node__path",
        "org_node",
    )


def communities_visible_to(user: Viewer) -> QuerySet[OrgNode]:
    return scope_by_org(OrgNode.objects.filter(kind=NodeKind.COMMUNITY), user, "path").order_by("path")


def community_get_for(user: Viewer, pk: int) -> OrgNode:
    return get_or_404(communities_visible_to(user), pk=pk)


def attach_nodes_for(user: Viewer) -> QuerySet[OrgNode]:
    """Nodes a party organisation may be laid over: the street and below, in the user's area."""
    return scope_by_org(OrgNode.objects.exclude(kind=NodeKind.DISTRICT), user, "path").order_by("path")


def communities_open_to_all() -> QuerySet[OrgNode]:
    """Every community, with its street: the public page where a member chooses where to register."""
    return OrgNode.objects.filter(kind=NodeKind.COMMUNITY).select_related("parent").order_by("path")


def community_by_code(code: str) -> OrgNode:
    """A community by its division code: the public page a member reaches by scanning its QR code."""
    return get_or_404(OrgNode.objects.filter(kind=NodeKind.COMMUNITY), code=code)


# --- members -----------------------------------------------------------------------------------------------


def party_members_visible_to(user: Viewer) -> QuerySet[PartyMember]:
    return scope_by_org(
        PartyMember.objects.select_related("party_org", "resident"), user, "party_org__org_node__path"
    )


def party_members_listed(
    user: Viewer, *, org_id: int | None = None, status: str = MemberStatus.ACTIVE, q: str = ""
) -> QuerySet[PartyMember]:
    """The party members list (党员): the members the user sees, of one organisation (`org_id`), in one status (those
    on the roll, 在册, unless asked; "" for every status), whose name holds `q`. The staff home's 党员 figure counts
    this list as it first opens."""
    members = party_members_visible_to(user)
    if org_id:
        members = members.filter(party_org_id=org_id)
    if status:
        members = members.filter(status=status)
    if q:
        members = members.filter(name__contains=q)
    return members.order_by("party_org__name", "name")


def party_member_get_for(user: Viewer, pk: int) -> PartyMember:
    return get_or_404(party_members_visible_to(user), pk=pk)


def beacon_candidates(user: Viewer) -> QuerySet[PartyMember]:
    """The members whose household may become a beacon household: active, living in a household of the
    register, not already one; with what the finder shows of each."""
    return (
        party_members_visible_to(user)
        .filter(status=MemberStatus.ACTIVE, resident__household__isnull=False, beacon__isnull=True)
        .select_related("resident__household")
        .order_by("name", "id")
    )


def member_resident_candidates(user: Viewer, member: PartyMember | None = None) -> QuerySet[Resident]:
    """The resident records a member may be linked to: living here, not another member's (the `member`'s own
    record too, when editing them); what the finder shows of each already read."""
    others = Q(party_member__isnull=True)
    if member is not None and member.resident_id is not None:
        others |= Q(pk=member.resident_id)
    return (
        residents_visible_to(user)
        .filter(others, status=ResidentStatus.PRESENT)
        .select_related("household", "grid")
        .order_by("name", "id")
    )


def member_history(member: PartyMember) -> QuerySet[PartyMemberEvent]:
    return member.events.select_related("from_org", "to_org", "actor").order_by("at", "id")


# --- registrations (双报到) ---------------------------------------------------------------------------------


def member_registrations_visible_to(user: Viewer) -> QuerySet[MemberRegistration]:
    return scope_by_org(
        MemberRegistration.objects.select_related("community", "grid", "member"), user, "community__path"
    )


def member_registration_get_for(user: Viewer, pk: int) -> MemberRegistration:
    return get_or_404(member_registrations_visible_to(user), pk=pk)


def member_registration_by_token(token: str) -> MemberRegistration:
    """The member's own view of their registration, through the link they were given."""
    if not token:
        return get_or_404(MemberRegistration.objects.none())
    return get_or_404(MemberRegistration.objects.select_related("community", "grid"), token=token)


def member_registrations_of(user: Actor) -> QuerySet[MemberRegistration]:
    """A resident's own registrations, by the mobile number they signed in with (proved by its code) or linked to
    their own member record (`own_member_records`: a registration approved under another number), the latest
    first: how a member who lost their page's link finds it. Nobody else's, and none for staff accounts."""
    phone = getattr(user, "phone", "") if getattr(user, "role", None) == Role.RESIDENT else ""
    if not phone:
        return MemberRegistration.objects.none()
    return (
        MemberRegistration.objects.filter(Q(phone=phone) | Q(member__in=own_member_records(user)))
        .select_related("community", "grid")
        .order_by("-registered_on", "-id")
    )


def open_registration_for_phone(phone: str) -> MemberRegistration | None:
    return (
        MemberRegistration.objects.filter(phone=phone, status__in=OPEN_REGISTRATION_STATES)
        .select_related("community")
        .first()
    )


def grids_for_post(user: Viewer, registration: MemberRegistration) -> QuerySet[Grid]:
    """The community's grids the user may post the member to, those with fewest members of the same
    specialty on post first (so a community's lawyers spread over its grids)."""
    grids = (
        grids_visible_to(user)
        .filter(org_node__path__startswith=registration.community.path)
        .annotate(
            n_same=Count(
                "member_posts",
                filter=Q(
                    member_posts__status=RegistrationStatus.ACTIVE,
                    member_posts__specialty=registration.specialty,
                ),
            )
        )
        .order_by("n_same", "code")
    )
    return grids


# --- beacon households and partner units ---------------------------------------------------------------------


def beacon_households_visible_to(user: Viewer) -> QuerySet[BeaconHousehold]:
    return scope_by_org(
        BeaconHousehold.objects.select_related("member", "household__building", "grid"),
        user,
        "grid__org_node__path",
    )


def beacon_household_get_for(user: Viewer, pk: int) -> BeaconHousehold:
    return get_or_404(beacon_households_visible_to(user), pk=pk)


def partner_pairings_visible_to(user: Viewer) -> QuerySet[PartnerPairing]:
    """The pairings of the communities in the user's area; a partner unit's own account (a unit role,
    core.roles.UNIT_ROLES) sees its unit's pairings, with whom and what they do together."""
    pairings = PartnerPairing.objects.select_related("partner", "community")
    if getattr(user, "role", None) in UNIT_ROLES:
        return pairings.filter(partner_id=getattr(user, "organisation_id", None) or 0)
    return scope_by_org(pairings, user, "community__path")


def partner_pairing_get_for(user: Viewer, pk: int) -> PartnerPairing:
    return get_or_404(partner_pairings_visible_to(user), pk=pk)


def partner_units_for(user: Viewer) -> QuerySet[Organisation]:
    """Partner units the user may pair a community with: those kept in their area or above it."""
    return scope_in_or_above(
        Organisation.objects.filter(kind=OrganisationKind.PARTNER_UNIT).select_related("org_node"),
        user,
        "org_node__path",
        "org_node",
    ).order_by("name")


# --- a grid's party side (territory's grid profile and page) ---------------------------------------------------


def grid_party_counts(grid: Grid) -> dict[str, int]:
    """The party side of a grid's profile: members living there, beacon households, members on post."""
    return {
        "party_members": PartyMember.objects.filter(resident__grid=grid, status=MemberStatus.ACTIVE).count(),
        "beacon_households": BeaconHousehold.objects.filter(grid=grid).count(),
        "member_posts": MemberRegistration.objects.filter(
            grid=grid, status=RegistrationStatus.ACTIVE
        ).count(),
    }


def grid_member_posts(grid: Grid) -> QuerySet[MemberRegistration]:
    """Registered members holding a post in the grid (双报到), by name."""
    return (
        MemberRegistration.objects.filter(grid=grid, status=RegistrationStatus.ACTIVE)
        .select_related("member", "community")
        .order_by("name")
    )


def grid_party_orgs(grid: Grid) -> QuerySet[PartyOrg]:
    """Party organisations attached to the grid (its party groups, and groups of its buildings)."""
    return PartyOrg.objects.filter(Q(grid=grid) | Q(building__grid=grid)).order_by("name")


# --- member points, branch meetings and stars --------------------------------------------------------------


def member_points_ledger(member: PartyMember) -> QuerySet[MemberPointsEntry]:
    return member.points.select_related("actor").order_by("-on", "-id")


def member_points_total(member: PartyMember, *, year: int | None = None) -> int:
    qs = member.points.all()
    if year is not None:
        qs = qs.filter(on__year=year)
    return int(qs.aggregate(total=Sum("points"))["total"] or 0)


def branch_meetings_visible_to(user: Viewer) -> QuerySet[BranchMeeting]:
    return scope_by_org(
        BranchMeeting.objects.select_related("branch").annotate(attendance=Count("attendees")),
        user,
        "branch__org_node__path",
    )


def branches_visible_to(user: Viewer) -> QuerySet[PartyOrg]:
    """The organisations that are rated and hold meetings: branches and general branches."""
    return party_orgs_visible_to(user).filter(kind__in=("branch", "general_branch"))


def star_ratings_visible_to(user: Viewer) -> QuerySet[BranchStarRating]:
    return scope_by_org(
        BranchStarRating.objects.select_related("branch__org_node", "approved_by", "submitted_by"),
        user,
        "branch__org_node__path",
    )


def star_rating_get_for(user: Viewer, pk: int) -> BranchStarRating:
    return get_or_404(star_ratings_visible_to(user), pk=pk)


def star_distribution(ratings: QuerySet[BranchStarRating]) -> list[int]:
    """How many ratings have 0, 1, … 5 stars."""
    counts = dict(ratings.values("stars").annotate(n=Count("id")).values_list("stars", "n"))
    return [counts.get(stars, 0) for stars in range(6)]


# --- a branch secretary's own branch (我的支部) --------------------------------------------------------------

# The positions that lead an organisation: its secretary and deputy secretary do the branch's work in Linli.
LEADING_POSITIONS = (MemberPosition.SECRETARY, MemberPosition.DEPUTY_SECRETARY)


def own_member_records(user: Viewer) -> QuerySet[PartyMember]:
    """The user's own active member records: an account is a member when the resident record the member is linked
    to lives in the household the account was verified in (by a community worker) and has the account's mobile
    number (proved by the sign-in code). It follows the record: it ends the moment the membership or the verified
    household ends. Nobody else's; none for staff accounts (they have no verified household)."""
    none = PartyMember.objects.none()
    if not is_signed_in(user):
        return none
    household_id = getattr(user, "household_id", None)
    phone = getattr(user, "phone", "") or ""
    if not household_id or getattr(user, "household_verified_at", None) is None or not phone:
        return none
    return PartyMember.objects.filter(
        status=MemberStatus.ACTIVE, resident__household_id=household_id, resident__phone=phone
    ).select_related("party_org__org_node")


def own_member(user: Viewer, *, year: int) -> PartyMember | None:
    """The user's own member record (我的党员信息) with its points in `year` and in all, or None."""
    return with_points(own_member_records(user), year=year).order_by("pk").first()


def leading_posts(user: Viewer) -> QuerySet[PartyMember]:
    """The user's own active member records (`own_member_records`) that hold a leading position (secretary,
    deputy secretary): the capability ends the moment the position ends too."""
    return own_member_records(user).filter(position__in=LEADING_POSITIONS)


def branch_leaders(branch: PartyOrg) -> QuerySet[PartyMember]:
    """The branch's active secretary and deputy secretaries (whoever the street reminds of the branch's work)."""
    return PartyMember.objects.filter(
        party_org=branch, status=MemberStatus.ACTIVE, position__in=LEADING_POSITIONS
    ).select_related("resident")


def branches_with_leaders(branch_ids: list[int]) -> set[int]:
    """Which of these organisations have an active secretary or deputy (one query, for a list)."""
    return set(
        PartyMember.objects.filter(
            party_org_id__in=branch_ids, status=MemberStatus.ACTIVE, position__in=LEADING_POSITIONS
        ).values_list("party_org_id", flat=True)
    )


def leader_accounts(branch: PartyOrg) -> list[Any]:
    """The accounts that lead `branch` now: `leading_posts` read the other way (an account verified in the
    household of a leader's resident record, with its mobile number). Party sits below accounts, so the account
    model is named through Django's `get_user_model`."""
    accounts = get_user_model().objects.none()
    for member in branch_leaders(branch):
        resident = member.resident
        if resident is None or not resident.household_id or not resident.phone:
            continue
        accounts = accounts | get_user_model().objects.filter(
            household_id=resident.household_id, phone=resident.phone, household_verified_at__isnull=False
        )
    return list(accounts.distinct().order_by("pk"))


def led_org_ids(user: Viewer) -> set[int]:
    """The organisations the user leads as secretary or deputy, with the organisations under them."""
    return _with_descendants(set(leading_posts(user).values_list("party_org_id", flat=True)))


def _with_descendants(ids: set[int]) -> set[int]:
    """The organisations `ids` and every organisation under them."""
    found = set(ids)
    frontier = set(found)
    while frontier:  # the party hierarchy is at most four levels deep
        frontier = set(PartyOrg.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def _reach(qs: QuerySet[Any], user: Viewer, path_field: str, org_field: str) -> QuerySet[Any]:
    """Staff: rows in their subtree (as everywhere). Anyone else: rows of the organisations they lead."""
    if tree_scope_path(user) is not None:
        return scope_by_org(qs, user, path_field)
    return qs.filter(**{f"{org_field}__in": led_org_ids(user)})


def party_orgs_in_reach(user: Viewer) -> QuerySet[PartyOrg]:
    """Organisations a person may do a branch's work for: staff their area's, a secretary their own branch's."""
    return _reach(PartyOrg.objects.select_related("org_node", "parent"), user, "org_node__path", "pk")


def branches_in_reach(user: Viewer) -> QuerySet[PartyOrg]:
    return party_orgs_in_reach(user).filter(kind__in=("branch", "general_branch"))


def star_ratings_in_reach(user: Viewer) -> QuerySet[BranchStarRating]:
    """Ratings a person may assess their branch by: staff their area's, a secretary their own branch's."""
    return _reach(
        BranchStarRating.objects.select_related("branch__org_node", "approved_by", "submitted_by"),
        user,
        "branch__org_node__path",
        "branch_id",
    )


def branch_get_for(user: Viewer, pk: int) -> PartyOrg:
    return get_or_404(party_orgs_in_reach(user), pk=pk)


def party_members_in_reach(user: Viewer) -> QuerySet[PartyMember]:
    return _reach(
        PartyMember.objects.select_related("party_org__org_node", "resident"),
        user,
        "party_org__org_node__path",
        "party_org_id",
    )


def with_points(members: QuerySet[PartyMember], *, year: int) -> QuerySet[PartyMember]:
    """Each member with `points_total` (in all) and `points_year` (earned in `year`)."""
    return members.annotate(
        points_total=Coalesce(Sum("points__points"), 0),
        points_year=Coalesce(Sum("points__points", filter=Q(points__on__year=year)), 0),
    )


def branch_members(branch: PartyOrg, *, year: int) -> QuerySet[PartyMember]:
    """The branch's active members (and its groups'), leaders first, each with points in all and in `year`."""
    return with_points(
        PartyMember.objects.filter(
            party_org_id__in=_with_descendants({branch.pk}), status=MemberStatus.ACTIVE
        ).select_related("party_org"),
        year=year,
    ).order_by(
        Case(
            When(position=MemberPosition.SECRETARY, then=0),
            When(position=MemberPosition.DEPUTY_SECRETARY, then=1),
            When(position=MemberPosition.COMMITTEE_MEMBER, then=2),
            default=3,
        ),
        "name",
        "pk",
    )


def branch_registrations(branch: PartyOrg) -> QuerySet[MemberRegistration]:
    """双报到 of the branch's members, newest first."""
    return (
        MemberRegistration.objects.filter(member__party_org_id__in=_with_descendants({branch.pk}))
        .select_related("member", "community", "grid")
        .order_by("-registered_on", "-id")
    )


def branch_meetings_of(branch: PartyOrg) -> QuerySet[BranchMeeting]:
    return (
        BranchMeeting.objects.filter(branch=branch)
        .annotate(attendance=Count("attendees"))
        .order_by("-held_on", "-id")
    )


def branch_rating_latest(branch: PartyOrg, year: int | None = None) -> BranchStarRating | None:
    """The branch's latest rating, or its rating of `year`."""
    ratings = branch.star_ratings.select_related("approved_by", "submitted_by")
    return (ratings.filter(year=year) if year else ratings).order_by("-year").first()


# A rating waits for its branch's self-assessment while computed, or returned by the street.
RATING_WAITING_FOR_BRANCH = (StarState.COMPUTED, StarState.RETURNED)


def branch_ratings_waiting(branch: PartyOrg) -> list[BranchStarRating]:
    """The branch's ratings that wait for its self-assessment (computed, or returned), oldest year first: an
    earlier year the street reminds the branch of is assessed from the same page as the latest."""
    return list(branch.star_ratings.filter(state__in=RATING_WAITING_FOR_BRANCH).order_by("year"))


def ratings_waiting_for_leader(user: Viewer) -> QuerySet[BranchStarRating]:
    """The ratings waiting for a self-assessment that `user` may submit as secretary or deputy: those of the
    organisations they lead (and those under them), for the to-dos on their home (party/waiting.py)."""
    return BranchStarRating.objects.filter(
        branch_id__in=led_org_ids(user), state__in=RATING_WAITING_FOR_BRANCH
    )
