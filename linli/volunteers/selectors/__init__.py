"""Reads of volunteering, always through the reader's scope: staff see the communities of their subtree; a
signed-in person sees their own volunteer record, the open activities of their community and their ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.lookup import PHONE_END, typed_digits
from linli.core.scoping import get_or_404, is_signed_in, is_staff_member, scope_by_org
from linli.party.models import BranchStarRating
from linli.territory.models import OrgNode
from linli.territory.selectors import Viewer, community_above

from ..choices import HOLDING_STATES, ActivityState, JoinState, SignupState, TeamColour
from ..models import (
    Activity,
    ActivityPhoto,
    Honour,
    PointsEntry,
    Redemption,
    Shift,
    ShiftRole,
    Signup,
    StoreItem,
    TeamJoinRequest,
    Volunteer,
    VolunteerTeam,
)
from ._scope import _area_or_own, _in_community, own_volunteer, records_awaiting
from .bank import (
    ACCOUNT_NAMES,
    account_get_for,
    account_months,
    account_movements,
    accounts_found,
    accounts_visible_to,
    ledger_total,
    month_totals,
    movement_get_for,
    payees_for,
    transfer_payees_for,
    with_balances,
)

__all__ = [  # the rooms' reads, as `selectors.<name>` (besides this module's own)
    "ACCOUNT_NAMES",
    "account_get_for",
    "account_months",
    "account_movements",
    "accounts_found",
    "accounts_visible_to",
    "ledger_total",
    "month_totals",
    "movement_get_for",
    "own_volunteer",
    "payees_for",
    "records_awaiting",
    "transfer_payees_for",
    "with_balances",
]

# --- volunteers and teams ----------------------------------------------------------------------------------


def volunteers_visible_to(user: Viewer) -> QuerySet[Volunteer]:
    return _in_community(
        Volunteer.objects.select_related("community", "unit", "party_member").prefetch_related("teams"),
        user,
        "community__path",
    )


def volunteer_get_for(user: Viewer, pk: int) -> Volunteer:
    return get_or_404(volunteers_visible_to(user), pk=pk)


def teams_visible_to(user: Viewer) -> QuerySet[VolunteerTeam]:
    """The teams of the reader's area, each with how many members it has and how many ask to join (`asking`)."""
    asking = Count("join_requests", filter=Q(join_requests__state=JoinState.PENDING), distinct=True)
    return _in_community(
        VolunteerTeam.objects.select_related("community", "party_org", "leader").annotate(
            member_count=Count("members", distinct=True), asking=asking
        ),
        user,
        "community__path",
    )


def team_get_for(user: Viewer, pk: int) -> VolunteerTeam:
    return get_or_404(teams_visible_to(user), pk=pk)


def team_led_by(user: Viewer, pk: int) -> VolunteerTeam:
    """The team the signed-in person leads (their volunteer record is its leader): they read its page."""
    return get_or_404(teams_led_by(user).select_related("community", "party_org", "leader"), pk=pk)


def teams_led_by(user: Viewer) -> QuerySet[VolunteerTeam]:
    """The teams the signed-in person leads (none for a person with no volunteer record)."""
    if not is_signed_in(user):
        return VolunteerTeam.objects.none()
    return VolunteerTeam.objects.filter(leader__account_id=getattr(user, "pk", None)).order_by("name")


def team_members(team: VolunteerTeam) -> QuerySet[Volunteer]:
    """The team's members, the leader first, each with their confirmed hours in the team's activities
    (`team_hours`) and in all (`all_hours`)."""
    done = Q(signups__state=SignupState.DONE)
    return (
        team.members.annotate(
            team_hours=Sum("signups__hours", filter=done & Q(signups__role__shift__activity__team=team)),
            all_hours=Sum("signups__hours", filter=done),
            leads=Case(When(pk=team.leader_id or 0, then=Value(1)), default=Value(0)),
        )
        .select_related("party_member")
        .order_by("-leads", "name", "id")
    )


def teams_to_join(user: Viewer) -> QuerySet[VolunteerTeam]:
    """The teams of the community of the signed-in person's volunteer record (none without one): what they may
    read and ask to join."""
    own = own_volunteer(user)
    if own is None:
        return VolunteerTeam.objects.none()
    return (
        VolunteerTeam.objects.filter(community_id=own.community_id)
        .select_related("community", "party_org", "leader")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("colour", "name")
    )


def join_requests_visible_to(user: Viewer) -> QuerySet[TeamJoinRequest]:
    """Requests to join the teams of the reader's area (staff), or of the teams they lead."""
    qs = TeamJoinRequest.objects.select_related("team__community", "team__leader", "volunteer", "decided_by")
    if is_staff_member(user):
        return _in_community(qs, user, "team__community__path")
    return qs.filter(team__in=teams_led_by(user))


def join_request_get_for(user: Viewer, pk: int) -> TeamJoinRequest:
    return get_or_404(join_requests_visible_to(user), pk=pk)


def join_requests_waiting(team: VolunteerTeam) -> QuerySet[TeamJoinRequest]:
    """A team's requests waiting for an answer, the oldest first."""
    return (
        team.join_requests.filter(state=JoinState.PENDING).select_related("volunteer").order_by("created_at")
    )


def team_candidates(user: Viewer, team: VolunteerTeam, find: str = "") -> QuerySet[Volunteer]:
    """Who may join the team: the active volunteers of its community the reader sees, not members yet; `find`
    matches a name, a skill or the end of a mobile number."""
    qs = (
        volunteers_visible_to(user)
        .filter(community_id=team.community_id, active=True)
        .exclude(teams=team)
        .order_by("name", "id")
    )
    return volunteers_found(qs, find)


def volunteers_found(qs: QuerySet[Volunteer], find: str) -> QuerySet[Volunteer]:
    """The volunteers of `qs` a staff search means: a part of the name or skills, or the mobile number's end
    (typed with spaces or dashes or not); everyone when nothing is typed."""
    find = find.strip()
    if not find:
        return qs
    digits = typed_digits(find)
    by_phone = Q(phone__endswith=digits) if len(digits) >= PHONE_END else Q(pk__in=[])
    return qs.filter(Q(name__contains=find) | Q(skills__contains=find) | by_phone)


def team_activities(team: VolunteerTeam) -> QuerySet[Activity]:
    """The team's activities with their shifts (the team was read through the reader's scope)."""
    return _with_shifts(Activity.objects.filter(team=team))


# --- activities --------------------------------------------------------------------------------------------


def _with_shifts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    roles = ShiftRole.objects.annotate(
        taken=Count("signups", filter=Q(signups__state__in=HOLDING_STATES)),
        waiting=Count("signups", filter=Q(signups__state=SignupState.WAITING)),
    ).order_by("id")
    return qs.select_related("community", "team").prefetch_related(
        Prefetch("shifts", queryset=Shift.objects.prefetch_related(Prefetch("roles", queryset=roles)))
    )


def activities_visible_to(user: Viewer) -> QuerySet[Activity]:
    """Staff: every activity of their communities. Anyone else: what `activities_open_to` offers them."""
    if is_staff_member(user):
        return _with_shifts(_in_community(Activity.objects.all(), user, "community__path"))
    return activities_open_to(user)


def activities_open_to(user: Viewer) -> QuerySet[Activity]:
    """What a person may sign up for (the volunteer pages, staff who volunteer too): the open and cancelled
    activities of their volunteer community, or of every community before they enrol."""
    if not is_signed_in(user):
        return Activity.objects.none()
    qs = Activity.objects.filter(state__in=(ActivityState.OPEN, ActivityState.CANCELLED))
    volunteer = own_volunteer(user)
    if volunteer is not None:
        qs = qs.filter(community_id=volunteer.community_id)
    return _with_shifts(qs)


def activity_get_for(user: Viewer, pk: int) -> Activity:
    return get_or_404(activities_visible_to(user), pk=pk)


def activity_open_get_for(user: Viewer, pk: int) -> Activity:
    return get_or_404(activities_open_to(user), pk=pk)


def activity_by_token(token: str) -> Activity:
    return get_or_404(_with_shifts(Activity.objects.exclude(state=ActivityState.DRAFT)), token=token)


def upcoming_activities(qs: QuerySet[Activity], *, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """Activities with a shift still to end, soonest first (`first_start` is the first shift's start)."""
    now = now or timezone.now()
    return (
        qs.annotate(first_start=Min("shifts__starts_at"), last_end=Max("shifts__ends_at"))
        .filter(last_end__gte=now)
        .order_by("first_start", "id")
    )


def past_activities(qs: QuerySet[Activity], *, now: dt.datetime | None = None) -> QuerySet[Activity]:
    now = now or timezone.now()
    return (
        qs.annotate(first_start=Min("shifts__starts_at"), last_end=Max("shifts__ends_at"))
        .filter(last_end__lt=now)
        .order_by("-last_end", "-id")
    )


def activity_roster(activity: Activity) -> QuerySet[Signup]:
    return (
        Signup.objects.filter(role__shift__activity=activity)
        .exclude(state=SignupState.CANCELLED)
        .select_related("volunteer", "role__shift")
        .order_by("role__shift__starts_at", "role_id", "state", "created_at", "id")
    )


def role_get_for(user: Viewer, pk: int) -> ShiftRole:
    """A role of an activity the person may sign up for."""
    visible = activities_open_to(user).values("pk")
    return get_or_404(
        ShiftRole.objects.select_related("shift__activity__community"), pk=pk, shift__activity__in=visible
    )


def signups_of(volunteer: Volunteer) -> QuerySet[Signup]:
    return (
        Signup.objects.filter(volunteer=volunteer)
        .exclude(state=SignupState.CANCELLED)
        .select_related("role__shift__activity__community", "role__shift__activity__team")
        .order_by("-role__shift__starts_at", "-id")
    )


def signups_visible_to(user: Viewer) -> QuerySet[Signup]:
    """Staff: sign-ups of their communities' activities; a volunteer: their own."""
    qs = Signup.objects.select_related("volunteer", "role__shift__activity__community")
    return _area_or_own(qs, user, "role__shift__activity__community__path")


def signups_to_confirm(user: Viewer) -> QuerySet[Signup]:
    """Sign-ups whose hours wait for the organiser: checked out, or still checked in to a shift that has ended
    (the volunteer forgot to check out)."""
    ended = Q(state=SignupState.CHECKED_IN, role__shift__ends_at__lt=timezone.now())
    return signups_visible_to(user).filter(Q(state=SignupState.CHECKED_OUT) | ended)


def activities_to_confirm(user: Viewer) -> list[dict[str, Any]]:
    """The activities with hours to confirm (`signups_to_confirm`), the longest waiting first: each as `activity`
    (its id), `title`, `ended` (its last shift's end) and `n` (how many volunteers wait)."""
    rows = signups_to_confirm(user).values(
        activity=F("role__shift__activity_id"), title=F("role__shift__activity__title")
    )
    waiting = rows.annotate(ended=Max("role__shift__ends_at"), n=Count("pk")).order_by("ended", "activity")
    return [dict(row) for row in waiting]


def signup_get_for(user: Viewer, pk: int) -> Signup:
    return get_or_404(signups_visible_to(user), pk=pk)


# --- points ------------------------------------------------------------------------------------------------


def points_of(volunteer: Volunteer) -> QuerySet[PointsEntry]:
    return volunteer.points.select_related("signup__role__shift__activity").order_by("-on", "-id")


def points_total(volunteer: Volunteer) -> int:
    return int(volunteer.points.aggregate(total=Sum("points"))["total"] or 0)


def hours_by_team_colour(user: Viewer, *, since: dt.date | None = None) -> dict[str, Decimal]:
    """Confirmed hours by the colour of the activity's team (a dashboard figure)."""
    qs = _in_community(
        Signup.objects.filter(state=SignupState.DONE), user, "role__shift__activity__community__path"
    )
    if since is not None:
        qs = qs.filter(confirmed_at__date__gte=since)
    rows = qs.values("role__shift__activity__team__colour").annotate(total=Sum("hours"))
    return {r["role__shift__activity__team__colour"] or "": r["total"] or Decimal(0) for r in rows}


# --- the points store and honours ------------------------------------------------------------------------


def store_items_visible_to(user: Viewer) -> QuerySet[StoreItem]:
    return scope_by_org(StoreItem.objects.select_related("community", "donor"), user, "community__path")


def store_item_get_for(user: Viewer, pk: int) -> StoreItem:
    """An item a staff member keeps, or one of the signed-in volunteer's community store."""
    if is_staff_member(user):
        return get_or_404(store_items_visible_to(user), pk=pk)
    volunteer = own_volunteer(user)
    return get_or_404(
        StoreItem.objects.filter(community_id=volunteer.community_id if volunteer else None), pk=pk
    )


def store_of(volunteer: Volunteer) -> QuerySet[StoreItem]:
    """The items of the volunteer's community store that are on offer."""
    return StoreItem.objects.filter(community_id=volunteer.community_id, active=True).select_related("donor")


def redemptions_visible_to(user: Viewer) -> QuerySet[Redemption]:
    return scope_by_org(
        Redemption.objects.select_related("item", "volunteer"), user, "item__community__path"
    ).order_by("-created_at", "-id")


def redemption_get_for(user: Viewer, pk: int) -> Redemption:
    if is_staff_member(user):
        return get_or_404(redemptions_visible_to(user), pk=pk)
    return get_or_404(
        Redemption.objects.select_related("item", "volunteer").filter(
            volunteer__account_id=getattr(user, "pk", None)
        ),
        pk=pk,
    )


def honours_visible_to(user: Viewer) -> QuerySet[Honour]:
    return scope_by_org(
        Honour.objects.select_related("volunteer", "volunteer__community"), user, "volunteer__community__path"
    )


def honour_get_for(user: Viewer, pk: int) -> Honour:
    return get_or_404(honours_visible_to(user), pk=pk)


# --- the public pages of a community ------------------------------------------------------------------------


def public_calendar(community: OrgNode, *, days: int = 60) -> list[tuple[dt.date, list[Activity]]]:
    """The open activities of a community in the coming `days`, by the day of their first shift: every one of
    them (the window bounds the list, not a count)."""
    now = timezone.now()
    qs = upcoming_activities(
        Activity.objects.filter(community=community, state=ActivityState.OPEN).select_related("team"), now=now
    ).filter(first_start__lte=now + dt.timedelta(days=days))  # type: ignore[misc]  # an annotation
    by_day: dict[dt.date, list[Activity]] = {}
    for activity in qs:
        by_day.setdefault(timezone.localdate(activity.first_start), []).append(activity)  # type: ignore[attr-defined]
    return sorted(by_day.items())


def public_past_activities(community: OrgNode) -> QuerySet[Activity]:
    """The community's past activities, latest first, with (as `public_photos`) only the photos whose people all
    agreed to their publication."""
    return past_activities(
        Activity.objects.filter(community=community, state=ActivityState.OPEN)
        .select_related("team")
        .prefetch_related(Prefetch("photos", queryset=public_photos(), to_attr="public_photos"))
    )


def served_in(activities: Iterable[Activity]) -> list[tuple[Activity, int, Decimal]]:
    """Each activity with how many volunteers served in it and their confirmed hours."""
    past = list(activities)
    served = {
        row["role__shift__activity"]: (row["n"], row["h"] or Decimal(0))
        for row in Signup.objects.filter(role__shift__activity__in=past, state=SignupState.DONE)
        .values("role__shift__activity")
        .annotate(n=Count("volunteer", distinct=True), h=Sum("hours"))
    }
    return [(a, *served.get(a.pk, (0, Decimal(0)))) for a in past]


def public_photos() -> QuerySet[ActivityPhoto]:
    """Photos anyone may see: consent marked, of an activity that was held (not a draft, not cancelled)."""
    return ActivityPhoto.objects.filter(consent=True, activity__state=ActivityState.OPEN).order_by(
        "created_at", "id"
    )


def public_photo_get(pk: int) -> ActivityPhoto:
    return get_or_404(public_photos(), pk=pk)


def activity_photos(activity: Activity) -> QuerySet[ActivityPhoto]:
    return activity.photos.select_related("consent_by").order_by("created_at", "id")


def activity_photo_get_for(user: Viewer, pk: int) -> ActivityPhoto:
    """A photo of an activity in the staff member's communities (any consent state)."""
    if not is_staff_member(user):
        return get_or_404(ActivityPhoto.objects.none(), pk=pk)
    visible = scope_by_org(Activity.objects.all(), user, "community__path").values("pk")
    return get_or_404(
        ActivityPhoto.objects.select_related("activity__community"), pk=pk, activity__in=visible
    )


def public_honours(community: OrgNode) -> QuerySet[Honour]:
    return Honour.objects.filter(volunteer__community=community, state="published").select_related(
        "volunteer"
    )


# --- the dashboard's panel -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """Volunteering in an area over a period, for the dashboard: volunteers registered and active (hours
    confirmed in the period), hours by team colour, and the branch star ratings of the latest year rated."""

    registered: int
    active: int
    hours: Decimal
    by_colour: list[tuple[str, str, str, Decimal]]  # (colour, label, hex, hours), every colour, then no team
    star_year: int | None
    stars: list[tuple[int, int]]  # (stars 5..0, branches)
    rated: int
    approved: int
    # The community whose figures these are when the area asked for lies below it (a compound, or a grid's
    # compound): volunteers are registered with a community, so a compound has no figures of its own.
    community: OrgNode | None = None


def overview(path: str, start: dt.date, end: dt.date) -> Overview:
    """What the dashboard shows of volunteering in an area (org path prefix, "" for all): six queries. Below a
    community the figures are its community's, named in `community`."""
    community = community_above(path)
    if community is not None:
        path = community.path
    registered = Volunteer.objects.filter(community__path__startswith=path, active=True).count()
    done = Signup.objects.filter(
        volunteer__community__path__startswith=path,
        state=SignupState.DONE,
        role__shift__starts_at__date__range=(start, end),
    )
    active = done.values("volunteer").distinct().count()
    hours: dict[str, Decimal] = {
        colour or "": h
        for colour, h in done.values_list("role__shift__activity__team__colour")
        .annotate(h=Sum("hours"))
        .values_list("role__shift__activity__team__colour", "h")
    }
    by_colour = [(c.value, str(c.label), c.colour, hours.get(c.value) or Decimal(0)) for c in TeamColour]
    if hours.get(""):
        by_colour.append(("", _("No team"), "#8a96a3", hours[""]))
    ratings = BranchStarRating.objects.filter(branch__org_node__path__startswith=path, year__lte=end.year)
    star_year = ratings.aggregate(y=Max("year"))["y"]
    counts: dict[tuple[int, str], int] = {}
    if star_year is not None:
        for stars, state, n in (
            ratings.filter(year=star_year).values_list("stars", "state").annotate(n=Count("id"))
        ):
            counts[(stars, state)] = counts.get((stars, state), 0) + n
    return Overview(
        registered=registered,
        active=active,
        hours=sum((h for *_rest, h in by_colour), Decimal(0)),
        by_colour=by_colour,
        star_year=star_year,
        stars=[(s, sum(n for (k, _st), n in counts.items() if k == s)) for s in range(5, -1, -1)],
        rated=sum(counts.values()),
        approved=sum(n for (_k, st), n in counts.items() if st == "approved"),
        community=community,
    )
