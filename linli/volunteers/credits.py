"""Credits from what other apps record, made by a job (never by hand): a volunteer's report that became an
appeal earns the report bonus (a delivery rider's, the hazard bonus: riders report the hazards they meet on the
road, 新就业群体积分); an appeal resolved by a party member who volunteers earns them member points for an appeal
handled; a wish a volunteer adopted and fulfilled (read through `party.wishes`, which co-building fills) earns the
wish bonus and, for a party member, member points for a wish adopted. Each credit names its appeal or wish as its
source, so running again credits nothing twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.appeals.choices import AppealKind, AppealState
from linli.appeals.models import Appeal, AppealEvent
from linli.party import services as party
from linli.party import wishes
from linli.party.choices import MemberPointsKind

from .choices import PointsKind, VolunteerKind
from .models import Volunteer
from .services.points import points_credit_bonus

# How far back the job looks each time (a credit it missed while down is made on its next run).
LOOKBACK = dt.timedelta(days=30)


def report_bonuses(*, since: dt.datetime | None = None) -> int:
    """Bonuses for reports by volunteers (their signed-in account) that were dispatched as appeals."""
    since = since or timezone.now() - LOOKBACK
    volunteers = {
        v.account_id: v
        for v in Volunteer.objects.filter(account__isnull=False, active=True).select_related("community")
    }
    done = 0
    appeals = (
        Appeal.objects.filter(dispatched_at__gte=since, resident_id__in=list(volunteers))
        .exclude(kind=AppealKind.CONSULTATION)
        .values_list("pk", "resident_id", "tracking_number", "title", "dispatched_at")
    )
    for pk, account_id, number, title, at in appeals:
        volunteer = volunteers[account_id]
        kind = PointsKind.HAZARD if volunteer.kind == VolunteerKind.RIDER else PointsKind.REPORT
        entry = points_credit_bonus(
            volunteer=volunteer,
            kind=kind,
            note=f"{number} · {title}",
            source=f"appeal:{pk}",
            on=timezone.localdate(at),
        )
        done += entry is not None
    return done


def appeals_handled(*, since: dt.datetime | None = None) -> int:
    """Member points for the party members (volunteers with an account) who resolved an appeal."""
    since = since or timezone.now() - LOOKBACK
    members = {
        v.account_id: v.party_member
        for v in Volunteer.objects.filter(account__isnull=False, party_member__isnull=False).select_related(
            "party_member"
        )
    }
    done = 0
    events = AppealEvent.objects.filter(
        to_state=AppealState.RESOLVED, at__gte=since, actor_id__in=list(members)
    ).values_list("appeal_id", "actor_id", "appeal__tracking_number", "appeal__title", "at")
    for appeal_id, actor_id, number, title, at in events:
        member = members[actor_id]
        if member is None:
            continue
        entry = party.member_points_credit(
            actor=None,
            member=member,
            kind=MemberPointsKind.APPEAL,
            units=1,
            on=timezone.localdate(at),
            reason=f"{number} · {title}",
            source=f"appeal:{appeal_id}",
        )
        done += entry is not None
    return done


def wish_credits(*, since: dt.datetime | None = None) -> int:
    """The wish bonus (and member points, for a party member) for each wish a volunteer adopted and fulfilled:
    the volunteer is the one whose signed-in account adopted it."""
    since = since or timezone.now() - LOOKBACK
    fulfilled = wishes.fulfilled_since(since)
    volunteers = {
        v.account_id: v
        for v in Volunteer.objects.filter(
            account_id__in={w.adopter_id for w in fulfilled}, active=True
        ).select_related("community", "party_member")
    }
    done = 0
    for wish in fulfilled:
        volunteer = volunteers.get(wish.adopter_id)
        if volunteer is None:
            continue
        entry = points_credit_bonus(
            volunteer=volunteer,
            kind=PointsKind.WISH,
            note=wish.title,
            source=wish.source,
            on=wish.fulfilled_on,
        )
        done += entry is not None
        if volunteer.party_member is not None:
            party.member_points_credit(
                actor=None,
                member=volunteer.party_member,
                kind=MemberPointsKind.WISH,
                units=1,
                on=wish.fulfilled_on,
                reason=wish.title,
                source=wish.source,
            )
    return done


def appeal_credits() -> int:
    return report_bonuses() + appeals_handled()
