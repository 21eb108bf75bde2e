"""What a resident follows is what they see: a place, or every place of the community a place is in, whether the
place hangs on the community or on one of its compounds, on the place's page and in the API alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import time_machine
from django.test import Client

from linli.core.models import Notification
from linli.places import services
from linli.places.models import Place, Subscription
from linli.testing import Cast, at

from .test_calendar import MONDAY, book
from .test_views import HOURS

JSON = "application/json"


def compound_place(cast: Cast) -> Place:
    """A canteen registered on the cast's compound (a community's worker may register one there)."""
    return services.place_create(
        actor=cast.community_worker,
        org_node_id=cast.compound.pk,
        kind="canteen",
        name="小区长者食堂",
        address="和平路3号",
        lng=116.399,
        lat=39.902,
        opening_hours=HOURS,
    )


def test_a_compound_s_place_is_followed_with_its_community_from_its_page(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    """The page offered to follow every place of the compound and answered 404 (没有这个社区): it names the
    community, and following it follows the community."""
    place = compound_place(cast)
    resident = client_for("resident")
    page = resident.get(f"/places/near/{place.pk}/").content.decode()
    assert f"关注{cast.community.name}的所有阵地" in page and f"关注{cast.compound.name}的" not in page
    followed = resident.post(f"/places/near/{place.pk}/follow/", {"what": "community"})
    assert followed.status_code == 302
    assert list(Subscription.objects.values_list("org_node_id", "place_id")) == [(cast.community.pk, None)]
    again = resident.get(followed["Location"]).content.decode()
    assert f"不再关注{cast.community.name}的所有阵地" in again


def test_a_community_followed_brings_the_activities_of_its_compounds_places(cast: Cast) -> None:
    place = compound_place(cast)
    services.subscription_toggle(actor=cast.resident, community_id=cast.community.pk)
    with time_machine.travel(MONDAY - dt.timedelta(days=3), tick=False):
        book(cast, place, "长者午餐会", at(2026, 12, 9, 11))
    with time_machine.travel(MONDAY, tick=False):
        assert services.digests_send() == 1
    assert "长者午餐会" in Notification.objects.get(user=cast.resident).body


def test_the_api_names_a_place_s_community_by_the_id_a_subscription_takes(
    cast: Cast, client_for: Callable[[str], Client], client: Client
) -> None:
    place = compound_place(cast)
    shown = client.get(f"/api/places/{place.pk}").json()
    assert (shown["community_id"], shown["community"]) == (cast.community.pk, cast.community.name)
    listed = {p["id"]: p for p in client.get("/api/places/").json()}
    assert listed[place.pk]["community_id"] == cast.community.pk
    me = client_for("resident")
    made = me.post("/api/places/subscriptions", {"community_id": shown["community_id"]}, content_type=JSON)
    assert made.status_code == 201 and made.json()["community_id"] == cast.community.pk
    one = me.post("/api/places/subscriptions", {"place_id": place.pk}, content_type=JSON).json()
    assert (one["place_id"], one["community_id"], one["community"]) == (
        place.pk,
        cast.community.pk,
        cast.community.name,
    )
