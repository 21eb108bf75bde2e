"""A volunteers text typed too long is refused whole, the field and its limit named, never cut; a note typed beside
a button comes back to its field."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from linli.testing.kept import kept_input, limit_given
from linli.volunteers.models import Honour, VolunteerTeam

from .conftest import World

ABOUT = (
    "组织社区党员志愿者开展楼道清理、关爱独居老人和防汛值守。" * 19
)  # 532 characters: over the 500 allowed
NOTE = "照片里有未成年人，监护人尚未同意公开，请先取得书面同意。" * 8  # 224 characters: over the 200 allowed


def test_the_team_form_refuses_a_pasted_description_too_long_and_shows_all_of_it_again(
    world: World, client_for: Any
) -> None:
    client = client_for("community_worker")
    limit_given(client, "/volunteers/staff/teams/", "description", 500)
    teams = VolunteerTeam.objects.count()
    page = client.post(
        "/volunteers/staff/teams/",
        {"community": world.cast.community.pk, "name": "党员先锋队", "colour": "red", "description": ABOUT},
    ).content.decode()
    assert "队伍简介太长：最多 500 个字（您已输入 532 个字）" in page
    assert f"{ABOUT}</textarea>" in page
    assert VolunteerTeam.objects.count() == teams


def test_a_review_note_too_long_is_refused_whole_and_given_back(world: World, client_for: Any) -> None:
    honour = Honour.objects.create(
        volunteer=world.me,
        kind="star_volunteer",
        level=2,
        year=timezone.localdate().year,
        evidence="320 小时",
    )
    client = client_for("community_worker")
    limit_given(client, "/volunteers/staff/honours/", "note", 200)
    back = client.post(
        f"/volunteers/staff/honours/{honour.pk}/review/", {"publish": "0", "note": NOTE}, follow=True
    )
    text = back.content.decode()
    assert "备注太长：最多 200 个字（您已输入 224 个字）" in text
    assert kept_input(text) == {"publish": "0", "note": NOTE}
    honour.refresh_from_db()
    assert honour.state == "proposed" and honour.review_note == ""
