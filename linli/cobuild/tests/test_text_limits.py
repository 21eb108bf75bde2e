"""A co-building text typed too long is refused whole, the field and its limit named, never cut; a text typed
beside a button (not on a form the page shows again) comes back to its field all the same."""

from __future__ import annotations

from typing import Any

import pytest

from linli.cobuild import services
from linli.cobuild.models import Wish
from linli.core.errors import ValidationFailed
from linli.testing.kept import kept_input, limit_given

from .conftest import World

MORE = "想要一副老花镜，看报纸和药盒上的小字用。" * 16  # 320 characters: over the 300 allowed


def test_the_wish_form_refuses_a_pasted_text_too_long_and_shows_all_of_it_again(
    world: World, client_for: Any
) -> None:
    client = client_for("resident")
    limit_given(client, "/cobuild/wishes/", "description", 300)
    page = client.post("/cobuild/wishes/", {"title": "老花镜", "description": MORE}).content.decode()
    assert "补充说明太长：最多 300 个字（您已输入 320 个字）" in page
    assert f"{MORE}</textarea>" in page
    assert not Wish.objects.exists()


def test_adopting_a_wish_refuses_a_name_too_long_and_the_page_gives_it_back(
    world: World, client_for: Any
) -> None:
    wish = services.wish_post(actor=world.cast.resident, title="想要一副老花镜", description="看报纸用")
    name = "幸福社区第一党支部志愿服务队" * 6  # 84 characters: over the 80 allowed
    with pytest.raises(ValidationFailed) as refused:
        services.wish_adopt(actor=world.provider, wish=wish, adopter_name=name)
    assert refused.value.extra["field"] == "adopter_name"
    assert "太长：最多 80 个字（您已输入 84 个字）" in str(refused.value.message)
    client = client_for("community_worker")
    limit_given(client, f"/cobuild/wishes/{wish.pk}/", "adopter_name", 80)
    back = client.post(f"/cobuild/wishes/{wish.pk}/adopt/", {"adopter_name": name}, follow=True)
    assert back.redirect_chain[-1][0] == f"/cobuild/wishes/{wish.pk}/"  # the page the name was typed on
    text = back.content.decode()
    assert "太长：最多 80 个字（您已输入 84 个字）" in text
    assert kept_input(text) == {"adopter_name": name}
    wish.refresh_from_db()
    assert wish.adopter_id is None and wish.adopter_name == ""


def test_a_need_of_too_many_households_names_the_limit_and_keeps_what_was_typed(
    world: World, client_for: Any
) -> None:
    """99999999999 households was refused with “请填写涉及户数”, as if nothing had been typed."""
    from linli.cobuild.models import Need

    client = client_for("community_worker")
    data = {"title": "楼道灯不亮", "category": "repair", "urgency": "2", "households": "99999999999"}
    page = client.post("/cobuild/staff/", {**data, "community": world.cast.community.pk}).content.decode()
    assert "一项需求最多涉及 100000 户" in page and "请填写涉及户数" not in page  # the service's words
    assert 'value="楼道灯不亮"' in page and 'value="99999999999"' in page
    assert not Need.objects.filter(title="楼道灯不亮").exists()
    with pytest.raises(ValidationFailed) as refused:
        services.need_create(
            actor=world.cast.community_worker,
            community=world.cast.community,
            title="楼道灯不亮",
            category="repair",
            households=100001,
        )
    assert refused.value.extra["field"] == "households" and "最多涉及 100000 户" in str(refused.value.message)
