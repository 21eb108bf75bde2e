"""The points store and honours on the pages and the API: a volunteer sees why an item is out of reach and
redeems; a worker records a donation, hands over, computes honours and publishes them; scope and query counts."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.volunteers.models import Honour, PointsEntry, Redemption, StoreItem
from linli.volunteers.services import store

from .conftest import World, stocked

pytestmark = pytest.mark.django_db


def test_a_volunteer_sees_why_and_redeems_on_the_page(world: World, client_for: Any) -> None:
    item = stocked(world, quantity=2)
    client = client_for("resident")
    html = client.get(reverse("volunteers:store")).content.decode()
    assert (
        'data-reason="points"' in html and f"积分不足，还差 {item.points} 分。" in html
    )  # how far, not an error
    response = client.post(reverse("volunteers:redeem", args=[item.pk]), {"balance": "0"}, follow=True)
    assert "积分不足" in response.content.decode() and not Redemption.objects.exists()
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=40, on=timezone.localdate())
    html = client.get(reverse("volunteers:store")).content.decode()
    # One tap does not spend: the form asks first, saying what it costs and what is left, and carries the points
    # the question was about.
    assert 'data-confirm="用 30 积分兑换洗衣液吗？兑换后还剩 10 积分。"' in html
    assert 'name="balance" value="40"' in html
    response = client.post(reverse("volunteers:redeem", args=[item.pk]), {"balance": "40"}, follow=True)
    assert response.status_code == 200 and Redemption.objects.count() == 1
    html = response.content.decode()
    assert 'id="redemptions"' in html and "洗衣液" in html
    redemption = Redemption.objects.get()
    client.post(reverse("volunteers:redemption_cancel", args=[redemption.pk]))
    assert store.points_balance(world.me) == 40


def test_a_redemption_sent_twice_from_the_page_redeems_once(world: World, client_for: Any) -> None:
    """A double tap on 兑换 (or the page sent again) posts the same confirmation twice: the second finds the points
    changed and redeems nothing, saying so; a post without the points it confirmed redeems nothing either."""
    item = stocked(world, points=30, quantity=5)
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=100, on=timezone.localdate())
    client = client_for("resident")
    url = reverse("volunteers:redeem", args=[item.pk])
    assert client.post(url, {"balance": "100"}).status_code == 302
    again = client.post(url, {"balance": "100"}, follow=True).content.decode()
    assert Redemption.objects.count() == 1 and store.points_balance(world.me) == 70
    assert "这次没有兑换" in again
    client.post(url, follow=True)
    assert Redemption.objects.count() == 1


def test_the_store_page_takes_a_fixed_number_of_queries(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        store.store_item_create(
            actor=world.cast.community_worker,
            community=world.cast.community,
            name=f"物品{n}",
            points=5,
            quantity=1,
        )
    client = client_for("resident")
    client.get(reverse("volunteers:store"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("volunteers:store")).status_code == 200


def test_a_worker_keeps_the_store(world: World, client_for: Any) -> None:
    client = client_for("community_worker")
    response = client.post(
        reverse("volunteers:staff_store"),
        {"community": world.cast.community.pk, "name": "大米", "points": "50", "quantity": "10"},
    )
    assert response.status_code == 302
    item = StoreItem.objects.get(name="大米")
    assert item.stock == 10
    client.post(reverse("volunteers:staff_store_donate", args=[item.pk]), {"quantity": "5"})
    item.refresh_from_db()
    assert item.stock == 15
    # A bad number keeps what was typed and says why.
    response = client.post(
        reverse("volunteers:staff_store"),
        {"community": world.cast.community.pk, "name": "食用油", "points": "0", "quantity": "3"},
    )
    assert response.status_code == 422 and 'value="食用油"' in response.content.decode()
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=60, on=timezone.localdate())
    redemption = store.redemption_create(actor=None, volunteer=world.me, item=item)
    html = client.get(reverse("volunteers:staff_store")).content.decode()
    assert "大米" in html and 'id="to-hand-over"' in html
    # Cancelling asks first (the button's question: handing over, in the same form, does not ask).
    assert 'value="cancel" data-confirm="要取消 ' in html and "并退回 50 积分吗？" in html
    client.post(reverse("volunteers:staff_redemption", args=[redemption.pk]), {"step": "hand"})
    assert Redemption.objects.get().state == "handed"
    # What was handed over says who, what and when, each under its heading (on a phone, beside its label).
    done = client.get(reverse("volunteers:staff_store")).content.decode().split('id="done"')[1]
    handed = timezone.localtime(Redemption.objects.get().handed_at).strftime("%Y-%m-%d %H:%M")
    assert "<th>领取时间</th>" in done and f'data-label="领取时间">{handed}</td>' in done
    # Another community's worker sees nothing of it.
    other = client_for("outsider")
    assert other.post(
        reverse("volunteers:staff_store_donate", args=[item.pk]), {"quantity": "1"}
    ).status_code in (
        403,
        404,
    )
    item.refresh_from_db()
    assert item.stock == 14


def test_honours_are_computed_and_published_on_the_page(world: World, client_for: Any) -> None:
    from linli.volunteers import services

    signup = services.signup_create(actor=None, volunteer=world.me, role=world.steward)
    type(signup).objects.filter(pk=signup.pk).update(state="done", hours=D(120))
    year = world.activity.shifts.get().starts_at.year
    client = client_for("community_worker")
    client.post(reverse("volunteers:staff_honours"), {"community": world.cast.community.pk, "year": year})
    honour = Honour.objects.get()
    assert honour.level == 1 and honour.state == "proposed" and honour.evidence == "累计确认服务 120 小时"
    assert "张三" in client.get(reverse("volunteers:staff_honours")).content.decode()
    client.post(
        reverse("volunteers:staff_honour_review", args=[honour.pk]), {"publish": "1", "note": "核实无误"}
    )
    assert Honour.objects.get().state == "published"
    html = client_for("resident").get(reverse("volunteers:store")).content.decode()
    assert 'id="honours"' in html and "★" in html


def test_the_store_api(world: World, client_for: Any) -> None:
    item = stocked(world, points=30, quantity=1)
    client = client_for("resident")
    rows = client.get("/api/volunteers/store").json()
    assert rows[0]["refusal"] == "points"
    url = f"/api/volunteers/store/{item.pk}/redeem"
    r = client.post(url, {"balance": 0}, content_type="application/json")
    assert (
        r.status_code == 409
        and r.json()["code"] == "redeem_refused"
        and r.json()["extra"]["reason"] == "points"
    )
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=30, on=timezone.localdate())
    # The points the volunteer confirmed against are required (422 without), as the page's form sends them.
    assert client.post(url, {}, content_type="application/json").status_code == 422
    r = client.post(url, {"balance": 30}, content_type="application/json")
    assert r.status_code == 201 and r.json()["balance"] == 0
    r = client.post(url, {"balance": 0}, content_type="application/json")
    assert r.status_code == 409 and r.json()["extra"]["reason"] == "out_of_stock"
    made = r = client.post(f"/api/volunteers/redemptions/{Redemption.objects.get().pk}/cancel")
    assert made.status_code == 200 and made.json()["state"] == "cancelled" and made.json()["balance"] == 30
    # Someone who is not a volunteer of the community cannot see the item.
    outsider = client_for("outsider").post(url, {"balance": 0}, content_type="application/json")
    assert outsider.status_code in (403, 404)


def test_a_redemption_sent_twice_through_the_api_redeems_once(world: World, client_for: Any) -> None:
    """A client that sends the same request again (a retry, a double tap) gets 409 `changed` the second time."""
    item = stocked(world, points=30, quantity=5)
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=100, on=timezone.localdate())
    client = client_for("resident")
    url = f"/api/volunteers/store/{item.pk}/redeem"
    assert client.get("/api/volunteers/me").json()["points"] == 100
    assert client.post(url, {"balance": 100}, content_type="application/json").status_code == 201
    r = client.post(url, {"balance": 100}, content_type="application/json")
    assert (
        r.status_code == 409
        and r.json()["code"] == "redeem_refused"
        and r.json()["extra"]["reason"] == "changed"
    )
    assert Redemption.objects.count() == 1 and store.points_balance(world.me) == 70


def test_the_store_api_says_how_many_points_are_missing_as_the_page_does(
    world: World, client_for: Any
) -> None:
    """The page reads 积分不足，还差 N 分。 beside an item; the API said only 积分不足。, so a phone app could not
    say how far the volunteer is from it. Now each item carries `points_short` (0 when there are enough)."""
    item = stocked(world, points=30, quantity=1)
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=12, on=timezone.localdate())
    client = client_for("resident")
    row = next(r for r in client.get("/api/volunteers/store").json() if r["id"] == item.pk)
    assert row["refusal"] == "points" and row["points_short"] == 18
    page = client.get(reverse("volunteers:store")).content.decode()
    assert "积分不足，还差 18 分。" in page
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=18, on=timezone.localdate())
    row = next(r for r in client.get("/api/volunteers/store").json() if r["id"] == item.pk)
    assert row["refusal"] is None and row["points_short"] == 0


def test_hours_and_points_lead_to_the_store_once_there_are_points(world: World, client_for: Any) -> None:
    """时长与积分 offered 使用时长 for the hours but nothing for the points: the volunteer had to know the 积分超市
    tab. Now a volunteer with points finds the way to spend them beside it."""
    client = client_for("resident")
    link = f'href="{reverse("volunteers:store")}">到积分超市兑换'
    ledger = reverse("volunteers:my_ledger")
    assert link not in client.get(ledger).content.decode()
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=40, on=timezone.localdate())
    assert link in client.get(ledger).content.decode()


def test_a_volunteer_without_points_is_told_how_to_earn_them(world: World, client_for: Any) -> None:
    """Every item of the store read 积分不足 to a volunteer with no points, and nothing said where points come from:
    the page says it, with the way to the activities; once there are points it says nothing of it."""
    stocked(world)
    client = client_for("resident")
    page = client.get(reverse("volunteers:store")).content.decode()
    assert "还没有积分：组织者确认的每一小时服务时长都会计入积分。" in page
    assert f'href="{reverse("volunteers:activities")}">找活动</a>' in page.split('id="earn"')[1]
    PointsEntry.objects.create(volunteer=world.me, kind="adjustment", points=10, on=timezone.localdate())
    assert 'id="earn"' not in client.get(reverse("volunteers:store")).content.decode()
