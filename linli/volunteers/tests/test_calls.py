"""集结号: a community calls its members and volunteers for an urgent task; they answer on their phone; who came is
recorded and credited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import Notification, OutboxMessage
from linli.volunteers import services
from linli.volunteers.models import Signup

from .conftest import LAT, LNG, World, compound_branch

pytestmark = pytest.mark.django_db


def sound(world: World, **kw):  # type: ignore[no-untyped-def]
    now = timezone.now().replace(second=0, microsecond=0)
    args = {
        "actor": world.cast.community_worker,
        "community": world.cast.community,
        "title": "暴雨后排水疏通",
        "place": "阳光小区北门",
        "lng": LNG,
        "lat": LAT,
        "starts_at": now + dt.timedelta(minutes=30),
        "ends_at": now + dt.timedelta(hours=3, minutes=30),
        "needed": 2,
        "skills": "会用抽水泵优先",
        **kw,
    }
    return services.call_to_action_issue(**args)


def test_a_call_reaches_every_volunteer_and_opens_at_once(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        call = sound(world)
    assert call.is_call and call.state == "open"
    assert Notification.objects.filter(user=world.cast.resident, title__contains="暴雨后排水疏通").exists()
    assert OutboxMessage.objects.filter(recipient="13812345678").exists()  # the SMS to the volunteer's phone
    role = call.shifts.get().roles.get()
    assert (
        services.signup_create(actor=world.cast.resident, volunteer=world.me, role=role).state == "confirmed"
    )


def test_a_call_that_needs_a_certificate_goes_to_its_holders(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        sound(world, certificate="first_aid", title="急救保障")
    assert not Notification.objects.filter(user=world.cast.resident, title__contains="急救保障").exists()


def test_who_came_is_credited(world: World) -> None:
    call = sound(world)
    role = call.shifts.get().roles.get()
    signup = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=role)
    shift = role.shift
    with time_machine.travel(shift.starts_at):
        services.signup_check_in(
            actor=world.cast.resident, volunteer=world.me, activity=call, lng=LNG, lat=LAT
        )
    with time_machine.travel(shift.ends_at):
        services.signup_check_out(
            actor=world.cast.resident, volunteer=world.me, activity=call, lng=LNG, lat=LAT
        )
        services.signup_confirm_hours(actor=world.cast.community_worker, signup=signup)
    world.me.bank_account.refresh_from_db()
    assert world.me.bank_account.balance == 3 and Signup.objects.get(pk=signup.pk).state == "done"


def test_only_a_worker_sounds_it_and_not_for_the_past(world: World) -> None:
    with pytest.raises(PermissionDenied):
        sound(world, actor=world.cast.grid_worker)
    with pytest.raises(ValidationFailed):
        sound(
            world,
            starts_at=timezone.now() - dt.timedelta(hours=3),
            ends_at=timezone.now() - dt.timedelta(hours=1),
        )


def test_the_call_pages(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    assert "吹响集结号" in staff.get(reverse("volunteers:staff_activities")).content.decode()
    start = timezone.localtime() + dt.timedelta(hours=1)
    response = staff.post(
        reverse("volunteers:staff_call_new"),
        {
            "community": world.cast.community.pk,
            "title": "疫苗接种点秩序维护",
            "place": "社区卫生站",
            "lng": LNG,
            "lat": LAT,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "needed": 5,
        },
    )
    assert response.status_code == 302
    home = client_for("resident").get(reverse("volunteers:home")).content.decode()
    assert "集结号 · 疫苗接种点秩序维护" in home


def test_a_branch_sounds_the_call_and_reaches_its_members_who_are_not_volunteers_yet(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from linli.party import services as party
    from linli.volunteers.models import Volunteer

    cast = world.cast
    branch = compound_branch(world)
    party.party_member_create(actor=None, name="周党员", party_org=branch, phone="13700000001")
    volunteering = party.party_member_create(actor=None, name="张三", party_org=branch, phone="13812345678")
    Volunteer.objects.filter(pk=world.me.pk).update(party_member=volunteering)
    with django_capture_on_commit_callbacks(execute=True):
        call = sound(world, branch=branch)
    assert call.called_by == branch
    # The volunteer (a member too) has it in their inbox, named by the branch; one SMS, not two.
    assert Notification.objects.filter(user=cast.resident, title__startswith="阳光小区党支部").exists()
    assert OutboxMessage.objects.filter(recipient="13812345678").count() == 1
    # The member who is not a volunteer gets an SMS with the link to answer.
    sms = OutboxMessage.objects.get(recipient="13700000001")
    assert f"/volunteers/activities/{call.pk}/" in str(sms.payload)
    # A branch of another community's area may not sound this community's call.
    elsewhere = party.party_org_create(
        actor=None, kind="committee", name="光明社区党委", org_node=cast.other_community
    )
    with pytest.raises(ValidationFailed):
        sound(world, branch=elsewhere, title="越界")
    assert not Signup.objects.exists()
