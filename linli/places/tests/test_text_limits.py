"""A place's or an activity's text typed too long is refused whole, the field and its limit named, never cut."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from linli.core.errors import ValidationFailed
from linli.places import services
from linli.places.models import Activity, Place
from linli.places.tests.test_views import make
from linli.territory.models import Road
from linli.testing import Cast, at
from linli.testing.kept import limit_given

ADDRESS = "和平路五号院东侧二层" * 21  # 210 characters: over the 200 an address may have


def test_the_place_form_refuses_a_pasted_address_too_long_and_shows_all_of_it_again(
    cast: Cast, roads: list[Road], client_for: Callable[[str], Client]
) -> None:
    client = client_for("community_worker")
    limit_given(client, "/places/new/", "address", 200)
    form = {
        "org_node": cast.community.pk,
        "kind": "canteen",
        "name": "幸福食堂",
        "address": ADDRESS,
        "lng": "116.401",
        "lat": "39.902",
        "opening_hours": "10:30-13:00",
    }
    page = client.post("/places/new/", form).content.decode()
    assert "地址太长：最多 200 个字（您已输入 210 个字）" in page
    assert f'value="{ADDRESS}"' in page  # the whole text, in its field
    assert not Place.objects.exists()


@time_machine.travel(at(2026, 12, 7, 9), tick=False)  # the activity below is booked for the next day
def test_the_services_refuse_a_text_too_long_rather_than_cut_it(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as refused:
        make(cast, address=ADDRESS)
    assert refused.value.extra["field"] == "address"
    assert str(refused.value.message) == "地址太长：最多 200 个字（您已输入 210 个字）。"
    assert not Place.objects.exists()
    place = make(cast)
    with pytest.raises(ValidationFailed, match="活动场地太长：最多 50 个字"):
        services.activity_create(
            actor=cast.community_worker,
            place=place,
            title="书法班",
            room="二楼多功能活动室" * 7,
            starts_at=at(2026, 12, 8, 9),
            ends_at=at(2026, 12, 8, 11),
        )
    assert not Activity.objects.exists()
    with pytest.raises(ValidationFailed, match="联系人太长"):
        services.place_update(actor=cast.community_worker, place=place, contact_name="张" * 51)
    place.refresh_from_db()
    assert place.contact_name == ""
