"""Demo volunteering's time bank and points store (linli/demo/volunteers.py lives the season that earns them): hours
spent on care for an elderly parent and given to a neighbour, each on a day of the season once the hours were there,
and each community's store stocked with donated items, the volunteers with most points redeeming one."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.territory.choices import OrganisationKind
from linli.territory.models import Organisation, OrgNode
from linli.volunteers import services
from linli.volunteers.models import BankAccount, Movement, PointsEntry, Volunteer

from .clock import at, travel

# The points store: what units and shops donate, as (name, points, pieces, description).
STORE_ITEMS = [
    ("洗衣液（2 千克）", 60, 30, "社区共建单位捐赠"),
    ("理发券", 40, 50, "小区门口理发店，凭券理发一次"),
    ("米面油礼包", 200, 12, "大米 5 千克、面粉 2.5 千克、食用油 1.8 升"),
    ("抽纸（一提）", 20, 80, "社区超市捐赠"),
    ("家电清洗上门一次", 150, 8, "物业维修队上门清洗油烟机或空调"),
]


def bank_lived(rng: random.Random, community: OrgNode, people: list[Volunteer], worker: User | None) -> None:
    """Spending: some volunteers pay the bank for care of an elderly parent, two give hours to a neighbour. Each on
    a day of the season after the hours were there (the statement's balance never below nought on the way), where
    all were paid on the day the demo was built. The days come from a generator of their own: `rng` draws what it
    drew before, so the season lived stays the same."""
    days = random.Random(community.pk)
    bank = services.community_bank(community)
    rich = list(BankAccount.objects.filter(volunteer__in=people, balance__gte=2).order_by("id"))
    for account in rich[: max(1, len(rich) // 3)]:
        half = min(Decimal(6), (account.balance / 2).quantize(Decimal("0.01")))
        with travel(_a_day_after(days, _held([account], half))):
            services.hours_transfer(
                actor=None,
                legs=[(account, -half), (bank, half)],
                category="elder_care",
                note=_("Company and help at home for my elderly parent"),
            )
    if len(rich) >= 3:
        with travel(_a_day_after(days, _held(rich[-2:], Decimal(1)))):
            services.hours_transfer(
                actor=None,
                legs=[(rich[-1], Decimal(-1)), (rich[-2], Decimal(-1)), (rich[0], Decimal(2))],
                category="gift",
                note=_("Two neighbours give hours to a family in need"),
            )


def _held(accounts: list[BankAccount], hours: Decimal) -> dt.datetime:
    """When each of `accounts` had first come to hold `hours` by its movements so far (the latest of those moments;
    now for one that never did)."""
    moments = []
    for account in accounts:
        held = Decimal(0)
        movements = Movement.objects.filter(account=account).order_by("transfer__at", "id")
        for moment, amount in movements.values_list("transfer__at", "amount"):
            held += amount
            if held >= hours:
                moments.append(moment)
                break
        else:
            moments.append(timezone.now())
    return max(moments)


def _a_day_after(days: random.Random, moment: dt.datetime) -> dt.datetime:
    """A moment on a day drawn from the day after `moment` to yesterday (now, when there is none)."""
    first = timezone.localdate(moment) + dt.timedelta(days=1)
    last = timezone.localdate() - dt.timedelta(days=1)
    if first > last:
        return timezone.now()
    return at(first + dt.timedelta(days=days.randint(0, (last - first).days)), days.choice((10, 15, 19)))


def store_lived(community: OrgNode, people: list[Volunteer], worker: User | None) -> None:
    """The points store stocked a month ago with a few donated items (a partner unit of the community's the donor
    when there is one), and the volunteers with most points redeeming something: one a week ago, handed over the
    next day, one two days ago, still to collect (each once they had earned the points, by the entries' dates)."""
    donor = (
        Organisation.objects.filter(
            kind=OrganisationKind.PARTNER_UNIT, org_node__path__startswith=community.path
        )
        .order_by("id")
        .first()
    )
    today = timezone.localdate()
    with travel(at(today - dt.timedelta(days=STOCKED_DAYS_AGO), 10)):
        items = [
            services.store_item_create(
                actor=worker,
                community=community,
                name=name,
                points=points,
                quantity=pieces,
                donor=donor,
                description=description,
            )
            for name, points, pieces, description in STORE_ITEMS
        ]
    cheapest = min(items, key=lambda item: item.points)
    richest = sorted(people, key=lambda v: (-services.points_balance(v), v.pk))[:2]
    for n, volunteer in enumerate(v for v in richest if services.points_balance(v) >= cheapest.points):
        day = max(today - dt.timedelta(days=REDEEMED_DAYS_AGO[n]), _earned_by(volunteer, cheapest.points))
        with travel(at(day, 16)):
            redemption = services.redemption_create(
                actor=volunteer.account, volunteer=volunteer, item=cheapest
            )
        if n == 0:
            with travel(at(day + dt.timedelta(days=1), 10)):
                services.redemption_hand_over(actor=worker, redemption=redemption)


STOCKED_DAYS_AGO = 30
REDEEMED_DAYS_AGO = (7, 2)  # the first redemption, handed over the next day; the second, still to collect


def _earned_by(volunteer: Volunteer, points: int) -> dt.date:
    """The first day on which the volunteer's points, by their entries' dates, came to `points` (today if never)."""
    held = 0
    for on, earned in (
        PointsEntry.objects.filter(volunteer=volunteer).order_by("on", "id").values_list("on", "points")
    ):
        held += earned
        if held >= points:
            return on
    return timezone.localdate()
