"""The resident's side (issue 11): nearby appeals and following, adding information and voice, reopening, the
public page and map of solved appeals, and the limits on what guests and anonymous callers may do."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.choices import AppealState
from linli.appeals.models import Appeal, AppealEvent, AppealFollower, AppealVoice, IntakeCounter
from linli.appeals.tests.factories import DESCRIPTION, photo, resident_form, resolve_by_grid_worker, submit
from linli.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from linli.core.models import Notification, OutboxMessage
from linli.core.roles import Role
from linli.testing import Cast, signed_in

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 200
PRIVATE_CATEGORY = "labour_social.wage_arrears"
HERE = {"lng": "116.402", "lat": "39.902"}  # a pin in the cast's grid


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def voice(data: bytes = WEBM, name: str = "voice.webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="audio/webm")


def neighbour(phone: str = "13700001111") -> User:
    return User.objects.create_user(
        username=f"m{phone}", role=Role.RESIDENT, phone=phone, display_name="邻居", password="x"
    )


def guest_post(client: Client, phone: str, **extra: Any) -> Any:
    body = {
        "kind": "complaint",
        "description": "小区门口路灯不亮，晚上出行很不方便。",
        "channel": "web",
        "contact_phone": phone,
        "category_code": "property_management.property_service",
        "grid_code": "G001",
        **extra,
    }
    return client.post("/api/appeals/", json.dumps(body), content_type="application/json")


# --- adding information and voice --------------------------------------------------------------------------


def test_resident_adds_text_and_a_voice_message_the_handler_sees_and_plays(
    cast: Cast, client_for: Any
) -> None:
    appeal = submit(cast)
    services.appeal_add_info(
        actor=cast.resident, appeal=appeal, text="灯在三楼和四楼之间。", voice=voice(), voice_seconds=7
    )
    event = AppealEvent.objects.get(appeal=appeal, action="add_info")
    assert event.reason == "灯在三楼和四楼之间。" and event.actor == cast.resident
    saved = AppealVoice.objects.get(appeal=appeal)
    assert saved.content_type == "audio/webm" and saved.seconds == 7
    told = Notification.objects.filter(user=cast.grid_worker).latest("id").title
    assert appeal.tracking_number in told
    staff = client_for("grid_worker")
    page = staff.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'src="/appeals/voices/{saved.pk}/"' in page and "灯在三楼和四楼之间。" in page
    audio = staff.get(f"/appeals/voices/{saved.pk}/")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/webm"
    assert b"".join(audio.streaming_content) == WEBM
    # Someone who may not see the appeal does not hear it either.
    assert client_for("outsider").get(f"/appeals/voices/{saved.pk}/").status_code == 404
    assert Client().get(f"/appeals/voices/{saved.pk}/").status_code == 404


def test_a_voice_message_is_checked_by_its_bytes_and_size(cast: Cast, settings: Any) -> None:
    appeal = submit(cast)
    with pytest.raises(ValidationFailed) as fake:
        services.appeal_add_info(actor=cast.resident, appeal=appeal, voice=voice(b"<html>hello</html>"))
    assert fake.value.extra["field"] == "voice"
    with pytest.raises(ValidationFailed, match="2 MB"):
        services.appeal_add_info(actor=cast.resident, appeal=appeal, voice=voice(WEBM + b"\x00" * 2_100_000))
    with pytest.raises(ValidationFailed):
        services.appeal_add_info(actor=cast.resident, appeal=appeal)
    assert not AppealVoice.objects.exists()
    assert not AppealEvent.objects.filter(action="add_info").exists()


def test_only_the_appeals_resident_adds_information_and_only_while_it_is_open(cast: Cast) -> None:
    appeal = submit(cast)
    with pytest.raises(PermissionDenied):
        services.appeal_add_info(actor=neighbour(), appeal=appeal, text="我也看到了")
    with pytest.raises(PermissionDenied):
        services.appeal_add_info(actor=None, appeal=appeal, text="guest without the phone")
    resolve_by_grid_worker(cast, appeal)
    with pytest.raises(InvalidTransition):
        services.appeal_add_info(actor=cast.resident, appeal=Appeal.objects.get(pk=appeal.pk), text="补充")


def test_resident_adds_information_with_photos_and_voice_from_the_appeal_page(cast: Cast) -> None:
    appeal = submit(cast)
    client = signed_in(cast.resident)
    page = client.get(f"/appeals/track/{appeal.tracking_number}/").content.decode()
    assert "data-voice" in page and f"/appeals/track/{appeal.tracking_number}/add/" in page
    response = client.post(
        f"/appeals/track/{appeal.tracking_number}/add/",
        {"text": "晚上八点以后最黑。", "photos": [photo()], "voice": voice(), "voice_seconds": "4"},
    )
    assert response.status_code == 302
    assert appeal.photos.count() == 1 and appeal.voices.count() == 1
    page = client.get(f"/appeals/track/{appeal.tracking_number}/").content.decode()
    assert "晚上八点以后最黑。" in page and "<audio" in page
    # Nothing given: said on the form, with a 422.
    empty = client.post(f"/appeals/track/{appeal.tracking_number}/add/", {"text": ""})
    assert empty.status_code == 422 and "或录一段语音" in empty.content.decode()


def test_a_guest_records_a_voice_message_when_reporting(cast: Cast) -> None:
    client = Client()
    response = client.post(
        "/appeals/new/",
        resident_form(
            idempotency_key="k-" + "v" * 30,
            contact_phone="13600002222",
            grid="G001",
            voice=voice(),
            voice_seconds="9",
            photos=[photo()],
            photos_public="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.voices.get().seconds == 9 and appeal.photos_public


# --- reopening ----------------------------------------------------------------------------------------------


def test_resident_reopens_within_the_window_and_the_same_unit_handles_it_again(
    cast: Cast, settings: Any
) -> None:
    settings.LINLI_APPEAL_REOPEN_DAYS = 7
    appeal = submit(cast)
    resolve_by_grid_worker(cast, appeal)
    services.appeal_rate(actor=cast.resident, appeal=appeal, value="satisfied")
    services.appeal_close(actor=None, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        services.appeal_reopen(actor=cast.resident, appeal=appeal, reason="灯又坏了，还是不亮。")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.DISPATCHED
    assert appeal.unit_name == cast.grid.name and appeal.rework_count == 1
    assert appeal.closed_at is None and appeal.outcome == "" and appeal.resolve_due_at is not None
    event = AppealEvent.objects.filter(appeal=appeal).latest("id")
    assert (event.action, event.from_state, event.reason) == ("reopen", "closed", "灯又坏了，还是不亮。")
    told = Notification.objects.filter(user=cast.resident).latest("id").title
    assert told.startswith(appeal.tracking_number)


def test_reopening_after_the_window_or_by_someone_else_is_refused(cast: Cast, settings: Any) -> None:
    settings.LINLI_APPEAL_REOPEN_DAYS = 3
    appeal = submit(cast)
    resolve_by_grid_worker(cast, appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_reopen(actor=cast.grid_worker, appeal=appeal, reason="工作人员想重开")
    with pytest.raises(PermissionDenied):
        services.appeal_reopen(actor=neighbour(), appeal=appeal, reason="别人的诉求")
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)), pytest.raises(Conflict, match="3"):
        services.appeal_reopen(actor=cast.resident, appeal=appeal, reason="灯又坏了，还是不亮。")
    withdrawn = submit(cast, title="另一件事")
    services.appeal_withdraw(actor=cast.resident, appeal=withdrawn)
    with pytest.raises(Conflict):
        services.appeal_reopen(actor=cast.resident, appeal=withdrawn, reason="撤回后又想办")


def test_reopen_form_is_offered_on_the_page_within_the_window_only(cast: Cast, settings: Any) -> None:
    settings.LINLI_APPEAL_REOPEN_DAYS = 5
    appeal = submit(cast)
    client = signed_in(cast.resident)
    url = f"/appeals/track/{appeal.tracking_number}/"
    assert "/reopen/" not in client.get(url).content.decode()  # open: nothing to reopen
    resolve_by_grid_worker(cast, appeal)
    assert f"{url}reopen/" in client.get(url).content.decode()
    short = client.post(f"{url}reopen/", {"reason": "坏"})
    assert short.status_code == 422
    assert client.post(f"{url}reopen/", {"reason": "灯还是不亮，请再来看看。"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == AppealState.DISPATCHED
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        resolve_by_grid_worker(cast, appeal)
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        assert f"{url}reopen/" not in client.get(url).content.decode()


# --- following --------------------------------------------------------------------------------------------


def test_a_neighbour_follows_a_public_appeal_and_hears_of_its_progress(cast: Cast) -> None:
    appeal = submit(cast)
    other = neighbour()
    client = signed_in(other)
    response = client.post(f"/appeals/follow/{appeal.tracking_number}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "/unfollow/" in response.content.decode()
    assert AppealFollower.objects.filter(appeal=appeal, user=other).count() == 1
    client.post(f"/appeals/follow/{appeal.tracking_number}/")  # twice: still one row
    assert AppealFollower.objects.filter(appeal=appeal, user=other).count() == 1
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    note = Notification.objects.filter(user=other).latest("id")
    assert note.title.startswith(appeal.tracking_number)
    assert note.url == f"/appeals/public/{appeal.tracking_number}/"
    sms = OutboxMessage.objects.filter(recipient="13700001111").latest("id")
    assert appeal.tracking_number in sms.payload["text"]
    listed = client.get("/appeals/mine/").content.decode()
    assert 'id="following"' in listed and appeal.tracking_number in listed
    client.post(f"/appeals/unfollow/{appeal.tracking_number}/")
    assert not AppealFollower.objects.filter(appeal=appeal, user=other).exists()


def test_every_followed_appeal_is_a_page_away_and_each_list_keeps_the_other(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.appeals.views import resident as resident_views

    monkeypatch.setattr(resident_views, "PAGE_SIZE", 2)
    other = neighbour()
    made = [submit(cast, title=title) for title in ("第一件", "第二件", "第三件")]
    for appeal in made:
        services.appeal_follow(actor=other, appeal=appeal)
    client = signed_in(other)
    first = client.get("/appeals/mine/").content.decode()
    assert "第 1 / 2 页，共 3 条" in first and 'href="?following=2#following"' in first
    assert made[0].tracking_number not in first  # followed first, listed last: on the next page
    second = client.get("/appeals/mine/", {"page": 3, "following": 2}).content.decode()
    assert made[0].tracking_number in second
    assert 'href="?page=3&amp;following=1#following"' in second


def test_only_signed_in_residents_follow_and_only_public_appeals(cast: Cast) -> None:
    public = submit(cast)
    private = submit(cast, category_code=PRIVATE_CATEGORY, title="工资拖欠")
    with pytest.raises(PermissionDenied):
        services.appeal_follow(actor=None, appeal=public)
    with pytest.raises(PermissionDenied):
        services.appeal_follow(actor=cast.grid_worker, appeal=public)
    with pytest.raises(NotFound):
        services.appeal_follow(actor=neighbour(), appeal=private)
    assert Client().post(f"/appeals/follow/{public.tracking_number}/").status_code in (302, 403)
    assert not AppealFollower.objects.exists()


# --- nearby and place search while reporting ---------------------------------------------------------------


def test_nearby_lists_open_public_appeals_masked(cast: Cast) -> None:
    shown = submit(cast, description="3号楼2单元楼道灯坏了，联系我13812345678。")
    hidden = submit(
        cast, category_code=PRIVATE_CATEGORY, title="工资拖欠", description="老板欠我三个月工资没发。"
    )
    far = submit(cast, grid=cast.other_grid, title="光明社区的垃圾")
    response = Client().get("/appeals/nearby/", {"lng": "116.402", "lat": "39.902"})
    text = response.content.decode()
    assert shown.tracking_number in text and far.tracking_number in text  # 1 km apart: both nearby
    assert hidden.tracking_number not in text
    assert "13812345678" not in text and "楼道灯坏了" not in text and "张三" not in text
    assert 'data-lat="39.902000"' in text  # the grid's centre, rounded to 3 decimals
    assert "Sign in to follow" in text or "登录后关注" in text
    far_away = Client().get("/appeals/nearby/", {"lng": "117.5", "lat": "39.0"}).content.decode()
    assert shown.tracking_number not in far_away


def test_nearby_offers_the_follow_button_to_a_signed_in_resident(cast: Cast) -> None:
    appeal = submit(cast)
    text = signed_in(neighbour()).get("/appeals/nearby/", HERE).content.decode()
    assert f"/appeals/follow/{appeal.tracking_number}/" in text


def test_nearby_before_a_pin_is_placed_is_only_a_hint(cast: Cast) -> None:
    appeal = submit(cast)
    text = Client().get("/appeals/nearby/").content.decode()
    assert appeal.tracking_number not in text and "data-nearby-item" not in text
    assert "data-nearby-hint" in text


def test_nearby_lists_a_few_nearest_first_and_never_returned_ones(cast: Cast) -> None:
    near_other = submit(cast, grid=cast.other_grid, title="光明社区的垃圾")
    for i in range(8):
        submit(cast, title=f"路灯{i}")
    returned = submit(cast, grid=cast.other_grid, title="退回的")
    Appeal.objects.filter(pk=returned.pk).update(state=AppealState.RETURNED)
    other = cast.other_grid
    text = Client().get("/appeals/nearby/", {"lng": other.centroid_lng, "lat": other.centroid_lat})
    page = text.content.decode()
    assert page.count("data-nearby-item") == 6
    assert returned.tracking_number not in page
    first = page.index("data-nearby-item")
    assert page.index(near_other.tracking_number) > first
    assert page.index(near_other.tracking_number) < page.index("data-nearby-item", first + 1)


def test_place_search_finds_buildings_grids_and_communities_of_the_territory(cast: Cast) -> None:
    client = Client()
    by_building = client.get("/appeals/places/", {"q": "和平路1号院"}).content.decode()
    assert "1号楼" in by_building and 'data-lat="39.902000"' in by_building
    by_grid = client.get("/appeals/places/", {"q": "阳光一网格"}).content.decode()
    assert "阳光一网格" in by_grid and "data-place" in by_grid
    by_community = client.get("/appeals/places/", {"q": "光明社区"}).content.decode()
    assert "光明社区" in by_community
    nothing = client.get("/appeals/places/", {"q": "不存在的地方"}).content.decode()
    assert "data-place" not in nothing and "不存在的地方" in nothing
    # Households and people are never searched.
    assert "data-place" not in client.get("/appeals/places/", {"q": "张三"}).content.decode()


def test_the_report_page_has_the_search_nearby_voice_and_consent(cast: Cast) -> None:
    page = Client().get("/appeals/new/").content.decode()
    for piece in ('id="place-search"', 'id="nearby"', "data-voice", 'name="photos_public"', "nearby.js"):
        assert piece in page


# --- public page and map -----------------------------------------------------------------------------------


def test_public_page_of_a_solved_appeal_shows_how_and_only_allowed_photos(cast: Cast) -> None:
    allowed = submit(cast, photos=[photo()], photos_public=True)
    resolve_by_grid_worker(cast, allowed, note="已更换灯泡，有问题请打13912345678。")
    kept = submit(cast, photos=[photo()], title="另一处灯坏了")
    resolve_by_grid_worker(cast, kept)
    client = Client()
    page = client.get(f"/appeals/public/{allowed.tracking_number}/").content.decode()
    assert "已更换灯泡" in page and "13912345678" not in page and "139****5678" in page
    assert "楼道灯坏了一个星期" not in page and "张三" not in page  # not the resident's words or name
    pic = allowed.photos.get()
    assert f"/appeals/public/{allowed.tracking_number}/photos/{pic.pk}/" in page
    assert client.get(f"/appeals/public/{allowed.tracking_number}/photos/{pic.pk}/").status_code == 200
    other = kept.photos.get()
    assert (
        f"/photos/{other.pk}/" not in client.get(f"/appeals/public/{kept.tracking_number}/").content.decode()
    )
    assert client.get(f"/appeals/public/{kept.tracking_number}/photos/{other.pk}/").status_code == 404
    assert client.get(f"/appeals/photos/{other.pk}/").status_code == 404


def test_photos_are_not_public_while_the_appeal_is_open_and_private_categories_have_no_page(
    cast: Cast,
) -> None:
    open_one = submit(cast, photos=[photo()], photos_public=True)
    pic = open_one.photos.get()
    client = Client()
    assert client.get(f"/appeals/public/{open_one.tracking_number}/").status_code == 200
    assert client.get(f"/appeals/public/{open_one.tracking_number}/photos/{pic.pk}/").status_code == 404
    private = submit(cast, category_code=PRIVATE_CATEGORY, title="工资拖欠")
    assert client.get(f"/appeals/public/{private.tracking_number}/").status_code == 404


def test_public_map_lists_solved_public_appeals_with_rounded_positions(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    solved = submit(cast)
    resolve_by_grid_worker(cast, solved)
    for _ in range(3):
        resolve_by_grid_worker(cast, submit(cast))
    still_open = submit(cast, title="还没解决")
    private = submit(cast, category_code=PRIVATE_CATEGORY, title="工资拖欠")
    services.appeal_acknowledge(actor=cast.admin, appeal=private)
    services.appeal_resolve(actor=cast.admin, appeal=private, note="已协调用人单位发放工资。")
    client = Client()
    with django_assert_max_num_queries(3):
        items = client.get("/appeals/public/solved.json").json()["items"]
    numbers = {i["id"] for i in items}
    assert solved.tracking_number in numbers
    assert still_open.tracking_number not in numbers and private.tracking_number not in numbers
    assert all(round(i["lat"], 3) == i["lat"] for i in items)
    page = client.get("/appeals/public/").content.decode()
    assert 'id="solved-map"' in page and f"/appeals/public/{solved.tracking_number}/" in page


# --- abuse -------------------------------------------------------------------------------------------------


def test_guest_submissions_are_limited_per_phone_in_the_database(cast: Cast, settings: Any) -> None:
    settings.LINLI_GUEST_APPEALS_PER_PHONE_DAY = 2
    client = Client()
    assert guest_post(client, "13600001111").status_code == 201
    assert guest_post(client, "13600001111").status_code == 201
    third = guest_post(client, "13600001111")
    assert third.status_code == 429 and third.json()["code"] == "too_many_appeals"
    assert guest_post(client, "13600009999").status_code == 201  # another number is not held back
    assert IntakeCounter.objects.get(key="phone:13600001111").count == 2
    # Another web process sees the same rows: a fresh client, the same limit.
    assert guest_post(Client(), "13600001111").status_code == 429
    # A signed-in resident is not a guest.
    resident = signed_in(cast.resident)
    for _ in range(3):
        assert guest_post(resident, "13812345678").status_code == 201


def test_guest_submissions_are_limited_per_network_address(cast: Cast, settings: Any) -> None:
    settings.LINLI_GUEST_APPEALS_PER_ADDRESS_HOUR = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert guest_post(client, "13600000001").status_code == 201
    assert guest_post(client, "13600000002").status_code == 201
    assert guest_post(client, "13600000003").status_code == 429
    assert guest_post(Client(REMOTE_ADDR="203.0.113.10"), "13600000003").status_code == 201
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert guest_post(client, "13600000004").status_code == 201


def test_the_guest_report_page_says_the_limit_on_the_form(cast: Cast, settings: Any) -> None:
    settings.LINLI_GUEST_APPEALS_PER_PHONE_DAY = 1
    client = Client()
    base = {"contact_phone": "13600003333", "grid": "G001"}
    assert (
        client.post("/appeals/new/", resident_form(**base, idempotency_key="k-" + "1" * 30)).status_code
        == 302
    )
    again = client.post("/appeals/new/", resident_form(**base, idempotency_key="k-" + "2" * 30))
    assert again.status_code == 422
    assert DESCRIPTION in again.content.decode()  # nothing typed is lost
    assert Appeal.objects.count() == 1


def test_sms_go_only_to_numbers_that_proved_themselves(cast: Cast) -> None:
    guest = submit(cast, actor=None, contact_phone="13600004444", channel="web")
    assert not OutboxMessage.objects.filter(recipient="13600004444").exists()
    mine = submit(cast)  # the signed-in resident's number proved itself at sign-in
    texts = [m.payload["text"] for m in OutboxMessage.objects.filter(recipient="13812345678")]
    assert any(mine.tracking_number in text for text in texts)
    neighbour("13600004444")  # the number signs in with a code: from now on it is told
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=guest)
    assert OutboxMessage.objects.filter(recipient="13600004444").count() == 1


@pytest.mark.parametrize("channel", ["sensor", "patrol", "hotline"])
def test_staff_channels_are_closed_to_anonymous_callers_and_residents(cast: Cast, channel: str) -> None:
    response = guest_post(Client(), "13600005555", channel=channel)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert guest_post(signed_in(cast.resident), "13812345678", channel=channel).status_code == 403
    assert not Appeal.objects.exists()


def test_a_grid_worker_still_reports_through_patrol(cast: Cast, client_for: Any) -> None:
    response = guest_post(client_for("grid_worker"), "", channel="patrol")
    assert response.status_code == 201, response.content


def test_the_worker_drops_counters_of_windows_long_past(cast: Cast) -> None:
    from linli.appeals.jobs import JOBS

    guest_post(Client(), "13600006666")
    assert IntakeCounter.objects.count() == 2  # the phone's day and the address's hour
    assert JOBS["appeals.intake_counters"]() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert JOBS["appeals.intake_counters"]() == 2
    assert not IntakeCounter.objects.exists()


def test_failed_look_ups_by_tracking_number_are_counted_in_the_database(cast: Cast) -> None:
    appeal = submit(cast)
    for _ in range(10):
        wrong = Client().post(
            "/appeals/track/", {"tracking_number": appeal.tracking_number, "phone": "13000000000"}
        )
        assert wrong.status_code == 422
    assert IntakeCounter.objects.get(key="track:127.0.0.1").count == 10
    # Even the right pair, from a fresh client (another process): refused for the hour, said on the form.
    right = Client().post(
        "/appeals/track/", {"tracking_number": appeal.tracking_number, "phone": "13812345678"}
    )
    assert right.status_code == 422 and "一小时" in right.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.7")
    ok = other.post("/appeals/track/", {"tracking_number": appeal.tracking_number, "phone": "13812345678"})
    assert ok.status_code == 302


# --- the API ------------------------------------------------------------------------------------------------


def test_api_adds_information_and_a_voice_message_and_reopens(cast: Cast, settings: Any) -> None:
    settings.LINLI_APPEAL_REOPEN_DAYS = 5
    appeal = submit(cast)
    client = signed_in(cast.resident)
    info = client.post(
        f"/api/appeals/{appeal.pk}/info",
        json.dumps({"text": "三楼也不亮。"}),
        content_type="application/json",
    )
    assert info.status_code == 200
    assert info.json()["trace"][-1]["action"] == "add_info"
    sent = client.post(f"/api/appeals/{appeal.pk}/voice", {"voice": voice()})
    assert sent.status_code == 200 and appeal.voices.count() == 1
    bad = client.post(f"/api/appeals/{appeal.pk}/voice", {"voice": voice(b"not audio at all")})
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "voice"
    # Another resident cannot see it through the API (not in their scope).
    stranger = signed_in(neighbour())
    assert (
        stranger.post(
            f"/api/appeals/{appeal.pk}/info", json.dumps({"text": "x"}), content_type="application/json"
        ).status_code
        == 404
    )
    resolve_by_grid_worker(cast, appeal)
    reopened = client.post(
        f"/api/appeals/{appeal.pk}/reopen",
        json.dumps({"reason": "灯又灭了，请再修。"}),
        content_type="application/json",
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "dispatched"
    # The table the API publishes says who may reopen from where.
    table = {row["action"]: row for row in Client().get("/api/appeals/transitions").json()}
    assert table["reopen"]["to"] == "dispatched" and "closed" in table["reopen"]["from"]


def test_api_follow_and_unfollow(cast: Cast) -> None:
    appeal = submit(cast)
    other = neighbour()
    client = signed_in(other)
    assert client.post(f"/api/appeals/follow/{appeal.tracking_number}").json() == {
        "tracking_number": appeal.tracking_number,
        "following": True,
    }
    assert AppealFollower.objects.filter(appeal=appeal, user=other).exists()
    assert client.delete(f"/api/appeals/follow/{appeal.tracking_number}").status_code == 200
    assert not AppealFollower.objects.exists()
    private = submit(cast, category_code=PRIVATE_CATEGORY, title="工资拖欠")
    assert client.post(f"/api/appeals/follow/{private.tracking_number}").status_code == 404
    assert Client().post(f"/api/appeals/follow/{appeal.tracking_number}").status_code == 401


def test_nearby_costs_the_same_queries_for_few_or_many_appeals(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(neighbour())
    submit(cast)
    client.get("/appeals/nearby/", HERE)  # the session's first page also asks what the menu remembers
    with CaptureQueriesContext(connection) as few:
        client.get("/appeals/nearby/", HERE)
    for i in range(8):
        submit(cast, title=f"路灯{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/appeals/nearby/", HERE).content.decode().count("data-nearby-item") == 6
    assert len(many) == len(few) <= 6


def test_a_refused_resident_appeal_answers_422_with_everything_typed_kept(cast: Cast) -> None:
    """A bad form is refused as every other app refuses one: 422 (Unprocessable), the page again with what was
    typed, not 400 (a malformed request)."""
    typed = "小区东门的路灯坏了三天，晚上很黑。"
    response = Client().post(
        "/appeals/new/", resident_form(description=typed, contact_phone="12345", contact_name="王阿姨")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f"{typed}</textarea>" in page and 'value="王阿姨"' in page and 'value="12345"' in page
    assert Appeal.objects.count() == 0


def test_the_residents_own_steps_in_the_trace_name_no_unit(cast: Cast) -> None:
    """On the resident's page a step the resident took (rate, add information, reopen, withdraw) is not put
    under the handling unit's name, as if the unit had rated; the unit's own steps keep it."""
    import re

    appeal = submit(cast)
    services.appeal_add_info(actor=cast.resident, appeal=appeal, text="晚上七点以后家里有人。")
    services.appeal_add_photos(actor=cast.resident, appeal=appeal, photos=[photo()])  # the API's: a comment
    resolve_by_grid_worker(cast, appeal)
    services.appeal_rate(actor=cast.resident, appeal=appeal, value="unsatisfied", comment="灯还是不亮。")
    page = signed_in(cast.resident).get(f"/appeals/track/{appeal.tracking_number}/").content.decode()
    trace = page.split('id="trace"', 1)[1].split("</ol>", 1)[0]
    steps = {
        re.sub(r"<[^>]+>", "", what).split()[0]: when
        for when, what in re.findall(r'ap-when">(.*?)</div>\s*<div class="ap-what">(.*?)</div>', trace, re.S)
    }
    assert cast.grid.name not in steps["评价"] and cast.grid.name not in steps["补充信息"]
    assert cast.grid.name not in steps["添加备注"]
    assert cast.grid.name in steps["办结"] and cast.grid.name in steps["重办"]
