"""Credits from what other apps record, made by a job (never by hand): a volunteer's report that became an
appeal earns the report bonus (a delivery rider's, the hazard bonus: riders report the hazards they meet on the
road, 新就业群体积分); an appeal resolved by a party member who volunteers earns them member points for an appeal
handled; a wish a volunteer adopted and fulfilled (read through `party.wishes`, which co-building fills) earns the
wish bonus and, for a party member, member points for a wish adopted. A party member is found for an account
through the volunteer record that names them or, without one, by the account's mobile number among the active
members' (unique there): a member who handles appeals as staff, or adopts a wish without volunteering, is credited
too. Each credit names its appeal or wish as its source, so running again credits nothing twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.accounts.models import User
from linli.appeals.choices import AppealKind, AppealState
from linli.appeals.models import Appeal, AppealEvent
from linli.party import services as party
from linli.party import wishes
from linli.party.choices import MemberPointsKind, MemberStatus
from linli.party.models import PartyMember

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


def members_for_accounts(account_ids: set[int]) -> dict[int, PartyMember]:
    """The party member behind each account that has one: named by the account's volunteer record, or else the
    one active member whose mobile number is the account's."""
    found: dict[int, PartyMember] = {
        v.account_id: v.party_member
        for v in Volunteer.objects.filter(
            account_id__in=account_ids, party_member__isnull=False
        ).select_related("party_member")
        if v.account_id is not None and v.party_member is not None
    }
    phones = dict(
        User.objects.filter(pk__in=account_ids - set(found)).exclude(phone="").values_list("phone", "pk")
    )
    by_phone: dict[str, list[PartyMember]] = {}
    for member in PartyMember.objects.filter(phone__in=list(phones), status=MemberStatus.ACTIVE):
        by_phone.setdefault(member.phone, []).append(member)
    for phone, members in by_phone.items():
        if len(members) == 1:  # two members with one number: nobody is guessed
            found[phones[phone]] = members[0]
    return found


def appeals_handled(*, since: dt.datetime | None = None) -> int:
    """Member points for the party members (by their account, see `members_for_accounts`) who resolved an
    appeal."""
    since = since or timezone.now() - LOOKBACK
    events = list(
        AppealEvent.objects.filter(
            to_state=AppealState.RESOLVED, at__gte=since, actor_id__isnull=False
        ).values_list("appeal_id", "actor_id", "appeal__tracking_number", "appeal__title", "at")
    )
    members = members_for_accounts({actor_id for _a, actor_id, *_rest in events})
    done = 0
    for appeal_id, actor_id, number, title, at in events:
        member = members.get(actor_id)
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
    """The wish bonus for each wish a volunteer adopted and fulfilled (the volunteer is the one whose signed-in
    account adopted it), and member points for a wish adopted when the adopter is a party member (a volunteer
    or not): how many bonuses or member points were credited."""
    since = since or timezone.now() - LOOKBACK
    fulfilled = wishes.fulfilled_since(since)
    adopters = {w.adopter_id for w in fulfilled}
    volunteers = {
        v.account_id: v
        for v in Volunteer.objects.filter(account_id__in=adopters, active=True).select_related(
            "community", "party_member"
        )
    }
    members = members_for_accounts(adopters)
    done = 0
    for wish in fulfilled:
        volunteer = volunteers.get(wish.adopter_id)
        credited = False
        if volunteer is not None:
            credited = (
                points_credit_bonus(
                    volunteer=volunteer,
                    kind=PointsKind.WISH,
                    note=wish.title,
                    source=wish.source,
                    on=wish.fulfilled_on,
                )
                is not None
            )
        member = members.get(wish.adopter_id)
        if member is not None:
            entry = party.member_points_credit(
                actor=None,
                member=member,
                kind=MemberPointsKind.WISH,
                units=1,
                on=wish.fulfilled_on,
                reason=wish.title,
                source=wish.source,
            )
            credited = credited or entry is not None
        done += credited
    return done


def appeal_credits() -> int:
    return report_bonuses() + appeals_handled()
