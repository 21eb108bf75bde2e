"""Shapes of the party API. Phone numbers go out masked."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Ref(Schema):
    id: int
    name: str


class PartyOrgOut(Schema):
    id: int
    kind: str
    kind_label: str
    category: str
    name: str
    parent: Ref | None
    org_node: Ref
    grid: Ref | None
    building: Ref | None
    property_company: Ref | None
    secretary: str


class PartyOrgPage(Schema):
    count: int
    items: list[PartyOrgOut]


class PartyOrgPatch(Schema):
    name: str
    org_node_id: int
    parent_id: int | None = None
    grid_id: int | None = None
    building_id: int | None = None
    category: str = "regular"
    property_company_id: int | None = None


class PartyOrgIn(PartyOrgPatch):
    """A new organisation: what an edit may change, and its kind (fixed once created)."""

    kind: str


class MemberEventOut(Schema):
    kind: str
    on: dt.date
    from_org: Ref | None
    to_org: Ref | None
    position: str
    note: str


class MemberOut(Schema):
    id: int
    name: str
    party_org: Ref
    status: str
    position: str
    phone: str
    joined_on: dt.date | None
    left_on: dt.date | None
    workplace: str


class MemberPage(Schema):
    """A page of a list (core.api_paging): `count` of all, `items` of this page; the other pages alike."""

    count: int
    items: list[MemberOut]


class MemberDetailOut(MemberOut):
    history: list[MemberEventOut]


class MemberIn(Schema):
    name: str
    party_org_id: int
    phone: str = ""
    joined_on: dt.date | None = None
    workplace: str = ""
    resident_id: int | None = None


class MemberPatch(Schema):
    """A member's record corrected (as the page's 编辑): only the fields sent change; an empty phone clears it."""

    name: str | None = None
    phone: str | None = None
    joined_on: dt.date | None = None
    workplace: str | None = None
    resident_id: int | None = None


class TransferIn(Schema):
    to_org_id: int
    on: dt.date | None = None
    note: str = ""


class LeaveIn(Schema):
    reason: str
    on: dt.date | None = None


class PositionIn(Schema):
    position: str


class ApplyIn(Schema):
    community_code: str
    name: str
    phone: str
    workplace: str
    workplace_branch: str
    specialty: str
    availability: str
    note: str = ""
    source: str = "page"


class RegistrationOut(Schema):
    id: int
    name: str
    phone: str
    community: Ref
    workplace: str
    workplace_branch: str
    specialty: str
    availability: str
    source: str
    status: str
    registered_on: dt.date
    grid: Ref | None
    post: str
    duties: str
    refusal_reason: str
    refusal_note: str
    # The community's next step (pending: the decision; approved: a post): the day it became due (the day
    # registered, the day approved), the working days waited since, and whether that is more than the rule
    # (`waits.REGISTRATION_STEP_WORKING_DAYS`); None, None and false when nothing waits for the community.
    waiting_since: dt.date | None
    waited_working_days: int | None
    overdue: bool


class RegistrationPage(Schema):
    count: int
    items: list[RegistrationOut]


class MyRegistrationOut(Schema):
    """What the member sees through their own link."""

    token: str
    community: Ref
    status: str
    status_label: str
    grid: Ref | None
    post: str
    duties: str
    refusal_reason: str
    refusal_reason_label: str
    refusal_note: str


class MyRegistrationPage(Schema):
    count: int
    items: list[MyRegistrationOut]


class RefuseIn(Schema):
    reason: str
    note: str = ""


class PostIn(Schema):
    grid_id: int
    post: str
    duties: str = ""


class EndIn(Schema):
    reason: str = ""


class BeaconOut(Schema):
    id: int
    member: Ref
    grid: Ref
    household_address: str
    households_served: int


class BeaconPage(Schema):
    count: int
    items: list[BeaconOut]


class BeaconIn(Schema):
    member_id: int
    households_served: int = 10


class PairingOut(Schema):
    id: int
    partner: Ref
    community: Ref
    kind: str
    member_count: int
    contact_name: str
    contact_phone: str
    since: dt.date
    ended_on: dt.date | None
    note: str


class PairingPage(Schema):
    count: int
    items: list[PairingOut]


class PairingIn(Schema):
    community_id: int
    partner_id: int | None = None
    partner_name: str = ""
    kind: str = "paired"
    member_count: int = 0
    contact_name: str
    contact_phone: str
    since: dt.date | None = None
    note: str = ""


# --- member points and branch stars ------------------------------------------------------------------------


class PointsEntryOut(Schema):
    id: int
    kind: str
    points: int
    on: dt.date
    reason: str


class PointsEntryPage(Schema):
    count: int
    items: list[PointsEntryOut]


class PointsGrantIn(Schema):
    points: int
    reason: str


class StarIndicatorOut(Schema):
    code: str
    label: str
    weight: int
    value: float
    evidence: list[str]


class StarRatingOut(Schema):
    """`stars` are the rating's standing stars: `computed_stars` until the street approves, then those granted."""

    id: int
    branch: Ref
    year: int
    score: float
    computed_stars: int
    stars: int
    state: str
    state_label: str
    indicators: list[StarIndicatorOut]
    claimed_stars: int | None
    claim_statement: str
    claim_notes: dict[str, str]
    submitted_at: dt.datetime | None
    return_reason: str
    returned_at: dt.datetime | None
    approved_at: dt.datetime | None
    review_note: str
    reminders: int
    reminded_at: dt.datetime | None


class StarRatingPage(Schema):
    count: int
    items: list[StarRatingOut]


class StarComputeIn(Schema):
    branch_id: int
    year: int


class StarApproveIn(Schema):
    """`stars`: those the street grants (0-5); left out, those the branch claimed (or the computed ones)."""

    stars: int | None = None
    note: str = ""


class StarReturnIn(Schema):
    reason: str


class StarSubmitIn(Schema):
    """The branch's self-assessment: the stars it claims (0-5), why, and a note per indicator code (optional)."""

    claimed_stars: int
    statement: str
    notes: dict[str, str] = {}


class StarWeightOut(Schema):
    code: str
    label: str
    weight: int
    default: int


class MemberPointsRuleOut(Schema):
    kind: str
    label: str
    points: int
    default: int


class StarRulesOut(Schema):
    weights: list[StarWeightOut]
    member_points: list[MemberPointsRuleOut]
    total: int
    may_set: bool


class StarRulesIn(Schema):
    """Only the weights and kinds given change (indicator code or member-points kind: a whole number 0-100)."""

    weights: dict[str, int] = {}
    member_points: dict[str, int] = {}


# --- 我的支部: a branch secretary's own branch ------------------------------------------------------------------


class BranchLedOut(Schema):
    id: int
    name: str
    kind: str
    org_node: Ref
    position: str


class BranchMemberOut(Schema):
    id: int
    name: str
    position: str
    phone: str  # masked
    party_org: Ref
    points_year: int
    points_total: int


class BranchRegistrationOut(Schema):
    id: int
    member_id: int | None
    name: str
    community: Ref
    status: str
    registered_on: dt.date
    grid: Ref | None
    post: str
    waits_for: str  # who acts next, in words ("待…社区审核", "待…社区安排岗位"); empty once nothing waits
    # How long it has waited for that (working days), and whether longer than the rule, as on the community's list
    waited_working_days: int | None
    overdue: bool


class BranchRegistrationPage(Schema):
    count: int
    items: list[BranchRegistrationOut]


class BranchMeetingOut(Schema):
    id: int
    kind: str
    held_on: dt.date
    topic: str
    attendance: int


class BranchMeetingPage(Schema):
    count: int
    items: list[BranchMeetingOut]


class BranchMeetingIn(Schema):
    kind: str
    held_on: dt.date
    topic: str
    attendee_ids: list[int] = []


class BranchSummaryOut(Schema):
    id: int
    name: str
    kind: str
    year: int
    members: list[BranchMemberOut]
    rating: StarRatingOut | None
    may: list[str]


class MyMemberOut(Schema):
    """我的党员信息: the caller's own member record, with its points of `year` and in all."""

    id: int
    name: str
    position: str
    position_label: str
    joined_on: dt.date | None
    branch: Ref
    community: Ref
    year: int
    points_year: int
    points_total: int
    leads_branch: bool
