"""The API of activity photos (private until consent is recorded, public for past activities only while it
stands) and of a community's points rules (read and changed by its staff, the page's bounds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from linli.testing import _user
from linli.volunteers import services
from linli.volunteers.services.points import DEFAULT_RULES

from .conftest import World, at
from .test_photos import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/volunteers{url}", json.dumps(data or {}), content_type="application/json")


def test_photo_upload_consent_withdraw_and_the_public_list(world: World, client_for, client) -> None:  # type: ignore[no-untyped-def]
    code = world.cast.community.code
    with time_machine.travel(at(0, 10)):  # not yet begun: refused, nothing saved
        early = client_for("community_worker").post(
            f"/api/volunteers/activities/{world.activity.pk}/photos", {"photo": jpeg()}
        )
        assert early.status_code == 409 and "开始" in early.json()["message"]
    with time_machine.travel(at(3)):
        staff = client_for("community_worker")
        assert (
            client_for("resident")
            .post(f"/api/volunteers/activities/{world.activity.pk}/photos", {"photo": jpeg()})
            .status_code
            == 403
        )
        made = staff.post(
            f"/api/volunteers/activities/{world.activity.pk}/photos",
            {"photo": jpeg(), "caption": "清理后的中心广场"},
        )
        assert made.status_code == 201, made.content
        photo = made.json()
        assert photo["consent"] is False and photo["caption"] == "清理后的中心广场"
        assert staff.get(photo["url"]).status_code == 200
        listed = staff.get(f"/api/volunteers/activities/{world.activity.pk}/photos").json()
        assert [p["id"] for p in listed] == [photo["id"]]
        assert client.get(f"/api/volunteers/public/{code}/photos").json() == []

        # Consent must say how everyone pictured agreed; then the photo is public.
        bare = post(staff, f"/photos/{photo['id']}/consent", {"consent": True})
        assert bare.status_code == 422 and bare.json()["extra"]["field"] == "note"
        given = post(staff, f"/photos/{photo['id']}/consent", {"consent": True, "note": "现场口头同意"})
        assert given.status_code == 200 and given.json()["consent"] is True
        public = client.get(f"/api/volunteers/public/{code}/photos").json()
        assert [(p["id"], p["activity"]["id"], p["caption"]) for p in public] == [
            (photo["id"], world.activity.pk, "清理后的中心广场")
        ]
        assert client.get(public[0]["url"]).status_code == 200
        again = post(staff, f"/photos/{photo['id']}/consent", {"consent": True, "note": "再次"})
        assert again.status_code == 409

        withdrawn = post(staff, f"/photos/{photo['id']}/consent", {"consent": False, "note": "本人要求撤下"})
        assert withdrawn.status_code == 200 and withdrawn.json()["consent"] is False
        assert client.get(f"/api/volunteers/public/{code}/photos").json() == []
        assert client.get(public[0]["url"]).status_code == 404
        assert client.get("/api/volunteers/public/000000000000/photos").status_code == 404


def test_photos_are_scoped_to_the_staff_members_communities(world: World, cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(3)):
        photo = services.activity_photo_add(actor=None, activity=world.activity, photo=jpeg())
        outsider = Client()
        outsider.force_login(_user("other_worker", "community_worker", node=cast.other_community))
        assert outsider.get(f"/api/volunteers/activities/{world.activity.pk}/photos").status_code == 404
        refused = post(outsider, f"/photos/{photo.pk}/consent", {"consent": True, "note": "签字同意书"})
        assert refused.status_code == 404
        assert outsider.delete(f"/api/volunteers/photos/{photo.pk}").status_code == 404
        staff = client_for("community_worker")
        assert staff.delete(f"/api/volunteers/photos/{photo.pk}").status_code == 204
        assert staff.get(f"/api/volunteers/activities/{world.activity.pk}/photos").json() == []


def test_points_rules_read_and_update_with_the_pages_bounds(world: World, cast, client_for) -> None:  # type: ignore[no-untyped-def]
    community = cast.community.pk
    staff = client_for("community_worker")
    read = staff.get(f"/api/volunteers/rules/{community}").json()
    assert read["own"] is False and read["per_hour"] == DEFAULT_RULES.per_hour
    assert client_for("resident").get(f"/api/volunteers/rules/{community}").status_code == 403
    assert staff.get(f"/api/volunteers/rules/{cast.other_community.pk}").status_code == 404

    def patch(data: dict[str, Any]) -> Any:
        return staff.patch(
            f"/api/volunteers/rules/{community}", json.dumps(data), content_type="application/json"
        )

    too_high = patch({"per_hour": 101})
    assert too_high.status_code == 422 and too_high.json()["extra"]["field"] == "per_hour"
    assert patch({"night_multiplier": "1.255"}).json()["extra"]["field"] == "night_multiplier"
    caps = patch({"daily_cap": 500, "monthly_cap": 100})
    assert caps.status_code == 422 and caps.json()["extra"]["field"] == "monthly_cap"
    assert staff.get(f"/api/volunteers/rules/{community}").json()["own"] is False  # nothing saved

    saved = patch({"per_hour": 20, "night_multiplier": "1.5"})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["own"] is True and body["per_hour"] == 20 and body["night_multiplier"] == "1.50"
    assert services.rules_for(community).per_hour == 20
    assert body["daily_cap"] == DEFAULT_RULES.daily_cap  # not given: unchanged
