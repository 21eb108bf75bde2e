"""A community with a team, two volunteers (the resident persona's account is one) and an open activity."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.party import services as party
from linli.party.models import PartyOrg
from linli.territory.models import Organisation
from linli.testing import Cast
from linli.volunteers import services
from linli.volunteers.models import Activity, ShiftRole, StoreItem, Volunteer, VolunteerTeam
from linli.volunteers.services import store

# The place of the activity: inside the cast's grid.
LNG, LAT = 116.402, 39.902


@dataclass
class World:
    cast: Cast
    me: Volunteer
    other: Volunteer
    team: VolunteerTeam
    activity: Activity
    steward: ShiftRole  # no certificate, two places
    medic: ShiftRole  # needs first aid, one place


def at(days: float, hour: int = 9) -> dt.datetime:
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + dt.timedelta(days=days)


def make_activity(
    cast: Cast, *, title: str = "社区环境整治", starts: dt.datetime, hours: int = 2, roles=None
):  # type: ignore[no-untyped-def]
    activity = services.activity_create(
        actor=cast.community_worker,
        community=cast.community,
        title=title,
        place="阳光小区中心广场",
        lng=LNG,
        lat=LAT,
        signup_opens_at=timezone.now() - dt.timedelta(hours=1),
        shifts=[
            services.ShiftIn(
                starts,
                starts + dt.timedelta(hours=hours),
                roles or [("引导员", 2, ""), ("急救员", 1, "first_aid")],
            )
        ],
    )
    return services.activity_open(actor=cast.community_worker, activity=activity)


def resident_volunteer(cast: Cast, *, actor: User | None = None, **details: Any) -> Volunteer:
    """The resident persona enrolled as a volunteer of the cast's community (张三), linked to their account and
    their record of the register, so they sign in to their own volunteering pages."""
    return services.volunteer_enrol(
        actor=actor,
        community=cast.community,
        name="张三",
        account_id=cast.resident.pk,
        resident=cast.resident_record,
        **details,
    )


def made_inactive(world: World) -> None:
    """A worker makes the resident volunteer (张三) inactive, their other details left empty."""
    services.volunteer_update(
        actor=world.cast.community_worker,
        volunteer=world.me,
        skills="",
        certificates=[],
        availability="",
        active=False,
    )
    world.me.refresh_from_db()


def stocked(world: World, points: int = 30, quantity: int = 1) -> StoreItem:
    """洗衣液 in the community's points store, donated by a partner unit."""
    return store.store_item_create(
        actor=world.cast.community_worker,
        community=world.cast.community,
        name="洗衣液",
        points=points,
        quantity=quantity,
        donor=Organisation.objects.first(),
    )


def compound_branch(world: World) -> PartyOrg:
    """The party branch of the cast's compound, under the community's committee (the red team's)."""
    return party.party_org_create(
        actor=None,
        kind="branch",
        name="阳光小区党支部",
        org_node=world.cast.compound,
        parent=world.team.party_org,
    )


@pytest.fixture
def world(cast: Cast) -> World:
    committee = party.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community
    )
    me = resident_volunteer(cast, actor=cast.community_worker, phone="13812345678")
    other = services.volunteer_enrol(
        actor=cast.community_worker, community=cast.community, name="王医生", certificates=["first_aid"]
    )
    team = services.team_create(
        actor=cast.community_worker,
        community=cast.community,
        name="幸福红色先锋队",
        colour="red",
        party_org=committee,
        leader=other,
        members=[me],
    )
    activity = make_activity(cast, starts=at(2))
    shift = activity.shifts.get()
    return World(
        cast=cast,
        me=me,
        other=other,
        team=team,
        activity=activity,
        steward=shift.roles.get(name="引导员"),
        medic=shift.roles.get(name="急救员"),
    )


def ticked(html: str, name: str = "payers") -> list[str]:
    """The values of a finder's ticked boxes on a page (the staff's payers carry `<id>:<balance shown>`)."""
    return re.findall(rf'name="{name}_pick" value="([^"]+)" checked', html)


def funded(world: World, hours: str = "5") -> None:
    """The resident volunteer (张三) holds `hours` in the time bank, paid by the community's bank."""
    services.hours_pay(
        actor=world.cast.community_worker,
        payer=services.community_bank(world.cast.community),
        payee=world.me.bank_account,
        amount=hours,
        category="gift",
    )


def haircut_served(world: World) -> bool:
    """Co-building hands over a haircut (理发 · FW202612010001, 90 minutes) the resident volunteer gave (core.served):
    whether the time bank credited it."""
    from linli.core.served import Served
    from linli.volunteers.served import credit_service_hours

    return credit_service_hours(
        Served(
            source="cobuild.order:1",
            account_id=world.cast.resident.pk,
            community_id=world.cast.community.pk,
            title="理发 · FW202612010001",
            minutes=90,
            on=at(0).date(),
        )
    )
