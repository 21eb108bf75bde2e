"""Lists that go on: a resident's orders and wishes, a provider's orders, the published projects and payments, and
the API's lists reach their last row a page further, instead of stopping at 20, 30, 50 or 200 without a word.
Where a page has two lists, each has its own parameter, so moving through one keeps the other where it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.cobuild import services
from linli.cobuild.views import mine, public

from .conftest import World, fund_with, make_resource
from .test_fund import pay, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mine, "ROWS_PER_PAGE", 2, raising=False)
    monkeypatch.setattr(public, "PROJECTS_PER_PAGE", 2, raising=False)
    monkeypatch.setattr(public, "PAYMENTS_PER_PAGE", 2, raising=False)


def test_my_orders_and_the_orders_i_provide_page_each_on_their_own(
    world: World, client_for, two_a_page
) -> None:  # type: ignore[no-untyped-def]
    """The cast's resident is a handyman too: three orders of their own, three assigned to them."""
    handyman = make_resource(world.cast, provider_name="王师傅", provider_kind="skilled_resident")
    handyman.account = world.cast.resident
    handyman.save(update_fields=["account"])
    mine_ = [
        services.order_place(actor=world.cast.resident, item=world.repair, note=f"第{i}单") for i in range(3)
    ]
    for o in mine_:
        services.order_assign(actor=world.cast.community_worker, order=o, provider=handyman)
    c = client_for("resident")
    first = c.get(reverse("cobuild:my_orders"), {"tasks": 2}).content.decode()
    # The first (newest) two of my orders; the tasks' second page, its oldest order, kept.
    assert mine_[2].number in first and mine_[1].number in first
    assert 'href="?tasks=2&amp;orders=2#orders"' in first
    assert 'href="?tasks=1#tasks"' in first  # the tasks' way back
    second = c.get(reverse("cobuild:my_orders"), {"tasks": 2, "orders": 2}).content.decode()
    assert "第 2 / 2 页，共 3 条" in second
    assert second.count(f"{mine_[0].number}") == 2  # the oldest, in both lists' second pages
    # The home page's few assigned orders lead to all of them.
    home = c.get(reverse("cobuild:home")).content.decode()
    assert f'href="{reverse("cobuild:my_orders")}#tasks">全部派给我的订单' in home


def test_the_wishes_lists_reach_their_last_wish(world: World, client_for, two_a_page) -> None:  # type: ignore[no-untyped-def]
    titles = [f"心愿{i}号" for i in range(3)]
    wishes = [services.wish_post(actor=world.cast.resident, title=t, description="想要") for t in titles]
    for w in wishes:
        services.wish_adopt(actor=world.cast.grid_worker, wish=w)
    resident = client_for("resident").get(reverse("cobuild:wishes")).content.decode()
    assert "心愿0号" not in resident and 'href="?mine=2#mine"' in resident
    assert "心愿0号" in client_for("resident").get(reverse("cobuild:wishes"), {"mine": 2}).content.decode()
    adopter = client_for("grid_worker")
    assert "心愿0号" not in adopter.get(reverse("cobuild:wishes")).content.decode()
    assert "心愿0号" in adopter.get(reverse("cobuild:wishes"), {"adopted": 2}).content.decode()


def test_wishes_open_to_adopt_page_too(world: World, client_for, two_a_page) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        services.wish_post(actor=world.cast.resident, title=f"心愿{i}号", description="想要")
    adopter = client_for("grid_worker")
    first = adopter.get(reverse("cobuild:wishes")).content.decode()
    assert "心愿0号" not in first and 'href="?open=2#open"' in first
    assert "心愿0号" in adopter.get(reverse("cobuild:wishes"), {"open": 2}).content.decode()


def test_the_published_projects_and_payments_page_each_on_their_own(world: World, client, two_a_page) -> None:  # type: ignore[no-untyped-def]
    fund_with(world.cast)
    projects = [project(world, budget="500") for _ in range(3)]
    for n, p in enumerate(projects):
        p.title = f"项目{n}号"
        p.save(update_fields=["title"])
    for amount in ("101", "102", "103"):
        pay(world, projects[0], amount)
    url = reverse("cobuild:public", args=[world.cast.community.code])
    first = client.get(url, {"payments": 2}).content.decode()
    assert "项目0号" not in first.split('id="statement"')[0]
    assert 'href="?payments=2&amp;projects=2#projects"' in first
    assert "101.00" in first and "103.00" not in first  # the payments' second page: the first paid
    second = client.get(url, {"projects": 2}).content.decode()
    assert (
        "项目0号" in second and "103.00" in second and 'href="?projects=2&amp;payments=2#payments"' in second
    )


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/api/cobuild/orders", "community_worker"),
        ("/api/cobuild/needs", "community_worker"),
        ("/api/cobuild/wishes", "community_worker"),
        ("/api/cobuild/menu", "resident"),
    ],
)
def test_the_api_lists_page_to_their_last_row(world: World, client_for, path: str, who: str) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        services.order_place(actor=world.cast.resident, item=world.repair, note=f"第{i}单")
        services.need_raise(actor=world.cast.resident, title=f"需求{i}", category="repair")
        services.wish_post(actor=world.cast.resident, title=f"心愿{i}")
    services.service_item_create(
        actor=world.cast.community_worker, community=world.cast.community, name="助浴", category="elderly"
    )
    c = client_for(who)
    every = c.get(path, {"limit": 200}).json()
    assert every["count"] == len(every["items"]) == 3
    first, last = c.get(path, {"limit": 2}).json(), c.get(path, {"limit": 2, "offset": 2}).json()
    assert first["count"] == last["count"] == 3 and len(first["items"]) == 2
    assert [r["id"] for r in first["items"] + last["items"]] == [r["id"] for r in every["items"]]
    assert c.get(path, {"limit": 2**40}).status_code == 422  # beyond a column: refused, not a 500
