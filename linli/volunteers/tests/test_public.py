"""The public pages of a community: its calendar of open activities, its past activities with how many served,
its published honours; open to anyone, a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from linli.volunteers.models import Honour

from .conftest import World, at
from .test_bank import serve

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_calendar_the_past_and_the_honours(
    world: World, django_assert_max_num_queries: Any
) -> None:
    serve(world)
    Honour.objects.create(
        volunteer=world.me, kind="star_volunteer", year=2026, level=1, evidence="x", state="published"
    )
    Honour.objects.create(
        volunteer=world.other, kind="star_volunteer", year=2026, level=2, evidence="y"
    )  # not reviewed
    url = reverse("volunteers:public_community", args=[world.cast.community.code])
    client = Client()
    with time_machine.travel(at(1)):
        html = client.get(url).content.decode()
        assert "社区环境整治" in html and 'id="calendar"' in html
    with time_machine.travel(at(3)), django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    past = html.split('id="past"')[1]
    assert "社区环境整治" in past and "1 名志愿者服务 2 小时" in past
    honours = html.split('id="honours"')[1].split("</section>")[0]
    assert "张三" in honours and "王医生" not in honours
    assert client.get(reverse("volunteers:public_community", args=["nope"])).status_code == 404
    assert world.cast.community.name in client.get(reverse("volunteers:public_communities")).content.decode()
