"""The API of a place's calendar (staff of its area), this week's activities (public) and a resident's
subscriptions, through HTTP as a client would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from linli.places import services
from linli.places.models import Activity, Subscription
from linli.territory.models import Road
from linli.testing import Cast

from .test_calendar import _png
from .test_views import crowd, make

JSON = "application/json"


def _slot(days: int, hour: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"  # local time, no zone, as a form would send


def test_staff_list_book_change_and_cancel_activities(
    cast: Cast, client_for: Callable[[str], Client], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    place = make(cast)
    staff = client_for("community_worker")
    made = staff.post(
        f"/api/places/{place.pk}/activities",
        {"title": "书法兴趣课", "room": "多功能厅", "starts_at": _slot(1, 9), "ends_at": _slot(1, 11)},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["place"] == "幸福社区服务站"
        and timezone.localtime(dt.datetime.fromisoformat(body["starts_at"])).hour == 9
    )
    clash = staff.post(
        f"/api/places/{place.pk}/activities",
        {"title": "合唱排练", "room": "多功能厅", "starts_at": _slot(1, 10), "ends_at": _slot(1, 12)},
        content_type=JSON,
    )
    assert clash.status_code == 422 and "书法兴趣课" in clash.json()["message"]
    other = staff.post(
        f"/api/places/{place.pk}/activities",
        {"title": "合唱排练", "room": "活动室", "starts_at": _slot(1, 10), "ends_at": _slot(1, 12)},
        content_type=JSON,
    ).json()
    # Moving the choir into the hall while the calligraphy class holds it is refused; later it is fine.
    moved = staff.patch(f"/api/places/activities/{other['id']}", {"room": "多功能厅"}, content_type=JSON)
    assert moved.status_code == 422 and moved.json()["extra"]["field"] == "starts_at"
    moved = staff.patch(
        f"/api/places/activities/{other['id']}",
        {"room": "多功能厅", "starts_at": _slot(1, 11), "ends_at": _slot(1, 12)},
        content_type=JSON,
    )
    assert moved.status_code == 200 and moved.json()["room"] == "多功能厅"
    backwards = staff.patch(
        f"/api/places/activities/{other['id']}", {"ends_at": _slot(1, 8)}, content_type=JSON
    )
    assert backwards.status_code == 422 and backwards.json()["extra"]["field"] == "ends_at"
    with django_assert_max_num_queries(8):
        listed = staff.get(f"/api/places/{place.pk}/activities").json()
    assert [a["title"] for a in listed] == ["书法兴趣课", "合唱排练"]
    assert staff.delete(f"/api/places/activities/{other['id']}").status_code == 204
    assert list(Activity.objects.values_list("title", flat=True)) == ["书法兴趣课"]


def test_out_of_scope_and_unauthorised_callers_are_refused(
    cast: Cast, client_for: Callable[[str], Client], client: Client
) -> None:
    place = make(cast)
    activity = Activity.objects.create(
        place=place,
        title="健康义诊",
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=2),
    )
    outsider = client_for("outsider")  # a community worker of the other community
    assert outsider.get(f"/api/places/{place.pk}/activities").status_code == 404
    slot = {"title": "x", "starts_at": _slot(2, 9), "ends_at": _slot(2, 10)}
    assert outsider.post(f"/api/places/{place.pk}/activities", slot, content_type=JSON).status_code == 404
    assert (
        outsider.patch(f"/api/places/activities/{activity.pk}", {"title": "y"}, content_type=JSON).status_code
        == 404
    )
    assert outsider.delete(f"/api/places/activities/{activity.pk}").status_code == 404
    # A grid worker of the area sees the place but may not manage its calendar; a resident is not staff.
    gw = client_for("grid_worker").post(f"/api/places/{place.pk}/activities", slot, content_type=JSON)
    assert gw.status_code in (403, 404) and not Activity.objects.filter(title="x").exists()
    resident = client_for("resident").delete(f"/api/places/activities/{activity.pk}")
    assert resident.status_code == 403
    assert client.get(f"/api/places/{place.pk}/activities").status_code == 401
    assert Activity.objects.filter(pk=activity.pk, title="健康义诊").exists()


def test_this_weeks_activities_are_public(cast: Cast, client: Client) -> None:
    place = make(cast)
    clinic = make(cast, name="卫生站", kind="clinic")
    now = timezone.now()
    for where, title, days in ((place, "书法课", 2), (clinic, "义诊", 3), (place, "下周合唱", 9)):
        Activity.objects.create(
            place=where,
            title=title,
            starts_at=now + dt.timedelta(days=days),
            ends_at=now + dt.timedelta(days=days, hours=2),
        )
    week = client.get("/api/places/activities/week").json()
    assert week["count"] == 2 and [a["title"] for a in week["items"]] == ["书法课", "义诊"]
    clinics = client.get("/api/places/activities/week?kind=clinic").json()["items"]
    assert [a["title"] for a in clinics] == ["义诊"]
    own = client.get(f"/api/places/activities/week?place_id={place.pk}").json()["items"]
    assert [a["title"] for a in own] == ["书法课"]


def test_this_weeks_activities_go_a_page_at_a_time_to_the_last(
    cast: Cast, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    crowd(make(cast), 230, every=dt.timedelta(minutes=30), title="活动{:03d}")
    with django_assert_max_num_queries(3):
        first = client.get("/api/places/activities/week").json()
    assert first["count"] == 230 and len(first["items"]) == 50 and first["items"][0]["title"] == "活动000"
    last = client.get("/api/places/activities/week?limit=200&offset=200").json()
    assert [a["title"] for a in last["items"]] == [f"活动{i:03d}" for i in range(200, 230)]


def test_a_resident_follows_and_unfollows_places_and_communities(
    cast: Cast, client_for: Callable[[str], Client], client: Client
) -> None:
    place = make(cast)
    me = client_for("resident")
    first = me.post("/api/places/subscriptions", {"place_id": place.pk}, content_type=JSON)
    assert first.status_code == 201 and first.json()["place"] == "幸福社区服务站"
    again = me.post("/api/places/subscriptions", {"place_id": place.pk}, content_type=JSON)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    community = me.post("/api/places/subscriptions", {"community_id": cast.community.pk}, content_type=JSON)
    assert community.status_code == 201 and community.json()["place_id"] is None
    assert community.json()["community"] == cast.community.name
    both = me.post(
        "/api/places/subscriptions",
        {"place_id": place.pk, "community_id": cast.community.pk},
        content_type=JSON,
    )
    assert both.status_code == 422
    # What the body names is not there (a street is no community): refused on its field, where it was a 404.
    street = me.post("/api/places/subscriptions", {"community_id": cast.street.pk}, content_type=JSON)
    assert street.status_code == 422 and list(street.json()["extra"]["fields"]) == ["community_id"]
    unknown = me.post("/api/places/subscriptions", {"place_id": 99999}, content_type=JSON)
    assert unknown.status_code == 422 and unknown.json()["extra"]["fields"] == {
        "place_id": "找不到您可查看的服务阵地 99999。"
    }
    assert [s["id"] for s in me.get("/api/places/subscriptions").json()] == [
        first.json()["id"],
        community.json()["id"],
    ]
    # Someone else's subscription is not found, and cannot be removed.
    assert client_for("street_officer").get("/api/places/subscriptions").json() == []
    assert (
        client_for("street_officer").delete(f"/api/places/subscriptions/{first.json()['id']}").status_code
        == 404
    )
    assert client.get("/api/places/subscriptions").status_code == 401
    assert me.delete(f"/api/places/subscriptions/{first.json()['id']}").status_code == 204
    assert list(Subscription.objects.values_list("org_node_id", flat=True)) == [cast.community.pk]


def test_the_schema_describes_the_calendar_and_subscriptions(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/places/{pk}/activities"])
    assert {"patch", "delete"} <= set(paths["/api/places/activities/{activity_id}"])
    assert "get" in paths["/api/places/activities/week"]
    assert {"get", "post"} <= set(paths["/api/places/subscriptions"])
    assert "delete" in paths["/api/places/subscriptions/{subscription_id}"]


def test_coverage_by_area_and_the_gaps(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    make(cast)  # a station on 和平路, by the cast's first building
    staff = client_for("street_officer")
    areas = staff.get("/api/places/coverage/areas?kind=station").json()
    by_name = {(a["level"], a["area"]): a for a in areas}
    assert (
        by_name[("community", cast.community.name)]["covered"],
        by_name[("grid", cast.other_grid.name)]["covered"],
    ) == (1, 0)
    assert sum(a["households"] for a in areas if a["level"] == "grid") == 2
    gaps = staff.get("/api/places/coverage/gaps?kind=station").json()
    assert gaps["uncovered_households"] == 1 and [b["name"] for b in gaps["uncovered_buildings"]] == ["2号楼"]
    assert gaps["suggestion"]["households"] == 1 and 116.409 < gaps["suggestion"]["lng"] < 116.415
    wrong = staff.get("/api/places/coverage/gaps?kind=school")
    assert wrong.status_code == 422 and wrong.json()["extra"]["field"] == "kind"
    assert client_for("resident").get("/api/places/coverage/areas?kind=station").status_code == 403


def test_staff_change_a_place_through_the_api_as_on_its_page(
    cast: Cast, client_for: Callable[[str], Client], client: Client
) -> None:
    """The place's edit page had no API: PATCH changes the fields given, through the same service and permission."""
    place = make(cast)
    staff = client_for("community_worker")
    bad = staff.patch(f"/api/places/{place.pk}", {"name": "新名字", "phone": "abc"}, content_type=JSON)
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "phone"
    place.refresh_from_db()
    assert (place.name, place.phone) == ("幸福社区服务站", "")  # nothing of the refused change saved
    done = staff.patch(
        f"/api/places/{place.pk}",
        {
            "name": "幸福社区服务站（新）",
            "contact_name": "李站长",
            "opening_hours": {"0": [["08:00", "18:00"]]},
        },
        content_type=JSON,
    )
    assert done.status_code == 200, done.content
    assert done.json()["name"] == "幸福社区服务站（新）"
    assert done.json()["opening_hours"]["0"] == [["08:00", "18:00"]]
    place.refresh_from_db()
    assert (place.name, place.contact_name) == ("幸福社区服务站（新）", "李站长")
    assert (
        client_for("resident").patch(f"/api/places/{place.pk}", {"name": "x"}, content_type=JSON).status_code
        == 403
    )
    assert client.patch(f"/api/places/{place.pk}", {"name": "x"}, content_type=JSON).status_code in (401, 403)
    outsider = client_for("outsider")  # a community worker of another community: not found
    assert outsider.patch(f"/api/places/{place.pk}", {"name": "x"}, content_type=JSON).status_code == 404


def test_the_public_list_narrows_as_near_me_does_with_the_walking_minutes(
    cast: Cast, roads: list[Road], client: Client
) -> None:
    """An app could not do what the near-me page does: the list takes the position, kind, open now and within a
    15-minute walk, nearest first, each row with its walking minutes (null where no road joins or no position)."""
    make(cast)
    make(cast, name="远处的卫生站", kind="clinic", lng=116.45, lat=39.95)  # some 7 km away
    shut = make(cast, name="关门的食堂", kind="canteen", lng=116.4, lat=39.902)
    services.place_update(actor=cast.community_worker, place=shut, opening_hours={})  # never open
    here = "/api/places/?lng=116.399&lat=39.902"
    rows = client.get(here).json()
    assert [r["name"] for r in rows][-1] == "远处的卫生站"
    by_name = {r["name"]: r for r in rows}
    page = client.get("/places/near/?lng=116.399&lat=39.902").content.decode()
    minutes = by_name["幸福社区服务站"]["minutes"]
    assert isinstance(minutes, int) and f"步行约 {minutes} 分钟" in page  # the page's own figure
    assert by_name["远处的卫生站"]["minutes"] is None  # no road joins it: no walk to tell
    within = client.get(here + "&within=true").json()
    assert {r["name"] for r in within} == {"幸福社区服务站", "关门的食堂"}
    assert [r["name"] for r in client.get(here + "&within=true&open=true").json()] == ["幸福社区服务站"]
    assert client.get(here + "&within=true&kind=clinic").json() == []
    nowhere_given = client.get("/api/places/?within=true")
    assert nowhere_given.status_code == 422 and "位置" in nowhere_given.json()["message"]
    nowhere = client.get("/api/places/?kind=station").json()  # no position: no walk, the list as before
    assert [(r["name"], r["minutes"]) for r in nowhere] == [("幸福社区服务站", None)]


def test_staff_change_and_remove_a_places_photo_through_the_api(
    cast: Cast, client_for: Callable[[str], Client], client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The page changed a place's photo and the API could not: POST a photo (multipart) replaces it, DELETE takes it
    away, checked by the same service as the page's form; a file too large or not a photo is refused in words, the
    photo kept."""
    place = make(cast)
    staff = client_for("community_worker")
    done = staff.post(f"/api/places/{place.pk}/photo", {"photo": _png()})
    assert done.status_code == 200, done.content
    shown = client.get(done.json()["photo"])  # a place in service: its photo is public, as on its public page
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    place.refresh_from_db()
    kept = place.photo.name
    assert kept and place.photo.storage.exists(kept)
    public = client.get(f"/api/places/{place.pk}").json()  # the public detail gives it too
    assert public["photo"] == done.json()["photo"]

    large = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    refused = staff.post(f"/api/places/{place.pk}/photo", {"photo": large})
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid" and refused.json()["extra"]["field"] == "photo"
    assert refused.json()["message"] == "每张照片不能超过 5 MB。"
    text = SimpleUploadedFile("menu.jpg", "营业时间表".encode(), content_type="image/jpeg")
    refused = staff.post(f"/api/places/{place.pk}/photo", {"photo": text})
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "photo"
    assert "不是可识别的照片" in refused.json()["message"]
    missing = staff.post(f"/api/places/{place.pk}/photo", {})
    assert missing.status_code == 422 and "photo" in missing.json()["extra"]["fields"]
    place.refresh_from_db()
    assert place.photo.name == kept  # nothing refused was saved

    assert client_for("resident").post(f"/api/places/{place.pk}/photo", {"photo": _png()}).status_code == 403
    assert client_for("outsider").delete(f"/api/places/{place.pk}/photo").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        gone = staff.delete(f"/api/places/{place.pk}/photo")
    assert gone.status_code == 200 and gone.json()["photo"] is None
    place.refresh_from_db()
    assert not place.photo and not place.photo.storage.exists(kept)  # the file goes too
