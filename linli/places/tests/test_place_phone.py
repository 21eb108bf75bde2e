"""A place's contact phone is what residents tap on "places near me" (a tel: link): a number that is not one
("abc", "转 8 楼") was saved and shown. It is refused with what to type, everything typed kept; a mobile, a
landline (with an extension) and a short service line (12345, 96156) are taken."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from linli.places.models import Place
from linli.testing import Cast

from .test_views import make

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "station",
    "name": "幸福社区服务站（新）",
    "address": "和平路1号",
    "lng": "116.398",
    "lat": "39.902",
    "contact_name": "李站长",
    "services": "代办",
    "opening_hours": "08:00-18:00",
    "active": "on",
}


@pytest.mark.parametrize("phone", ["abc", "转8楼", "1234"])
def test_a_place_phone_that_is_no_number_is_refused_and_kept(
    cast: Cast, client_for: Callable[[str], Client], phone: str
) -> None:
    place = make(cast)
    answer = client_for("community_worker").post(f"/places/{place.pk}/edit/", {**FORM, "phone": phone})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "010-12345678" in html  # says what to type
    assert f'value="{phone}"' in html and "幸福社区服务站（新）" in html  # nothing typed lost
    assert Place.objects.get(pk=place.pk).name == "幸福社区服务站"


@pytest.mark.parametrize(
    "phone,stored",
    [("010-6666 8888", "010-66668888"), ("13812345678", "13812345678"), ("12345", "12345"), ("", "")],
)
def test_a_place_phone_is_taken_when_it_is_a_number(
    cast: Cast, client_for: Callable[[str], Client], phone: str, stored: str
) -> None:
    place = make(cast)
    answer = client_for("community_worker").post(f"/places/{place.pk}/edit/", {**FORM, "phone": phone})
    assert answer.status_code == 302
    assert Place.objects.get(pk=place.pk).phone == stored
