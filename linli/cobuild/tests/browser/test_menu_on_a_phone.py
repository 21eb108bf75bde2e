"""The service menu on a phone: every service's card fills its column, however short its description (a card
with a short one stood narrower than its neighbours)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from .conftest import cast_with_a_verified_resident, shot, signed_in_context

pytestmark = pytest.mark.browser

CARD_WIDTHS = "[...document.querySelectorAll('.cb-menu li label')].map(l => l.getBoundingClientRect().width)"


def test_every_menu_card_fills_its_column(live_server: Any, transactional_db: None, browser: Any) -> None:
    from linli.cobuild.models import ServiceItem

    cast = cast_with_a_verified_resident()
    for name, category, description in [
        ("助浴", "elderly", "失能老人助浴"),
        ("家政", "housekeeping", "保洁"),
        ("义诊", "health", "量血压、测血糖、健康咨询"),
        ("理发", "haircut", "上门理发"),
    ]:
        ServiceItem.objects.create(
            community=cast.community, name=name, category=category, description=description
        )
    page = signed_in_context(browser, "phone", cast.resident, live_server.url).new_page()
    page.goto(live_server.url + reverse("cobuild:home"))
    shot(page, "cobuild-menu-phone")
    widths = page.evaluate(CARD_WIDTHS)
    assert len(widths) == 4 and max(widths) - min(widths) < 1, widths
