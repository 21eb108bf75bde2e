"""社会力量办单 by a unit: an order assigned to a property company's (or a partner unit's) resource, which has no
account of its own, is taken and done by the unit's staff: they see it among the orders they do, open it, see the
address on request and report it done; the staff of another unit see nothing of it."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from linli.cobuild import services
from linli.cobuild.choices import OrderState
from linli.core.models import AuditEntry, Notification
from linli.core.roles import Role
from linli.territory import services as territory
from linli.testing import make_user, signed_in

from .conftest import World, make_resource, photo

pytestmark = pytest.mark.django_db


def _company_order(world: World):  # type: ignore[no-untyped-def]
    company = territory.organisation_create(
        actor=None, kind="property_company", name="金台物业", code="P-JT", org_node=world.cast.community
    )
    repairs = make_resource(world.cast, provider_name="金台物业", organisation=company)
    order = services.order_place(actor=world.cast.resident, item=world.repair, note="楼道灯不亮")
    services.order_assign(actor=world.cast.community_worker, order=order, provider=repairs)
    return company, order


def test_a_property_companys_staff_take_and_do_the_order_assigned_to_their_company(world: World) -> None:
    company, order = _company_order(world)
    staff = make_user("jt-staff", Role.PROPERTY_STAFF, org=company, name="孙物业")
    c = signed_in(staff)

    mine = c.get(reverse("cobuild:my_orders")).content.decode()
    assert order.number in mine  # among the orders they do as a provider
    page = c.get(reverse("cobuild:order", args=[order.pk])).content.decode()
    assert 'name="minutes"' in page  # the form to report it done
    # Its choice is named for what it asks (it read 已完成 * above 全部完成 / 部分完成, the button's word too).
    assert '<span class="field-label" id="id_fulfilment_label">完成情况</span>' in page
    assert reverse("cobuild:my_orders") + "#tasks" in page  # the way back is to the orders they do

    shown = c.post(reverse("cobuild:order_act", args=[order.pk, "reveal"])).content.decode()
    assert world.cast.household.address in shown
    assert AuditEntry.objects.filter(action="cobuild.order_contact", actor=staff).exists()

    done = c.post(
        reverse("cobuild:order_act", args=[order.pk, "fulfil"]),
        {"fulfilment": "whole", "minutes": "30", "report": "换了灯泡", "photo": photo()},
    )
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.DONE and order.events.filter(action="fulfil", actor=staff).exists()


def test_the_units_staff_are_told_of_an_order_assigned_to_their_unit(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    company = territory.organisation_create(
        actor=None, kind="property_company", name="金台物业", code="P-JT", org_node=world.cast.community
    )
    staff = make_user("jt-staff", Role.PROPERTY_STAFF, org=company)
    repairs = make_resource(world.cast, provider_name="金台物业", organisation=company)
    order = services.order_place(actor=world.cast.resident, item=world.repair, note="楼道灯不亮")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_assign(actor=world.cast.community_worker, order=order, provider=repairs)
    assert Notification.objects.filter(user=staff, title__contains="小修小补").exists()


def test_another_units_staff_neither_see_nor_do_the_order(world: World) -> None:
    _company, order = _company_order(world)
    other = territory.organisation_create(
        actor=None, kind="property_company", name="别家物业", code="P-BJ", org_node=world.cast.community
    )
    stranger = make_user("bj-staff", Role.PROPERTY_STAFF, org=other)
    c = signed_in(stranger)
    assert order.number not in c.get(reverse("cobuild:my_orders")).content.decode()
    assert c.get(reverse("cobuild:order", args=[order.pk])).status_code == 404
    assert c.post(reverse("cobuild:order_act", args=[order.pk, "reveal"])).status_code == 404


def test_a_units_staff_find_the_order_to_do_on_their_home_and_first_on_their_orders_page(
    world: World,
) -> None:
    """property1's home named only the appeals of their unit, and their orders page opened on 我的订单 (您还没有点过
    服务), an order they never place, with the order assigned to their company below it."""
    company, order = _company_order(world)
    staff = make_user("jt-staff", Role.PROPERTY_STAFF, org=company)
    c = signed_in(staff)
    home = c.get("/").content.decode()
    assert "待办服务订单" in home and f'href="{reverse("cobuild:my_orders")}"' in home

    page = c.get(reverse("cobuild:my_orders")).content.decode()
    assert "我的订单</h1>" not in page and "您还没有点过服务" not in page
    assert "<h1>作为服务方接到的订单</h1>" in page and order.number in page

    order = services.order_fulfil(actor=staff, order=order, fulfilment="whole", minutes=30, report="换了灯泡")
    assert "待办服务订单" not in c.get("/").content.decode()  # done: nothing waits


def test_a_units_staff_with_no_order_are_told_so(world: World) -> None:
    company = territory.organisation_create(
        actor=None, kind="property_company", name="金台物业", code="P-JT", org_node=world.cast.community
    )
    c = signed_in(make_user("jt-staff", Role.PROPERTY_STAFF, org=company))
    page = c.get(reverse("cobuild:my_orders")).content.decode()
    assert "还没有派给您或您单位的服务订单" in page and "您还没有点过服务" not in page


def test_a_report_of_the_service_done_refused_comes_back_with_all_it_said_and_its_photo(
    world: World, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """办单 refused (no minutes, nothing said of what is left): the page again (422), each refusal under its field,
    部分完成 still chosen and the photo taken kept on the server; sent again, the photo goes with the report.
    Before, the page came back with a message alone, 全部完成 chosen again and the photo gone without a word."""
    settings.MEDIA_ROOT = tmp_path
    company, order = _company_order(world)
    staff = make_user("jt-staff", Role.PROPERTY_STAFF, org=company, name="孙物业")
    c = signed_in(staff)
    act = reverse("cobuild:order_act", args=[order.pk, "fulfil"])

    refused = c.post(act, {"fulfilment": "part", "minutes": "", "report": "", "photo": photo("lamp.png")})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'value="part" id="id_fulfilment_1" required checked' in page
    assert 'id="id_minutes_error"' in page and 'id="id_report_error"' in page
    kept = re.search(r'name="kept_key" value="([^"]+)"', page)
    ticked = re.search(r'name="keep_photo" value="([^"]+)" checked', page)
    assert kept and ticked  # the photo shown again, ticked to go with the report

    done = c.post(
        act,
        {
            "fulfilment": "part",
            "minutes": "40",
            "report": "换了两盏灯，还有一盏缺配件",
            "kept_key": kept[1],
            "keep_photo": ticked[1],
        },
    )
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.DONE and order.fulfilment == "part" and order.photo


def test_a_units_home_says_its_part_is_the_orders_it_does_and_its_commitments(world: World) -> None:
    """A property company's staff with no order to do read that their work is the lists, the orders and the fund
    on the staff pages (a community worker's), then a button to their commitments: their part is the orders
    assigned to their unit and its commitment lists, and their list of orders says when each was ordered and by
    when one to do is due."""
    company, order = _company_order(world)
    staff = make_user("jt-staff", Role.PROPERTY_STAFF, org=company, name="孙物业")
    c = signed_in(staff)
    order = services.order_fulfil(actor=staff, order=order, fulfilment="whole", minutes=30, report="换了灯泡")

    home = c.get(reverse("cobuild:home")).content.decode()
    assert "社区基金）在工作人员页面" not in home
    assert f'href="{reverse("cobuild:my_orders")}#tasks">派给本单位的订单' in home
    assert reverse("cobuild:staff_partners") in home

    second = services.order_place(actor=world.cast.resident, item=world.repair, note="门锁坏了")
    services.order_assign(actor=world.cast.community_worker, order=second, provider=order.provider)
    second.refresh_from_db()
    mine = c.get(reverse("cobuild:my_orders")).content.decode()
    assert f"期限 <span>{second.due_at.astimezone(ZoneInfo('Asia/Shanghai')):%m-%d %H:%M}</span>" in mine
    assert f"{order.created_at.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d}" in mine
