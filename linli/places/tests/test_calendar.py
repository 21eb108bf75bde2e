"""A place's calendar (rooms booked once at a time), residents following places or communities, the weekly
digest, and staff editing a place."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import Notification, OutboxMessage
from linli.places import jobs, services
from linli.places.models import Activity, Place, Subscription
from linli.testing import Cast, at

from .test_views import make

MONDAY = at(2026, 12, 7, 9, 0)  # a Monday, 09:00 local


def book(
    cast: Cast, place: Place, title: str, start: dt.datetime, hours: float = 2, room: str = ""
) -> Activity:
    return services.activity_create(
        actor=cast.community_worker,
        place=place,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        room=room,
    )


@time_machine.travel(MONDAY, tick=False)  # the bookings below are next days of a fixed week
def test_a_room_is_booked_once_at_a_time(cast: Cast) -> None:
    place = make(cast)
    book(cast, place, "书法课", at(2026, 12, 8, 9), room="多功能厅")
    with pytest.raises(ValidationFailed) as refused:
        book(cast, place, "合唱排练", at(2026, 12, 8, 10), room="多功能厅")
    assert "书法课" in refused.value.message
    book(cast, place, "合唱排练", at(2026, 12, 8, 10), room="活动室")  # another room is free
    book(cast, place, "象棋", at(2026, 12, 8, 11), room="多功能厅")  # starts as the first ends
    assert place.activities.count() == 3
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=cast.resident,
            place=place,
            title="x",
            starts_at=at(2026, 12, 9, 9),
            ends_at=at(2026, 12, 9, 10),
        )


@time_machine.travel(MONDAY, tick=False)
def test_staff_book_on_the_place_page_and_a_clash_is_said_in_chinese(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    place = make(cast)
    client = client_for("community_worker")
    form = {
        "title": "健康讲座",
        "room": "会议室",
        "starts_at": "2026-12-08T14:00",
        "ends_at": "2026-12-08T16:00",
    }
    done = client.post(f"/places/{place.pk}/activities/", form)
    assert done.status_code == 302
    again = client.post(f"/places/{place.pk}/activities/", {**form, "title": "另一个讲座"})
    assert again.status_code == 422  # refused: the page again with the form, as every refused form answers
    assert "会议室" in again.content.decode() and "健康讲座" in again.content.decode()
    assert place.activities.count() == 1
    page = client.get(f"/places/{place.pk}/").content.decode()
    assert "健康讲座" in page or "2026" in page


def test_follow_a_place_and_the_weekly_digest_arrives_once(cast: Cast) -> None:
    place = make(cast)
    other = make(cast, name="幸福食堂", kind="canteen")
    with time_machine.travel(MONDAY - dt.timedelta(days=3), tick=False):
        book(cast, place, "书法课", at(2026, 12, 9, 9), room="多功能厅")
        book(cast, other, "包饺子", at(2026, 12, 10, 11))
        book(cast, place, "下周以后的活动", at(2026, 12, 20, 9))
        assert services.subscription_toggle(actor=cast.resident, place=place)
    with time_machine.travel(MONDAY - dt.timedelta(hours=2), tick=False):  # Monday 07:00: not yet
        assert services.digests_send() == 0
    with time_machine.travel(MONDAY, tick=False):
        assert jobs.send_digests() == 1
        assert jobs.send_digests() == 0  # once a week
    note = Notification.objects.get(user=cast.resident)
    assert "书法课" in note.body and "包饺子" not in note.body and "下周以后" not in note.body
    sms = OutboxMessage.objects.get(recipient="13812345678", channel="sms")
    assert "书法课" in sms.payload["text"]
    assert Subscription.objects.get(user=cast.resident).digest_week == "2026W50"


def test_following_a_community_covers_all_its_places_and_an_empty_week_sends_nothing(cast: Cast) -> None:
    place = make(cast)
    services.subscription_toggle(actor=cast.resident, community_id=cast.community.pk)
    with time_machine.travel(MONDAY, tick=False):
        assert services.digests_send() == 0  # nothing on
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        book(cast, place, "周末电影", at(2026, 12, 19, 19))
        assert services.digests_send() == 1
    assert "周末电影" in Notification.objects.get(user=cast.resident).body


def test_a_busy_week_digest_counts_every_activity_and_says_how_many_more_are_on_the_page(cast: Cast) -> None:
    place = make(cast)
    services.subscription_toggle(actor=cast.resident, place=place)
    services.subscription_toggle(actor=cast.grid_worker, place=place)  # a second follower, in the same run
    start = at(2026, 12, 8, 8)
    Activity.objects.bulk_create(
        Activity(
            place=place,
            title=f"活动{i:02d}",
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i, minutes=50),
        )
        for i in range(25)
    )
    with time_machine.travel(MONDAY, tick=False):
        assert services.digests_send() == 2
    assert Notification.objects.filter(user=cast.grid_worker).count() == 1
    note = Notification.objects.get(user=cast.resident)
    assert "25" in note.title and "活动19" in note.body and "活动20" not in note.body
    assert note.body.splitlines()[-1] == "还有 5 项活动，请在“我身边的服务阵地”查看。"


def test_following_toggles_on_the_public_page(cast: Cast, client_for: Callable[[str], Client]) -> None:
    place = make(cast)
    client = client_for("resident")
    assert client.post(f"/places/near/{place.pk}/follow/").status_code == 302
    assert Subscription.objects.filter(user=cast.resident, place=place).exists()
    page = client.get(f"/places/near/{place.pk}/").content.decode()
    assert "Stop following this place" in page or "不再关注" in page
    client.post(f"/places/near/{place.pk}/follow/")
    assert not Subscription.objects.filter(user=cast.resident).exists()
    assert Client().post(f"/places/near/{place.pk}/follow/").status_code == 302  # to the login page
    assert not Subscription.objects.exists()


def _png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (200, 16, 46)).save(buffer, "PNG")
    return SimpleUploadedFile("door.png", buffer.getvalue(), content_type="image/png")


def test_staff_edit_a_place_with_a_photo_and_bad_input_keeps_what_was_saved(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    place = make(cast)
    client = client_for("community_worker")
    form = {
        "kind": "station",
        "name": "幸福社区服务站（新）",
        "address": "和平路1号",
        "lng": "116.398",
        "lat": "39.902",
        "phone": "010-66668888",
        "contact_name": "李站长",
        "services": "代办\n理发",
        "opening_hours": "08:00-18:00",
        "active": "on",
    }
    bad = client.post(f"/places/{place.pk}/edit/", {**form, "opening_hours": "8点到下午"})
    assert bad.status_code == 422  # refused, shown again with what was typed
    place.refresh_from_db()
    assert place.name == "幸福社区服务站"
    # the staff's word for a place, as on 新增阵地 (it said 保存场所)
    assert "保存阵地" in bad.content.decode()
    done = client.post(f"/places/{place.pk}/edit/", {**form, "photo": _png()})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "阵地已保存。" in page and "编辑阵地" in page and "场所" not in page
    place.refresh_from_db()
    assert (place.name, place.contact_name, place.opening_hours["6"]) == (
        "幸福社区服务站（新）",
        "李站长",
        [["08:00", "18:00"]],
    )
    assert place.photo.name.endswith(".png")
    assert client_for("resident").get(f"/places/{place.pk}/edit/").status_code in (302, 403)


def test_an_activity_whose_time_is_over_is_refused_with_what_was_typed_kept(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """A date typed wrong (last week's) was booked with a warning, and then shown nowhere, the calendar listing only
    what is still to come: it is refused (422, the form again with what was typed), by the page and the API alike;
    an activity already under way (started, not yet over) may still be recorded."""
    place = make(cast)
    client = client_for("community_worker")
    form = {
        "title": "健康讲座",
        "room": "会议室",
        "starts_at": "2026-12-01T14:00",
        "ends_at": "2026-12-01T16:00",
    }
    with time_machine.travel(MONDAY, tick=False):
        past = client.post(f"/places/{place.pk}/activities/", form)
        assert past.status_code == 422
        page = past.content.decode()
        assert "活动时间（12-01 14:00 至 16:00）已经过去：日历只登记尚未结束的活动，请检查日期。" in page
        assert 'value="健康讲座"' in page and 'value="2026-12-01T14:00"' in page
        api = client.post(
            f"/api/places/{place.pk}/activities",
            {**form, "starts_at": "2026-12-07T07:00", "ends_at": "2026-12-07T09:00"},  # ended as MONDAY began
            content_type="application/json",
        )
        assert api.status_code == 422 and "已经过去" in api.json()["message"]
        assert not place.activities.exists()
        under_way = {**form, "starts_at": "2026-12-07T08:00", "ends_at": "2026-12-07T11:00"}
        done = client.post(f"/places/{place.pk}/activities/", under_way, follow=True).content.decode()
        assert "已加入日历。" in done
        booked = place.activities.get()
        with pytest.raises(ValidationFailed, match="已经过去"):  # moved back into the past: refused too
            services.activity_update(
                actor=cast.community_worker, activity=booked, ends_at=at(2026, 12, 7, 8, 30)
            )
        booked.refresh_from_db()
        assert booked.ends_at == at(2026, 12, 7, 11)


def test_the_edit_page_takes_a_photo_away_and_refuses_one_too_large_as_the_api_does(
    cast: Cast, client_for: Callable[[str], Client], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    place = make(cast)
    client = client_for("community_worker")
    form = {
        "kind": "station",
        "name": place.name,
        "address": place.address,
        "lng": str(place.lng),
        "lat": str(place.lat),
        "opening_hours": "08:00-18:00",
        "active": "on",
    }
    # no photo yet: nothing to remove
    assert "photo_remove" not in client.get(f"/places/{place.pk}/edit/").content.decode()
    assert client.post(f"/places/{place.pk}/edit/", {**form, "photo": _png()}).status_code == 302
    place.refresh_from_db()
    kept = place.photo.name
    assert kept.endswith(".png")
    # The photo is seen where it is shown (MEDIA_URL is never served: the pages showed a broken image)
    for page, who in ((f"/places/{place.pk}/", client), (f"/places/near/{place.pk}/", Client())):
        src = re.search(r'<img class="pl-photo" src="([^"]+)"', who.get(page).content.decode()).group(1)  # type: ignore[union-attr]
        shown = who.get(src.replace("&amp;", "&"))
        assert shown.status_code == 200 and shown["Content-Type"] == "image/png", (page, src)
    large = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    refused = client.post(f"/places/{place.pk}/edit/", {**form, "name": "改了名", "photo": large})
    assert refused.status_code == 422
    assert "每张照片不能超过 5 MB。" in refused.content.decode()  # the API's words: one check
    place.refresh_from_db()
    assert (place.name, place.photo.name) == ("幸福社区服务站", kept)
    page = client.get(f"/places/{place.pk}/edit/").content.decode()
    assert 'name="photo_remove"' in page and "删除现有照片" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/places/{place.pk}/edit/", {**form, "photo_remove": "on"})
    place.refresh_from_db()
    assert not place.photo and not place.photo.storage.exists(kept)
