"""The points store (every refusal reason, both sides of a redemption, cancellation), honours by rule and
review, and the credits a job makes from the appeals (report and hazard bonuses, member points)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from linli.appeals.models import Appeal, AppealEvent
from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.party import services as party
from linli.party.models import MemberPointsEntry
from linli.volunteers import credits, jobs, services
from linli.volunteers.choices import RedeemRefusal
from linli.volunteers.models import Honour, PointsEntry, StockMovement, StoreItem, Volunteer
from linli.volunteers.services import honours, store

from .conftest import World, stocked

pytestmark = pytest.mark.django_db


def give(volunteer: Volunteer, points: int) -> None:
    PointsEntry.objects.create(volunteer=volunteer, kind="adjustment", points=points, on=timezone.localdate())


def test_a_redemption_writes_both_sides_and_a_cancellation_reverses_them(world: World) -> None:
    item = stocked(world, quantity=2)
    give(world.me, 50)
    redemption = store.redemption_create(actor=world.cast.resident, volunteer=world.me, item=item)
    item.refresh_from_db()
    assert item.stock == 1 and store.points_balance(world.me) == 20
    assert StockMovement.objects.filter(item=item).aggregate(t=Sum("quantity"))["t"] == item.stock
    store.redemption_cancel(actor=world.cast.resident, redemption=redemption)
    item.refresh_from_db()
    assert item.stock == 2 and store.points_balance(world.me) == 50
    assert StockMovement.objects.filter(item=item).aggregate(t=Sum("quantity"))["t"] == 2
    with pytest.raises(InvalidTransition):
        store.redemption_cancel(actor=world.cast.resident, redemption=redemption)
    again = store.redemption_create(actor=world.cast.resident, volunteer=world.me, item=item)
    store.redemption_hand_over(actor=world.cast.community_worker, redemption=again)
    with pytest.raises(InvalidTransition):
        store.redemption_cancel(actor=world.cast.community_worker, redemption=again)


def test_every_refusal_reason(world: World) -> None:
    item = stocked(world, points=30, quantity=1)
    assert store.redeem_refusal(world.me, item) == RedeemRefusal.POINTS
    with pytest.raises(store.RedeemRefused) as refused:
        store.redemption_create(actor=world.cast.resident, volunteer=world.me, item=item)
    assert refused.value.extra == {"reason": "points"} and store.points_balance(world.me) == 0
    give(world.me, 100)
    give(world.other, 100)
    store.redemption_create(actor=None, volunteer=world.other, item=item)
    item.refresh_from_db()
    assert store.redeem_refusal(world.me, item) == RedeemRefusal.OUT_OF_STOCK
    store.store_item_donate(actor=world.cast.community_worker, item=item, quantity=3)
    item.refresh_from_db()
    assert store.redeem_refusal(world.me, item) is None
    store.store_item_withdraw(actor=world.cast.community_worker, item=item)
    item.refresh_from_db()
    assert store.redeem_refusal(world.me, item) == RedeemRefusal.WITHDRAWN
    item.active = True
    item.community = world.cast.other_community
    assert store.redeem_refusal(world.me, item) == RedeemRefusal.OTHER_COMMUNITY
    item.community = world.cast.community
    world.me.active = False
    assert store.redeem_refusal(world.me, item) == RedeemRefusal.INACTIVE


def test_who_keeps_the_store(world: World) -> None:
    item = stocked(world)
    give(world.me, 100)
    with pytest.raises(PermissionDenied):
        store.store_item_donate(actor=world.cast.outsider, item=item, quantity=1)
    with pytest.raises(PermissionDenied):
        store.redemption_create(actor=world.cast.outsider, volunteer=world.me, item=item)
    with pytest.raises(ValidationFailed):
        store.store_item_create(
            actor=world.cast.community_worker, community=world.cast.community, name="", points=5, quantity=1
        )
    assert StoreItem.objects.count() == 1


# Days on which the honours once missed the rider's hazard reports: the test's shift (two days ahead) fell in the
# next year, the reports (today) in this one.
HONOURS_ON = [None, "2026-12-31 10:00 +08:00"]


@pytest.mark.parametrize("on", HONOURS_ON, ids=["today", *(d[:10] for d in HONOURS_ON[1:] if d)])
def test_honours_are_computed_by_rule_and_published_after_review(
    on: str | None, db: None, request: pytest.FixtureRequest
) -> None:
    """Hours and hazard reports of one year make its honours, whatever day of the year it is."""
    if on is None:
        _honours_by_rule(request.getfixturevalue("world"))
        return
    with time_machine.travel(on, tick=True):
        _honours_by_rule(request.getfixturevalue("world"))


def _honours_by_rule(world: World) -> None:
    assert [honours.star_level(h) for h in (99, 100, 299, 300, 600, 1000, 1499, 1500)] == [
        0,
        1,
        1,
        2,
        3,
        4,
        4,
        5,
    ]
    signup = services.signup_create(actor=None, volunteer=world.me, role=world.steward)
    type(signup).objects.filter(pk=signup.pk).update(state="done", hours=D(320))
    Volunteer.objects.filter(pk=world.other.pk).update(kind="rider")
    # The reports on the day of the shift, so both count in its year (today's year is not it late in December).
    day = timezone.localdate(world.activity.shifts.get().starts_at)
    for i in range(3):
        PointsEntry.objects.create(
            volunteer=world.other, kind="hazard", points=10, on=day, source=f"appeal:{i}"
        )
    year = day.year
    made = honours.honours_compute(
        actor=world.cast.community_worker, community=world.cast.community, year=year
    )
    assert {(h.volunteer_id, h.kind, h.level) for h in made} == {
        (world.me.pk, "star_volunteer", 2),
        (world.other.pk, "best_rider", 0),
    }
    assert (
        honours.honours_compute(actor=world.cast.community_worker, community=world.cast.community, year=year)
        == []
    )
    star = Honour.objects.get(kind="star_volunteer")
    with pytest.raises(PermissionDenied):
        honours.honour_review(actor=world.cast.outsider, honour=star, publish=True)
    honours.honour_review(actor=world.cast.community_worker, honour=star, publish=True)
    assert Honour.objects.get(pk=star.pk).state == "published"
    with pytest.raises(InvalidTransition):
        honours.honour_review(actor=world.cast.community_worker, honour=star, publish=False)


def _appeal(n: int, *, resident_id: int | None, dispatched: bool = True) -> Appeal:
    return Appeal.objects.create(
        tracking_number=f"T{n:05d}",
        kind="complaint",
        title=f"井盖松动{n}",
        description="路口井盖松动",
        channel="web",
        resident_id=resident_id,
        dispatched_at=timezone.now() - dt.timedelta(days=1) if dispatched else None,
    )


def test_the_job_credits_reports_hazards_and_appeals_handled_once(world: World) -> None:
    cast = world.cast
    _appeal(1, resident_id=cast.resident.pk)  # the resident volunteer's report, dispatched
    _appeal(2, resident_id=cast.resident.pk, dispatched=False)  # not (yet) an appeal
    assert credits.report_bonuses() == 1
    assert PointsEntry.objects.get(volunteer=world.me).kind == "report"
    # A rider's report earns the hazard bonus.
    Volunteer.objects.filter(pk=world.me.pk).update(kind="rider")
    _appeal(3, resident_id=cast.resident.pk)
    assert credits.report_bonuses() == 1
    assert set(PointsEntry.objects.filter(volunteer=world.me).values_list("kind", "points")) == {
        ("report", 5),
        ("hazard", 10),
    }
    # A party member who volunteers resolves an appeal: member points for an appeal handled.
    member = party.party_member_create(actor=None, name="张三", party_org=world.team.party_org)
    Volunteer.objects.filter(pk=world.me.pk).update(party_member=member)
    appeal = _appeal(4, resident_id=None)
    AppealEvent.objects.create(
        appeal=appeal, at=timezone.now(), actor=cast.resident, action="resolve", to_state="resolved"
    )
    assert credits.appeals_handled() == 1
    assert MemberPointsEntry.objects.get(member=member).points == 5
    assert jobs.JOBS["volunteers.appeal_credits"]() == 0  # nothing twice


def _posted_wish(world: World, title: str, wisher_name: str, address: str) -> Any:
    """A wish the community worker posts for a resident in co-building (a sibling app, imported here only)."""
    from linli.cobuild import services as cobuild

    return cobuild.wish_post_for(
        actor=world.cast.community_worker,
        community=world.cast.community,
        title=title,
        wisher_name=wisher_name,
        address=address,
    )


def _fulfil(actor: Any, wish: Any, photo_name: str) -> None:
    """The adopter fulfils the wish with a photo of it done."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from linli.cobuild import services as cobuild

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 80, 200)).save(buf, "PNG")
    cobuild.wish_fulfil(
        actor=actor, wish=wish, photo=SimpleUploadedFile(photo_name, buf.getvalue(), "image/png")
    )


def test_a_wish_a_volunteer_adopted_and_fulfilled_earns_the_bonus_and_member_points_once(
    world: World, settings: object, tmp_path: object
) -> None:
    """The wish lives in co-building (a sibling): it reaches the credits through party's registry of wishes."""
    from linli.cobuild import services as cobuild

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    cast = world.cast
    member = party.party_member_create(actor=None, name="张三", party_org=world.team.party_org)
    Volunteer.objects.filter(pk=world.me.pk).update(party_member=member)
    wish = _posted_wish(world, "想要一台收音机", "李奶奶", "阳光小区3号楼101")
    cobuild.wish_adopt(actor=cast.resident, wish=wish)
    assert credits.wish_credits() == 0  # adopted, not yet fulfilled
    _fulfil(cast.resident, wish, "radio.png")
    assert credits.wish_credits() == 1
    entry = PointsEntry.objects.get(volunteer=world.me)
    assert (entry.kind, entry.points, entry.note) == ("wish", 20, "想要一台收音机")
    assert MemberPointsEntry.objects.get(member=member, kind="wish").points == 5
    assert jobs.JOBS["volunteers.wish_credits"]() == 0  # nothing twice
    assert MemberPointsEntry.objects.filter(member=member).count() == 1


def test_a_party_member_without_a_volunteer_record_is_credited_by_their_mobile_number(
    world: World, settings: object, tmp_path: object
) -> None:
    """A member who resolves appeals as staff, or adopts a wish without volunteering, is found by the account's
    mobile number among the active members; a number two members share credits nobody."""
    from linli.cobuild import services as cobuild

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    cast = world.cast
    worker = cast.community_worker
    worker.phone = "13900001111"
    worker.save(update_fields=["phone"])
    member = party.party_member_create(
        actor=None, name="刘社工", party_org=world.team.party_org, phone="13900001111"
    )
    appeal = _appeal(5, resident_id=None)
    AppealEvent.objects.create(
        appeal=appeal, at=timezone.now(), actor=worker, action="resolve", to_state="resolved"
    )
    assert credits.appeals_handled() == 1
    assert MemberPointsEntry.objects.get(member=member, kind="appeal").source == f"appeal:{appeal.pk}"
    assert credits.appeals_handled() == 0  # nothing twice

    # The worker adopts a wish (not a volunteer: no bonus) and fulfils it: member points for a wish.
    wish = _posted_wish(world, "想要一副老花镜", "王爷爷", "阳光小区2号楼202")
    cobuild.wish_adopt(actor=worker, wish=wish)
    _fulfil(worker, wish, "glasses.png")
    assert credits.wish_credits() == 1
    assert MemberPointsEntry.objects.filter(member=member, kind="wish").count() == 1
    assert not PointsEntry.objects.filter(kind="wish").exists()

    # A second member with the same number: the account no longer names one member, and nobody is guessed.
    party.party_member_create(actor=None, name="刘某", party_org=world.team.party_org, phone="13900001111")
    assert credits.members_for_accounts({worker.pk}) == {}


def test_a_redemption_sent_twice_redeems_once(world: World) -> None:
    """The volunteer confirms against the points they were shown (`balance`); under the locks the service compares
    them with the points now, so the same confirmation sent a second time (a double tap, a page sent again) finds
    them changed and redeems nothing, though enough points are left for a second piece."""
    item = stocked(world, points=30, quantity=5)
    give(world.me, 100)
    store.redemption_create(actor=world.cast.resident, volunteer=world.me, item=item, balance=100)
    with pytest.raises(store.RedeemRefused) as refused:
        store.redemption_create(actor=world.cast.resident, volunteer=world.me, item=item, balance=100)
    assert refused.value.extra == {"reason": "changed"}
    item.refresh_from_db()
    assert item.redemptions.count() == 1 and item.stock == 4 and store.points_balance(world.me) == 70
    # Confirmed again against the points now, it goes through.
    store.redemption_create(actor=world.cast.resident, volunteer=world.me, item=item, balance=70)
    assert store.points_balance(world.me) == 40
