"""An order's page on a phone, as the community worker who opened it from the order board: the way back to the board
(← 服务订单) and the resident's number shown once the address is asked for are each 44 px high to tap (they were 19
and 21 px, under the rule of web/tests/test_browser_phone_targets.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.testing.browser import short_targets

from .conftest import cast_with_a_verified_resident, shot, signed_in_context

pytestmark = pytest.mark.browser


def test_the_way_back_and_the_number_to_call_are_44_px_high(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    from linli.cobuild import services
    from linli.cobuild.models import ServiceItem

    cast = cast_with_a_verified_resident()
    repair = ServiceItem.objects.create(community=cast.community, name="小修小补", category="repair")
    order = services.order_place(actor=cast.resident, item=repair, note="卫生间灯不亮")
    page = signed_in_context(browser, "phone", cast.community_worker, live_server.url).new_page()
    page.goto(live_server.url + reverse("cobuild:order", args=[order.pk]))
    back = f"main a[href='{reverse('cobuild:staff_orders')}']"
    assert page.locator(back).count() == 1
    page.get_by_role("button", name="查看地址和电话（留痕）").click()
    number = "main .cb-contact a[href^='tel:']"
    page.locator(number).wait_for()
    shot(page, "cobuild-order-back-phone")
    assert short_targets(page, f"{back}, {number}") == []
