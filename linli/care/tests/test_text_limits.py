"""A care text typed too long is refused whole, the field and its limit named, never cut."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from linli.care import services
from linli.care.models import ChildPlace
from linli.core.errors import ValidationFailed
from linli.testing import Cast
from linli.testing.kept import limit_given

ADDRESS = "幸福社区活动中心二楼东侧" * 18  # 216 characters: over the 200 an address may have


def test_the_child_place_form_refuses_a_pasted_address_too_long_and_shows_all_of_it_again(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    client = client_for("community_worker")
    limit_given(client, "/care/children/", "address", 200)
    page = client.post(
        "/care/children/",
        {
            "community": cast.community.pk,
            "kind": "after_school",
            "name": "幸福社区四点半课堂",
            "capacity": 20,
            "address": ADDRESS,
        },
    ).content.decode()
    assert "地址太长：最多 200 个字（您已输入 216 个字）" in page
    assert f'value="{ADDRESS}"' in page
    assert not ChildPlace.objects.exists()


def test_opening_a_child_place_refuses_opening_hours_too_long_rather_than_cutting_them(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.child_place_create(
            actor=cast.community_worker,
            community=cast.community,
            kind="after_school",
            name="幸福社区四点半课堂",
            capacity=20,
            hours="周一至周五 16:30-18:30，" * 4,  # 72 characters: over the 60 the hours may have
        )
    assert refused.value.extra["field"] == "hours"
    assert str(refused.value.message) == "开放时间太长：最多 60 个字（您已输入 72 个字）。"
    assert not ChildPlace.objects.exists()
