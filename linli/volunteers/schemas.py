"""Shapes of the volunteering API: what it reads and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class VolunteerRef(Schema):
    id: int
    name: str


class RoleOut(Schema):
    id: int
    name: str
    capacity: int
    taken: int
    waiting: int
    certificate: str
    refusal: str | None = None  # why the signed-in volunteer may not sign up (None: they may)


class ShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    roles: list[RoleOut]


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    state: str
    community: VolunteerRef
    team: VolunteerRef | None
    team_colour: str | None
    place: str
    lng: float
    lat: float
    check_in_radius: int
    signup_opens_at: dt.datetime
    bad_weather: bool
    shifts: list[ShiftOut]


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class RoleIn(Schema):
    name: str
    capacity: int
    certificate: str = ""


class ShiftIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    roles: list[RoleIn]


class ActivityIn(Schema):
    community_id: int
    team_id: int | None = None
    title: str
    description: str = ""
    place: str
    lng: float
    lat: float
    check_in_radius: int = 200
    signup_opens_at: dt.datetime
    bad_weather: bool = False
    shifts: list[ShiftIn]


class SignupIn(Schema):
    wait: bool = False


class SignupOut(Schema):
    id: int
    state: str
    activity: VolunteerRef
    role: VolunteerRef
    volunteer: VolunteerRef
    starts_at: dt.datetime
    ends_at: dt.datetime
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    hours: Decimal | None


class SignupPage(Schema):
    count: int
    items: list[SignupOut]


class LocationIn(Schema):
    lng: float | None = None
    lat: float | None = None
    step: str = "in"


class HoursIn(Schema):
    hours: Decimal | None = None


class VolunteerMeOut(Schema):
    id: int
    name: str
    community: VolunteerRef
    kind: str
    certificates: list[str]
    skills: str
    availability: str
    account_id: int
    balance: Decimal
    points: int


class VolunteerOut(Schema):
    id: int
    name: str
    kind: str
    community: VolunteerRef
    phone: str
    skills: str
    certificates: list[str]
    active: bool
    teams: list[VolunteerRef]
    linked: bool  # whether an account signs in to this record


class VolunteerLinkIn(Schema):
    phone: str  # the mobile number the resident's account signs in with


class VolunteerPage(Schema):
    count: int
    items: list[VolunteerOut]


class AccountOut(Schema):
    id: int
    kind: str
    name: str
    community: VolunteerRef
    balance: Decimal
    min_balance: Decimal | None
    max_balance: Decimal | None


class AccountPage(Schema):
    count: int
    items: list[AccountOut]


class MovementOut(Schema):
    id: int
    transfer_id: int
    at: dt.datetime
    amount: Decimal
    category: str
    note: str
    counterparts: list[VolunteerRef]


class MovementPage(Schema):
    count: int
    items: list[MovementOut]


class LegIn(Schema):
    account_id: int
    hours: Decimal  # negative: taken out; positive: put in
    # A giving leg's balance as the caller saw it (`GET /accounts`, `GET /me`), required on every giving leg: a
    # request whose balance is no longer this is refused (409 `balance_changed`), so the same one sent twice pays
    # once.
    balance: Decimal | None = None


class VolunteerTransferIn(Schema):
    legs: list[LegIn]
    category: str
    note: str = ""


class TransferOut(Schema):
    id: int
    category: str
    note: str
    at: dt.datetime
    reverses_id: int | None
    legs: list[LegIn]


class ReverseIn(Schema):
    reason: str


class RedeemIn(Schema):
    # The points the volunteer confirmed against (`GET /me`'s `points`): a request whose points are no longer
    # these is refused (409 `redeem_refused`, reason `changed`), so the same request sent twice redeems once.
    balance: int


class StoreItemOut(Schema):
    id: int
    name: str
    description: str
    points: int
    stock: int
    donor: VolunteerRef | None
    refusal: str | None  # why the signed-in volunteer may not redeem it now (a RedeemRefusal code)
    refusal_label: str | None
    points_short: int  # how many more points it needs (0 when there are enough), as the page's 还差 N 分


class RedemptionOut(Schema):
    id: int
    item: VolunteerRef
    points: int
    state: str
    state_label: str
    created_at: dt.datetime
    balance: int  # the volunteer's points after it


# --- photos of activities and the points rules ----------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    activity: VolunteerRef
    caption: str
    url: str
    consent: bool
    consent_note: str
    consent_at: dt.datetime | None
    created_at: dt.datetime


class PhotoConsentIn(Schema):
    consent: bool  # true: everyone pictured agreed (say how in `note`); false: withdraw it (say why)
    note: str = ""


class PublicPhotoOut(Schema):
    id: int
    activity: VolunteerRef
    held_on: dt.date
    caption: str
    url: str


class RulesOut(Schema):
    community: VolunteerRef
    own: bool  # false: the community has not set its own, the defaults apply
    per_hour: int
    night_multiplier: Decimal
    holiday_multiplier: Decimal
    weather_multiplier: Decimal
    daily_cap: int
    monthly_cap: int
    wish_bonus: int
    report_bonus: int
    hazard_bonus: int


class RulesIn(Schema):
    """Only the rules given change; the service checks each against the same bounds as the page."""

    per_hour: Decimal | None = None
    night_multiplier: Decimal | None = None
    holiday_multiplier: Decimal | None = None
    weather_multiplier: Decimal | None = None
    daily_cap: Decimal | None = None
    monthly_cap: Decimal | None = None
    wish_bonus: Decimal | None = None
    report_bonus: Decimal | None = None
    hazard_bonus: Decimal | None = None


class TeamMemberOut(Schema):
    id: int
    name: str
    kind: str
    phone: str
    active: bool
    leader: bool
    team_hours: Decimal
    all_hours: Decimal


class TeamActivityOut(Schema):
    id: int
    title: str
    state: str
    place: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None


class TeamOut(Schema):
    id: int
    name: str
    colour: str
    description: str
    community: VolunteerRef
    party_org: VolunteerRef | None
    leader: VolunteerRef | None
    member_count: int


class TeamDetailOut(TeamOut):
    members: list[TeamMemberOut]
    upcoming: list[TeamActivityOut]
    recent: list[TeamActivityOut]
    may_manage: bool


class TeamIn(Schema):
    """The details to change; a field left out keeps its value (`party_org_id: null` clears the organisation)."""

    name: str | None = None
    colour: str | None = None
    description: str | None = None
    party_org_id: int | None = None


class TeamLeaderIn(Schema):
    volunteer_id: int | None = None


class TeamMembersIn(Schema):
    volunteer_ids: list[int]


class JoinAskIn(Schema):
    note: str = ""


class JoinAnswerIn(Schema):
    reason: str = ""  # required to decline: the volunteer is told it


class JoinRequestOut(Schema):
    id: int
    team: VolunteerRef
    volunteer: VolunteerRef
    note: str
    state: str
    reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
