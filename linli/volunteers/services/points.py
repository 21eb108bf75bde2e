"""Volunteer points: earned per confirmed hour by the community's rules, with multipliers (night, a day off,
bad weather) and daily and monthly caps; bonuses for an adopted wish, a report that became an appeal, a rider's
hazard report (新就业群体积分)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.scoping import person
from linli.core.workdays import is_workday
from linli.territory.models import OrgNode

from .. import permissions
from ..choices import PointsKind
from ..models import PointsEntry, PointsRules, Signup, Volunteer
from ._common import Actor, invalid

# The rules of a community that has not set its own.
DEFAULT_RULES = PointsRules()

# Night: from 22:00 to 06:00 local time.
NIGHT_START = dt.time(22)
NIGHT_END = dt.time(6)


def rules_for(community_id: int) -> PointsRules:
    return PointsRules.objects.filter(community_id=community_id).first() or DEFAULT_RULES


def night_hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Hours between `start` and `end` (aware) that fall between 22:00 and 06:00 local time."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = dt.timedelta()
    day = start.date() - dt.timedelta(days=1)
    while day <= end.date():
        night_from = dt.datetime.combine(day, NIGHT_START, tzinfo=start.tzinfo)
        night_to = dt.datetime.combine(day + dt.timedelta(days=1), NIGHT_END, tzinfo=start.tzinfo)
        overlap = min(end, night_to) - max(start, night_from)
        if overlap > dt.timedelta():
            total += overlap
        day += dt.timedelta(days=1)
    return Decimal(total.total_seconds() / 3600).quantize(Decimal("0.01"))


def points_for_hours(
    rules: PointsRules, *, starts_at: dt.datetime, hours: Decimal, bad_weather: bool
) -> tuple[int, list[str]]:
    """Points before the caps for `hours` served from `starts_at`, and the multipliers that applied."""
    end = starts_at + dt.timedelta(hours=float(hours))
    night = min(night_hours(starts_at, end), hours)
    factor = Decimal(1)
    applied: list[str] = []
    if not is_workday(timezone.localdate(starts_at)):
        factor *= rules.holiday_multiplier
        applied.append(_("day off ×%(m)s") % {"m": rules.holiday_multiplier.normalize()})
    if bad_weather:
        factor *= rules.weather_multiplier
        applied.append(_("bad weather ×%(m)s") % {"m": rules.weather_multiplier.normalize()})
    if night > 0:
        applied.append(_("night ×%(m)s") % {"m": rules.night_multiplier.normalize()})
    raw = rules.per_hour * factor * ((hours - night) + night * rules.night_multiplier)
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)), applied


def _earned(volunteer: Volunteer, since: dt.date, until: dt.date) -> int:
    total = PointsEntry.objects.filter(
        volunteer=volunteer, kind=PointsKind.HOURS, on__range=(since, until)
    ).aggregate(total=Sum("points"))["total"]
    return int(total or 0)


def points_award_for_hours(*, signup: Signup, hours: Decimal) -> PointsEntry | None:
    """Points for confirmed hours, under the daily and monthly caps (called by `signup_confirm_hours`)."""
    shift = signup.role.shift
    activity = shift.activity
    rules = rules_for(activity.community_id)
    points, applied = points_for_hours(
        rules, starts_at=shift.starts_at, hours=hours, bad_weather=activity.bad_weather
    )
    day = timezone.localdate(shift.starts_at)
    # Lock the volunteer so two confirmations at once cannot both pass a cap.
    volunteer = Volunteer.objects.select_for_update().get(pk=signup.volunteer_id)
    room_day = rules.daily_cap - _earned(volunteer, day, day)
    room_month = rules.monthly_cap - _earned(volunteer, day.replace(day=1), _month_end(day))
    capped = max(0, min(points, room_day, room_month))
    if capped < points:
        applied.append(_("capped at %(n)d") % {"n": capped})
    if capped == 0:
        return None
    note = _("%(title)s · %(h)s hours") % {"title": activity.title, "h": hours}
    if applied:
        note += f"（{'，'.join(applied)}）"
    return PointsEntry.objects.create(
        volunteer=volunteer, kind=PointsKind.HOURS, points=capped, on=day, note=note[:200], signup=signup
    )


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


BONUS_FIELDS = {
    PointsKind.WISH: "wish_bonus",
    PointsKind.REPORT: "report_bonus",
    PointsKind.HAZARD: "hazard_bonus",
}


@transaction.atomic
def points_award_bonus(*, actor: Actor, volunteer: Volunteer, kind: str, note: str) -> PointsEntry:
    """A bonus by the community's rules: an adopted wish, a report that became an appeal, a rider's hazard."""
    permissions.require(actor, "hours_confirm", volunteer.community.path)
    if kind not in BONUS_FIELDS:
        raise invalid("kind", _("Choose what the bonus is for."))
    note = (note or "").strip()
    if not note or len(note) > 200:
        raise invalid("note", _("Say what it was for (at most 200 characters)."))
    points = getattr(rules_for(volunteer.community_id), BONUS_FIELDS[PointsKind(kind)])
    entry = PointsEntry.objects.create(
        volunteer=volunteer, kind=kind, points=points, on=timezone.localdate(), note=note, actor=person(actor)
    )
    audit(actor, "volunteers.points_award_bonus", volunteer, kind=kind, points=points)
    return entry


def points_credit_bonus(
    *, volunteer: Volunteer, kind: str, note: str, source: str, on: dt.date
) -> PointsEntry | None:
    """A bonus the system credits from what another app recorded (a report that became an appeal, a rider's
    hazard report), at the community's rule; once per source — None when it was credited before."""
    points = getattr(rules_for(volunteer.community_id), BONUS_FIELDS[PointsKind(kind)])
    if not points:
        return None
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                volunteer=volunteer, kind=kind, points=points, on=on, note=note[:200], source=source[:60]
            )
    except IntegrityError:
        return None  # credited already


# The fields of a community's rules a worker sets, with their bounds (multipliers as decimals).
RULE_BOUNDS: dict[str, tuple[Decimal, Decimal]] = {
    "per_hour": (Decimal(1), Decimal(100)),
    "night_multiplier": (Decimal(1), Decimal(5)),
    "holiday_multiplier": (Decimal(1), Decimal(5)),
    "weather_multiplier": (Decimal(1), Decimal(5)),
    "daily_cap": (Decimal(1), Decimal(10000)),
    "monthly_cap": (Decimal(1), Decimal(100000)),
    "wish_bonus": (Decimal(0), Decimal(1000)),
    "report_bonus": (Decimal(0), Decimal(1000)),
    "hazard_bonus": (Decimal(0), Decimal(1000)),
}


@transaction.atomic
def points_rules_set(*, actor: Actor, community: OrgNode, values: dict[str, Decimal | int]) -> PointsRules:
    """Set a community's points rules (points per hour, the multipliers, the caps, the bonuses); from then on
    they apply to what is credited (nothing credited before changes)."""
    if community.kind != "community":
        raise invalid("community", _("Points rules belong to a community."))
    permissions.require(actor, "rules_set", community.path)
    clean: dict[str, Decimal | int] = {}
    for field, (low, high) in RULE_BOUNDS.items():
        if field not in values:
            continue
        try:
            value = Decimal(str(values[field]))
        except (ArithmeticError, ValueError):
            raise invalid(field, _("Enter a number.")) from None
        if not value.is_finite() or not low <= value <= high:
            raise invalid(
                field,
                _("Enter a number from %(low)s to %(high)s.")
                % {"low": low.normalize(), "high": high.normalize()},
            )
        if field.endswith("multiplier"):
            if value != value.quantize(Decimal("0.01")):
                raise invalid(field, _("A multiplier has at most two decimals."))
            clean[field] = value
        else:
            if value != value.to_integral_value():
                raise invalid(field, _("Enter a whole number."))
            clean[field] = int(value)
    daily = clean.get("daily_cap", rules_for(community.pk).daily_cap)
    monthly = clean.get("monthly_cap", rules_for(community.pk).monthly_cap)
    if monthly < daily:
        raise invalid("monthly_cap", _("The monthly cap is at least the daily cap."))
    rules, _created = PointsRules.objects.select_for_update().get_or_create(community=community)
    for name, new in clean.items():
        setattr(rules, name, new)
    rules.save(update_fields=[*clean, "updated_at"])
    audit(actor, "volunteers.points_rules_set", rules, **{k: str(v) for k, v in clean.items()})
    return rules
