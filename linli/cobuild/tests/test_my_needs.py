"""A resident follows the needs they raised ("my needs"); the staff's order board says an order waiting for the
resident's rating is late on the resident's side, not the staff's."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import User
from linli.cobuild import services
from linli.cobuild.models import Need, Order
from linli.core.models import Notification
from linli.core.roles import Role

from .conftest import World

pytestmark = pytest.mark.django_db


def _neighbour(world: World) -> User:
    """Another verified resident of the same community."""
    return User.objects.create_user(
        username="neighbour",
        password="linli-test-Pa55",
        role=Role.RESIDENT,
        household=world.cast.household,
        household_verified_at=timezone.now(),
    )


def test_after_raising_a_need_the_resident_lands_on_its_page_and_finds_it_in_my_needs(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    c = client_for("resident")
    r = c.post(reverse("cobuild:need_new"), {"title": "楼道灯坏了", "category": "repair", "urgency": "2"})
    need = Need.objects.get()
    assert r.status_code == 302 and r.url == reverse("cobuild:my_need", args=[need.pk])
    page = c.get(r.url).content.decode()
    assert "楼道灯坏了" in page and "社区正在寻找能帮忙的单位、组织或邻居" in page
    mine = c.get(reverse("cobuild:my_needs")).content.decode()
    assert reverse("cobuild:my_need", args=[need.pk]) in mine
    # The tab's page and the home show it too.
    assert reverse("cobuild:my_need", args=[need.pk]) in c.get(reverse("cobuild:need_new")).content.decode()
    assert reverse("cobuild:my_need", args=[need.pk]) in c.get(reverse("cobuild:home")).content.decode()


def test_a_resident_sees_what_became_of_their_needs_and_not_another_s(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    resident = world.cast.resident
    with django_capture_on_commit_callbacks(execute=True):
        _raise_and_settle(world)
    matched, closed, met = Need.objects.filter(raised_by=resident).order_by("pk")
    theirs = services.need_raise(actor=_neighbour(world), title="邻居的需求", category="repair")
    _check(world, client_for, matched, closed, met, theirs)


def _raise_and_settle(world: World) -> None:
    resident, cw = world.cast.resident, world.cast.community_worker
    matched = services.need_raise(actor=resident, title="水管漏水", category="repair")
    closed = services.need_raise(actor=resident, title="想装座椅", category="repair")
    met = services.need_raise(actor=resident, title="楼道灯", category="repair")
    services.match_confirm(actor=cw, need=matched, resource=world.plumber)
    services.need_close(actor=cw, need=closed, reason="已由物业另行处理")
    m = services.match_confirm(actor=cw, need=met, resource=world.far_plumber)
    project = services.project_create(
        actor=cw, community=world.cast.community, title="楼道亮灯工程", budget="100", matches=[m]
    )
    services.project_progress(actor=cw, project=project, progress=100)


def _check(world: World, client_for, matched: Need, closed: Need, met: Need, theirs: Need) -> None:  # type: ignore[no-untyped-def]
    resident = world.cast.resident
    c = client_for("resident")
    listing = c.get(reverse("cobuild:my_needs")).content.decode()
    for need in (matched, closed, met):
        assert reverse("cobuild:my_need", args=[need.pk]) in listing
    assert "邻居的需求" not in listing
    assert "赵师傅" in listing and "已由物业另行处理" in listing and "楼道亮灯工程" in listing
    assert all(s in listing for s in ("已匹配", "已满足"))
    page = c.get(reverse("cobuild:my_need", args=[met.pk])).content.decode()
    assert "楼道亮灯工程" in page and "100%" in page and "远方维修" in page
    assert "已由物业另行处理" in c.get(reverse("cobuild:my_need", args=[closed.pk])).content.decode()
    assert c.get(reverse("cobuild:my_need", args=[theirs.pk])).status_code == 404
    # Told of the match, the closing and the meeting, each leading to the need's own page.
    urls = set(Notification.objects.filter(user=resident).values_list("url", flat=True))
    assert {reverse("cobuild:my_need", args=[n.pk]) for n in (matched, closed, met)} <= urls


def test_my_needs_take_a_fixed_number_of_queries(
    world: World, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(6):
        n = services.need_raise(actor=world.cast.resident, title=f"需求{i}", category="repair")
        if i % 2:
            services.match_confirm(actor=world.cast.community_worker, need=n, resource=world.plumber)
    c = client_for("resident")
    c.get(reverse("cobuild:my_needs"))
    with django_assert_max_num_queries(12):
        assert c.get(reverse("cobuild:my_needs")).status_code == 200


def test_an_order_waiting_for_the_rating_past_its_period_is_not_marked_late_for_the_staff(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    cw = world.cast.community_worker
    rated_late = services.order_place(actor=world.cast.resident, item=world.repair, note="等评价")
    services.order_assign(actor=cw, order=rated_late, provider=world.plumber)
    services.order_fulfil(
        actor=world.provider, order=rated_late, fulfilment="whole", minutes=30, report="好了"
    )
    waiting = services.order_place(actor=world.cast.resident, item=world.repair, note="等接单的")
    past = timezone.now() - timezone.timedelta(days=10)
    Order.objects.filter(pk=rated_late.pk).update(breached_at=past, due_at=past)
    rated_late.refresh_from_db()
    page = client_for("community_worker").get(reverse("cobuild:staff_orders")).content.decode()
    row = re.search(rf"{rated_late.number}.*?</tr>", page, re.S)
    assert row is not None
    assert "cb-late" not in row.group(0) and "超时" not in row.group(0) and "待居民评价" in row.group(0)
    # The staff's own open orders come first.
    assert page.index(waiting.number) < page.index(rated_late.number)
    order_page = client_for("resident").get(reverse("cobuild:order", args=[rated_late.pk])).content.decode()
    assert "已超时" not in order_page
