"""Sign-up: every reason it is refused, the waiting list, cancelling, checking in and out at the place."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.volunteers import services
from linli.volunteers.choices import Refusal, SignupState
from linli.volunteers.models import Signup

from .conftest import LAT, LNG, World, at, made_inactive, make_activity

pytestmark = pytest.mark.django_db


def refused(world: World, role, volunteer=None, **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(services.SignupRefused) as caught:
        services.signup_create(actor=world.cast.resident, volunteer=volunteer or world.me, role=role, **kw)
    return caught.value.extra["reason"]


def test_a_volunteer_signs_up_for_a_role(world: World) -> None:
    signup = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    assert signup.state == SignupState.CONFIRMED
    assert list(signup.events.values_list("to_state", flat=True)) == ["confirmed"]


def test_refused_when_sign_up_is_not_yet_open(world: World) -> None:
    later = services.activity_create(
        actor=world.cast.community_worker,
        community=world.cast.community,
        title="下周义诊",
        place="社区卫生站",
        lng=LNG,
        lat=LAT,
        signup_opens_at=at(1),
        shifts=[services.ShiftIn(at(5), at(5, 11), [("助手", 3, "")])],
    )
    role = later.shifts.get().roles.get()
    assert refused(world, role) == Refusal.NOT_OPEN  # still a draft
    services.activity_open(actor=world.cast.community_worker, activity=later)
    assert refused(world, role) == Refusal.NOT_OPEN  # open, but sign-up starts tomorrow
    with time_machine.travel(at(1, 10)):
        assert (
            services.signup_create(actor=world.cast.resident, volunteer=world.me, role=role).state
            == "confirmed"
        )


def test_refused_when_the_shift_has_ended(world: World) -> None:
    with time_machine.travel(at(2, 12)):
        assert refused(world, world.steward) == Refusal.ENDED


def test_refused_when_cancelled(world: World) -> None:
    services.activity_cancel(actor=world.cast.community_worker, activity=world.activity, reason="暴雨预警")
    assert refused(world, world.steward) == Refusal.CANCELLED


def test_refused_without_the_certificate_the_role_needs(world: World) -> None:
    assert refused(world, world.medic) == Refusal.LACKS_CERTIFICATE
    services.volunteer_update(
        actor=world.cast.resident, volunteer=world.me, skills="", certificates=["first_aid"], availability=""
    )
    world.me.refresh_from_db()
    assert (
        services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.medic).state
        == "confirmed"
    )


def test_refused_when_it_overlaps_another_shift(world: World) -> None:
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    # Another activity an hour later, overlapping the first shift's second hour.
    other = make_activity(world.cast, title="敬老院陪伴", starts=at(2, 10), roles=[("陪伴员", 5, "")])
    role = other.shifts.get().roles.get()
    assert refused(world, role) == Refusal.OVERLAP
    # Back to back is no overlap.
    after = make_activity(world.cast, title="垃圾分类宣传", starts=at(2, 11), roles=[("宣传员", 5, "")])
    assert services.signup_create(
        actor=world.cast.resident, volunteer=world.me, role=after.shifts.get().roles.get()
    )


def test_refused_twice_for_the_same_role(world: World) -> None:
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    assert refused(world, world.steward) == Refusal.ALREADY


def test_refused_when_the_volunteer_is_inactive(world: World) -> None:
    made_inactive(world)
    assert refused(world, world.steward) == Refusal.INACTIVE


def test_full_role_refuses_then_takes_the_volunteer_on_its_waiting_list(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.signup_create(actor=world.cast.community_worker, volunteer=world.other, role=world.medic)
    services.volunteer_update(
        actor=world.cast.resident, volunteer=world.me, skills="", certificates=["first_aid"], availability=""
    )
    world.me.refresh_from_db()
    assert refused(world, world.medic) == Refusal.FULL
    waiting = services.signup_create(
        actor=world.cast.resident, volunteer=world.me, role=world.medic, wait=True
    )
    assert waiting.state == SignupState.WAITING
    # The medic cancels: the first on the waiting list takes the place and is told.
    first = Signup.objects.get(volunteer=world.other)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(actor=world.cast.community_worker, signup=first)
    waiting.refresh_from_db()
    assert waiting.state == SignupState.CONFIRMED
    assert world.cast.resident.notifications.filter(title__contains="社区环境整治").exists()


def test_each_refusal_reason_has_a_chinese_message(world: World) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        for reason in Refusal:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(reason.label)), reason


def test_someone_else_cannot_sign_a_volunteer_up(world: World, cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.signup_create(actor=cast.outsider, volunteer=world.me, role=world.steward)


def test_a_shift_that_started_cannot_be_cancelled(world: World) -> None:
    signup = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    with time_machine.travel(at(2, 9) + dt.timedelta(minutes=5)), pytest.raises(InvalidTransition):
        services.signup_cancel(actor=world.cast.resident, signup=signup)


def test_check_in_needs_the_place_and_the_time(world: World) -> None:
    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    args = {"actor": world.cast.resident, "volunteer": world.me, "activity": world.activity}
    with pytest.raises(ValidationFailed, match="没有这个活动"):
        services.signup_check_in(**args, lng=LNG, lat=LAT)  # two days early
    with time_machine.travel(at(2, 8) + dt.timedelta(minutes=45)):
        with pytest.raises(ValidationFailed, match="米内签到"):
            services.signup_check_in(**args, lng=LNG + 0.01, lat=LAT)  # about 850 m away
        with pytest.raises(ValidationFailed, match="允许页面读取"):
            services.signup_check_in(**args, lng=None, lat=None)
        signup = services.signup_check_in(**args, lng=LNG + 0.0005, lat=LAT)
        assert signup.state == SignupState.CHECKED_IN
    with time_machine.travel(at(2, 11) + dt.timedelta(minutes=20)):  # after the end: still checks out
        signup = services.signup_check_out(**args, lng=LNG, lat=LAT)
    assert signup.state == SignupState.CHECKED_OUT
    assert services.hours_worked(signup) == 2  # from the shift's start to its end, not the early arrival


def test_no_show_is_recorded_after_the_start(world: World) -> None:
    signup = services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    with pytest.raises(InvalidTransition):
        services.signup_mark_no_show(actor=world.cast.community_worker, signup=signup)
    with time_machine.travel(at(2, 12)):
        services.signup_mark_no_show(actor=world.cast.community_worker, signup=signup)
    signup.refresh_from_db()
    assert signup.state == SignupState.NO_SHOW


def test_reminders_go_once_to_each_signed_up_volunteer(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from linli.volunteers.jobs import shift_reminders

    services.signup_create(actor=world.cast.resident, volunteer=world.me, role=world.steward)
    assert shift_reminders() == 0  # two days ahead: not yet
    with time_machine.travel(at(1, 12)), django_capture_on_commit_callbacks(execute=True):
        assert shift_reminders() == 1
        assert shift_reminders() == 0
    assert world.cast.resident.notifications.filter(title__contains="社区环境整治").exists()


@pytest.mark.parametrize(
    ("who", "starts", "ends", "refused"),
    [
        ("community_worker", 11, 9, ValidationFailed),  # a shift that ends before it starts
        ("grid_worker", 9, 11, PermissionDenied),  # a grid worker does not set activities up
    ],
)
def test_activity_refuses_bad_shifts(world: World, who: str, starts: int, ends: int, refused: type) -> None:
    with pytest.raises(refused):
        services.activity_create(
            actor=getattr(world.cast, who),
            community=world.cast.community,
            title="错误",
            place="广场",
            lng=LNG,
            lat=LAT,
            signup_opens_at=timezone.now(),
            shifts=[services.ShiftIn(at(2, starts), at(2, ends), [("引导员", 2, "")])],
        )
