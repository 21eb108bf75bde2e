"""Activities, shifts and roles, and the sign-up's whole life: sign up (or be told why not), the waiting list,
cancel, check in and out by the activity's QR code within a set distance of the place, the organiser confirming
the hours (which earns time bank hours and points), no-shows.

A sign-up's state changes only through `_move`: compare-and-swap from the state it was read in, checked against
`SIGNUP_TRANSITIONS`, with an event row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict, InvalidTransition, PermissionDenied
from linli.core.outbox import sms_enqueue
from linli.core.scoping import person
from linli.core.validators import clean_text
from linli.party.choices import MemberStatus
from linli.party.models import PartyMember, PartyOrg
from linli.party.services import member_points_credit
from linli.territory.geometry import distance_m
from linli.territory.models import OrgNode
from linli.territory.selectors import org_nodes_visible_to

from .. import permissions
from ..choices import HOLDING_STATES, ActivityState, Certificate, Refusal, SignupState, TransferCategory
from ..models import Activity, Shift, ShiftRole, Signup, SignupEvent, Volunteer, VolunteerTeam
from ._common import Actor, invalid, notify, own_or_managed, within_reach
from .bank import hours, hours_transfer
from .people import community_bank
from .points import points_award_for_hours

SIGNUP_TRANSITIONS: dict[str, frozenset[str]] = {
    SignupState.WAITING: frozenset({SignupState.CONFIRMED, SignupState.CANCELLED}),
    SignupState.CONFIRMED: frozenset({SignupState.CANCELLED, SignupState.CHECKED_IN, SignupState.NO_SHOW}),
    SignupState.CHECKED_IN: frozenset({SignupState.CHECKED_OUT, SignupState.DONE}),
    SignupState.CHECKED_OUT: frozenset({SignupState.DONE}),
}

# A volunteer may check in this long before the shift starts.
CHECK_IN_EARLY = dt.timedelta(minutes=30)


class SignupRefused(Conflict):
    """A sign-up refused for a stated reason: `extra.reason` is a `Refusal` code."""

    code = "signup_refused"

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.label, extra={"reason": reason.value})
        self.reason = reason


@dataclass(frozen=True)
class ShiftIn:
    starts_at: dt.datetime
    ends_at: dt.datetime
    roles: Sequence[tuple[str, int, str]]  # (name, capacity, certificate or "")


# --- activities --------------------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    community: OrgNode,
    title: str,
    place: str,
    lng: float,
    lat: float,
    signup_opens_at: dt.datetime,
    shifts: Sequence[ShiftIn],
    description: str = "",
    team: VolunteerTeam | None = None,
    check_in_radius: int = 200,
    bad_weather: bool = False,
) -> Activity:
    """A new activity (a draft until opened), with its shifts and their roles."""
    if community.kind != "community":
        raise invalid("community", _("Activities belong to a community."))
    permissions.require(actor, "activity_manage", community.path)
    within_reach(actor, "community", community, org_nodes_visible_to)
    title = (title or "").strip()
    place = (place or "").strip()
    if not title or len(title) > 100:
        raise invalid("title", _("Give a title (at most 100 characters)."))
    if not place or len(place) > 120:
        raise invalid("place", _("Say where it takes place (at most 120 characters)."))
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise invalid("lng", _("Choose the place on the map."))
    if not 20 <= check_in_radius <= 5000:
        raise invalid("check_in_radius", _("The check-in distance is between 20 and 5000 metres."))
    if team is not None and team.community_id != community.pk:
        raise invalid("team", _("Choose a team of this community."))
    if not shifts:
        raise invalid("shifts", _("An activity has at least one shift."))
    for s in shifts:
        if s.ends_at <= s.starts_at or s.ends_at - s.starts_at > dt.timedelta(hours=24):
            raise invalid("shifts", _("A shift ends after it starts, within 24 hours."))
        if not s.roles:
            raise invalid("shifts", _("Each shift has at least one role."))
        for name, capacity, certificate in s.roles:
            if not name.strip() or len(name) > 60 or not 1 <= capacity <= 500:
                raise invalid("roles", _("Each role has a name and room for 1 to 500 people."))
            if certificate and certificate not in Certificate.values:
                raise invalid("roles", _("Unknown certificate: %(c)s") % {"c": certificate})
    if signup_opens_at > min(s.starts_at for s in shifts):
        raise invalid("signup_opens_at", _("Sign-up opens before the first shift starts."))
    activity = Activity.objects.create(
        title=title,
        description=(description or "").strip(),
        community=community,
        team=team,
        place=place,
        lng=lng,
        lat=lat,
        check_in_radius=check_in_radius,
        signup_opens_at=signup_opens_at,
        bad_weather=bad_weather,
        created_by=person(actor),
    )
    for s in shifts:
        shift = Shift.objects.create(activity=activity, starts_at=s.starts_at, ends_at=s.ends_at)
        ShiftRole.objects.bulk_create(
            ShiftRole(shift=shift, name=name.strip(), capacity=capacity, certificate=certificate)
            for name, capacity, certificate in s.roles
        )
    audit(actor, "volunteers.activity_create", activity, shifts=len(shifts))
    return activity


def _activity_move(actor: Actor, activity: Activity, old: str, new: str) -> Activity:
    permissions.require(actor, "activity_manage", activity.community.path)
    if Activity.objects.filter(pk=activity.pk, state=old).update(state=new, updated_at=timezone.now()) != 1:
        raise InvalidTransition()
    activity.state = new
    audit(actor, f"volunteers.activity_{new}", activity)
    return activity


@transaction.atomic
def activity_open(*, actor: Actor, activity: Activity) -> Activity:
    return _activity_move(actor, activity, ActivityState.DRAFT, ActivityState.OPEN)


@transaction.atomic
def activity_cancel(*, actor: Actor, activity: Activity, reason: str) -> Activity:
    """Cancel an open activity that is not over: every sign-up still to come is cancelled and its volunteer told
    why."""
    reason = clean_text("reason", reason, most=200)
    if not reason:
        raise invalid("reason", _("Give the reason (at most 200 characters)."))
    permissions.require(actor, "activity_manage", activity.community.path)
    if not activity.shifts.filter(ends_at__gt=timezone.now()).exists():
        raise InvalidTransition(_("The activity is over; it can no longer be cancelled."))
    _activity_move(actor, activity, ActivityState.OPEN, ActivityState.CANCELLED)
    for signup in Signup.objects.filter(
        role__shift__activity=activity, state__in=(SignupState.CONFIRMED, SignupState.WAITING)
    ).select_related("volunteer"):
        _move(actor, signup, SignupState.CANCELLED, note=reason)
        notify(signup.volunteer, _("Cancelled: %(title)s") % {"title": activity.title}, reason, sms=True)
    return activity


# --- sign-up -----------------------------------------------------------------------------------------------


def _locked_role(pk: int) -> ShiftRole:
    """The role locked (its places are counted under this lock), with its shift, activity and community."""
    return (
        ShiftRole.objects.select_for_update(of=("self",))
        .select_related("shift__activity__community")
        .get(pk=pk)
    )


def _organisers_signup(actor: Actor, signup: Signup, *related: str) -> Signup:
    """The sign-up locked, with its shift, activity and community (and what else `related` names), once the actor
    is found to be one who confirms the activity's hours."""
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("role__shift__activity__community", *related)
        .get(pk=signup.pk)
    )
    permissions.require(actor, "hours_confirm", signup.role.shift.activity.community.path)
    return signup


def _move(actor: Actor, signup: Signup, new: str, *, note: str = "", **fields: Any) -> Signup:
    old = signup.state
    if new not in SIGNUP_TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A sign-up that is “%(old)s” cannot become “%(new)s”.")
            % {"old": SignupState(old).label, "new": SignupState(new).label}
        )
    now = timezone.now()
    if Signup.objects.filter(pk=signup.pk, state=old).update(state=new, updated_at=now, **fields) != 1:
        raise Conflict()
    signup.state = new
    for name, value in fields.items():
        setattr(signup, name, value)
    SignupEvent.objects.create(
        signup=signup, from_state=old, to_state=new, note=note[:200], actor=person(actor)
    )
    return signup


def signup_refusal(
    volunteer: Volunteer, role: ShiftRole, *, now: dt.datetime | None = None
) -> Refusal | None:
    """Why `volunteer` may not sign up for `role` now (None when they may). The pages show it before asking,
    and `signup_create` checks it again under the role's lock. FULL is the one a volunteer may wait out."""
    now = now or timezone.now()
    shift = role.shift
    activity = shift.activity
    if not volunteer.active:
        return Refusal.INACTIVE
    if activity.state == ActivityState.CANCELLED:
        return Refusal.CANCELLED
    if activity.state != ActivityState.OPEN or now < activity.signup_opens_at:
        return Refusal.NOT_OPEN
    if now >= shift.ends_at:
        return Refusal.ENDED
    if Signup.objects.filter(
        role=role, volunteer=volunteer, state__in=(*HOLDING_STATES, SignupState.WAITING)
    ).exists():
        return Refusal.ALREADY
    if role.certificate and role.certificate not in volunteer.certificates:
        return Refusal.LACKS_CERTIFICATE
    if (
        Signup.objects.filter(volunteer=volunteer, state__in=HOLDING_STATES)
        .filter(role__shift__starts_at__lt=shift.ends_at, role__shift__ends_at__gt=shift.starts_at)
        .exists()
    ):
        return Refusal.OVERLAP
    if role.signups.filter(state__in=HOLDING_STATES).count() >= role.capacity:
        return Refusal.FULL
    return None


@transaction.atomic
def signup_create(*, actor: Actor, volunteer: Volunteer, role: ShiftRole, wait: bool = False) -> Signup:
    """Sign `volunteer` up for `role` (themselves, or a worker of the community for them). Refused with the
    reason; when the role is full and `wait` is asked, the volunteer joins its waiting list instead."""
    role = _locked_role(role.pk)
    activity = role.shift.activity
    if not own_or_managed(actor, volunteer):
        permissions.require(actor, "hours_confirm", activity.community.path)
    if volunteer.community_id != activity.community_id:
        raise PermissionDenied(
            _("This activity is for the volunteers of %(c)s.") % {"c": activity.community.name}
        )
    refusal = signup_refusal(volunteer, role)
    state = SignupState.CONFIRMED
    if refusal == Refusal.FULL and wait:
        state = SignupState.WAITING
    elif refusal is not None:
        raise SignupRefused(refusal)
    now = timezone.now()
    signup = Signup.objects.create(
        role=role,
        volunteer=volunteer,
        state=state,
        waiting_since=now if state == SignupState.WAITING else None,
    )
    SignupEvent.objects.create(signup=signup, to_state=state, actor=person(actor))
    audit(actor, "volunteers.signup_create", signup, state=state)
    return signup


def _promote_waiting(actor: Actor, role: ShiftRole) -> Signup | None:
    """Give a freed place to the first on the waiting list who may still take it."""
    if timezone.now() >= role.shift.starts_at:
        return None
    for waiting in (
        role.signups.filter(state=SignupState.WAITING)
        .select_related("volunteer")
        .order_by("waiting_since", "id")
    ):
        # Every refusal but FULL (and ALREADY, which is the waiting sign-up itself) still applies.
        others = Signup.objects.filter(volunteer=waiting.volunteer, state__in=HOLDING_STATES).filter(
            role__shift__starts_at__lt=role.shift.ends_at, role__shift__ends_at__gt=role.shift.starts_at
        )
        if others.exists() or not waiting.volunteer.active:
            continue
        _move(actor, waiting, SignupState.CONFIRMED, note=_("A place became free."))
        activity = role.shift.activity
        notify(
            waiting.volunteer,
            _("You have a place: %(title)s") % {"title": activity.title},
            f"{role.name} · {timezone.localtime(role.shift.starts_at):%m-%d %H:%M}",
            reverse("volunteers:my_activities"),
            sms=True,
        )
        return waiting
    return None


@transaction.atomic
def signup_cancel(*, actor: Actor, signup: Signup) -> Signup:
    """The volunteer (or a worker) cancels a sign-up before the shift starts; the first waiting takes the place."""
    role = _locked_role(signup.role_id)
    signup = Signup.objects.select_related("volunteer").get(pk=signup.pk)
    if not own_or_managed(actor, signup.volunteer):
        permissions.require(actor, "hours_confirm", role.shift.activity.community.path)
    if signup.state == SignupState.CANCELLED:
        return signup  # a second tap, or the page reloaded: cancelled already, said so, not the state machine's words
    if signup.state == SignupState.CONFIRMED and timezone.now() >= role.shift.starts_at:
        raise InvalidTransition(_("The shift has started; it can no longer be cancelled."))
    held = signup.state == SignupState.CONFIRMED
    _move(actor, signup, SignupState.CANCELLED)
    if held:
        _promote_waiting(actor, role)
    audit(actor, "volunteers.signup_cancel", signup)
    return signup


def check_in_opens_at(shift: Shift) -> dt.datetime:
    """When a volunteer of the shift may check in (half an hour before it starts; until it ends)."""
    return shift.starts_at - CHECK_IN_EARLY


def _own_signup_now(
    volunteer: Volunteer, activity: Activity, states: Sequence[str], now: dt.datetime
) -> Signup:
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("role__shift")
        .filter(
            volunteer=volunteer,
            role__shift__activity=activity,
            state__in=states,
            role__shift__starts_at__lte=now + CHECK_IN_EARLY,
        )
        .filter(Q(role__shift__ends_at__gte=now) | Q(state=SignupState.CHECKED_IN))
        .order_by("role__shift__starts_at")
        .first()
    )
    if signup is None:
        raise invalid("activity", _("You have no shift of this activity to check in or out of now."))
    return signup


def _near(activity: Activity, lng: float | None, lat: float | None) -> int:
    if lng is None or lat is None:
        raise invalid("location", _("Allow the page to read your location to check in."))
    metres = distance_m(lng, lat, activity.lng, activity.lat)
    if metres > activity.check_in_radius:
        raise invalid(
            "location",
            _("You are %(m)d metres from %(place)s; check in within %(r)d metres.")
            % {"m": round(metres), "place": activity.place, "r": activity.check_in_radius},
        )
    return round(metres)


def _scan(
    actor: Actor, volunteer: Volunteer, activity: Activity, lng: float | None, lat: float | None, *, out: bool
) -> Signup:
    """A scan of the activity's code at the place: the volunteer's current shift moves from signed up to checked
    in, or from checked in to checked out, with the time and the distance from the place."""
    if not own_or_managed(actor, volunteer):
        raise PermissionDenied(_("Each volunteer checks in with their own phone."))
    now = timezone.now()
    old, new, stamp = (
        (SignupState.CHECKED_IN, SignupState.CHECKED_OUT, "checked_out_at")
        if out
        else (SignupState.CONFIRMED, SignupState.CHECKED_IN, "checked_in_at")
    )
    signup = _own_signup_now(volunteer, activity, (old,), now)
    metres = _near(activity, lng, lat)
    return _move(actor, signup, new, note=f"{metres} m", **{stamp: now})


@transaction.atomic
def signup_check_in(
    *, actor: Actor, volunteer: Volunteer, activity: Activity, lng: float | None, lat: float | None
) -> Signup:
    return _scan(actor, volunteer, activity, lng, lat, out=False)


@transaction.atomic
def signup_check_out(
    *, actor: Actor, volunteer: Volunteer, activity: Activity, lng: float | None, lat: float | None
) -> Signup:
    return _scan(actor, volunteer, activity, lng, lat, out=True)


def hours_worked(signup: Signup) -> Decimal:
    """What the scans say (check-in to check-out, within the shift), to the nearest quarter hour: the organiser's
    default."""
    shift = signup.role.shift
    start = max(signup.checked_in_at or shift.starts_at, shift.starts_at)
    end = min(signup.checked_out_at or shift.ends_at, shift.ends_at)
    quarters = max(0, int((end - start).total_seconds() / 900 + 0.5))
    return Decimal(quarters) / 4


@transaction.atomic
def signup_confirm_hours(*, actor: Actor, signup: Signup, amount: object | None = None) -> Signup:
    """The organiser confirms the hours of a volunteer who came: the community's bank pays them into the
    volunteer's account, points are awarded by the community's rules, and a party member earns member points."""
    signup = _organisers_signup(actor, signup, "volunteer__party_member")
    activity = signup.role.shift.activity
    if signup.state not in (SignupState.CHECKED_IN, SignupState.CHECKED_OUT):
        raise InvalidTransition(_("Hours are confirmed for a volunteer who checked in."))
    shift = signup.role.shift
    value = hours_worked(signup) if amount in (None, "") else hours(amount)
    if value <= 0:
        raise invalid("hours", _("Enter the hours this volunteer served."))
    if value > shift.hours:
        raise invalid(
            "hours", _("At most %(h)s hours: the length of the shift.") % {"h": shift.hours.normalize()}
        )
    now = timezone.now()
    _move(actor, signup, SignupState.DONE, hours=value, confirmed_by=person(actor), confirmed_at=now)
    volunteer = signup.volunteer
    account = volunteer.bank_account
    hours_transfer(
        actor=None,  # the bank issues earned hours; the organiser's right was checked above
        legs=[(community_bank(activity.community), -value), (account, value)],
        category=TransferCategory.ACTIVITY,
        note=f"{activity.title} · {signup.role.name}",
        signup=signup,
    )
    points_award_for_hours(signup=signup, hours=value)
    if volunteer.party_member is not None:
        member_points_credit(
            actor=actor,
            member=volunteer.party_member,
            kind="service_hours",
            units=value,
            on=timezone.localdate(shift.starts_at),
            reason=activity.title,
            source=f"volunteers.signup:{signup.pk}",
        )
    notify(
        volunteer,
        _("%(h)s hours confirmed: %(title)s") % {"h": value, "title": activity.title},
        url=reverse("volunteers:my_ledger"),
    )
    audit(actor, "volunteers.signup_confirm_hours", signup, hours=str(value))
    return signup


@transaction.atomic
def signup_mark_no_show(*, actor: Actor, signup: Signup) -> Signup:
    signup = _organisers_signup(actor, signup)
    if timezone.now() < signup.role.shift.starts_at:
        raise InvalidTransition(_("A volunteer is marked absent once the shift has started."))
    _move(actor, signup, SignupState.NO_SHOW)
    audit(actor, "volunteers.signup_mark_no_show", signup)
    return signup


# --- call to action (集结号) --------------------------------------------------------------------------------


@transaction.atomic
def call_to_action_issue(
    *,
    actor: Actor,
    community: OrgNode,
    title: str,
    place: str,
    lng: float,
    lat: float,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    needed: int,
    skills: str = "",
    certificate: str = "",
    team: VolunteerTeam | None = None,
    branch: PartyOrg | None = None,
) -> Activity:
    """A branch or community calls members and volunteers for an urgent task: an activity open at once with one
    role for `needed` people, sent (inbox and SMS) to every active volunteer of the community who may answer
    (holding the certificate, when one is needed). Answering is signing up; who came is checked in and credited
    like any activity. When a party branch of the area sounds it (`branch`), the call names it and also reaches
    the branch's members who are not yet volunteers of the community, by SMS with the link: they register on
    their phone and answer."""
    if branch is not None and not (
        branch.org_node.path.startswith(community.path) or community.path.startswith(branch.org_node.path)
    ):
        raise invalid("branch", _("The calling party organisation must belong to this community's area."))
    if starts_at < timezone.now() - dt.timedelta(hours=1):
        raise invalid("starts_at", _("A call to action is for now or later."))
    skills = (skills or "").strip()
    if len(skills) > 200:
        raise invalid("skills", _("The skills needed have at most 200 characters."))
    activity = activity_create(
        actor=actor,
        community=community,
        title=title,
        description=skills,
        place=place,
        lng=lng,
        lat=lat,
        signup_opens_at=min(timezone.now(), starts_at),
        team=team,
        shifts=[ShiftIn(starts_at, ends_at, [(_("Answering the call"), needed, certificate)])],
    )
    Activity.objects.filter(pk=activity.pk).update(is_call=True, state=ActivityState.OPEN, called_by=branch)
    activity.is_call, activity.state, activity.called_by = True, ActivityState.OPEN, branch
    called = Volunteer.objects.filter(community=community, active=True)
    if certificate:
        called = called.filter(certificates__icontains=f'"{certificate}"')
    when = timezone.localtime(starts_at)
    url = reverse("volunteers:activity", args=[activity.pk])
    sent = 0
    title = _("Call to action: %(title)s") % {"title": activity.title}
    if branch is not None:
        title = f"{branch.name} · {title}"
    body = f"{when:%m-%d %H:%M} · {activity.place}" + (f" · {skills}" if skills else "")
    for volunteer in called:
        notify(volunteer, title, body, url, sms=True)
        sent += 1
    if branch is not None:
        # Members of the calling branch who are not volunteers here yet: an SMS with the link to answer.
        link = reverse("volunteers:activity", args=[activity.pk])
        phones = set(
            PartyMember.objects.filter(party_org=branch, status=MemberStatus.ACTIVE)
            .exclude(phone="")
            .exclude(volunteer__community=community)
            .values_list("phone", flat=True)
        )
        for phone in sorted(phones):
            transaction.on_commit(
                lambda phone=phone: sms_enqueue(phone=phone, text=f"{title} {body} {link}")  # type: ignore[misc]
            )
        sent += len(phones)
    audit(
        actor,
        "volunteers.call_to_action_issue",
        activity,
        needed=needed,
        sent=sent,
        branch=getattr(branch, "pk", None),
    )
    return activity
