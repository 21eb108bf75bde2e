"""The API beyond orders: the service menu, closing a need, projects' milestones, partner units' commitment
lists, the quarter's service stars (review, publish, public read), and the fund's statement for any period, which
always reconciles (opening + in − out = closing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from linli.cobuild import services
from linli.cobuild.choices import NeedState
from linli.cobuild.models import Commitment, Milestone, ServiceItem
from linli.testing import at

from .conftest import LAT, LNG, World, lamps_asked, photo
from .test_partners import _rated_orders, pairing, project

pytestmark = pytest.mark.django_db
J = "application/json"


def test_api_service_menu_list_add_withdraw(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    cw = client_for("community_worker")
    community = world.cast.community.pk
    assert {i["name"] for i in cw.get("/api/cobuild/menu").json()["items"]} == {"小修小补", "理发"}
    r = cw.post(
        "/api/cobuild/menu", {"community_id": community, "name": "义诊", "category": "x"}, content_type=J
    )
    assert r.status_code == 422 and r.json()["extra"]["field"] == "category"  # the service's own check
    r = cw.post(
        "/api/cobuild/menu",
        {"community_id": community, "name": "理发", "category": "haircut"},
        content_type=J,
    )
    assert r.status_code == 422  # on the menu already
    r = cw.post(
        "/api/cobuild/menu",
        {"community_id": world.cast.other_community.pk, "name": "义诊", "category": "haircut"},
        content_type=J,
    )
    # Not a community of my area: the field that names it is refused (it was a 404, as if the URL were wrong).
    assert r.status_code == 422 and list(r.json()["extra"]["fields"]) == ["community_id"]
    r = cw.post(
        "/api/cobuild/menu",
        {"community_id": community, "name": "助浴", "category": "haircut"},
        content_type=J,
    )
    assert r.status_code == 201
    item_id = r.json()["id"]
    assert "助浴" in {i["name"] for i in client_for("resident").get("/api/cobuild/menu").json()["items"]}
    assert client_for("resident").post(f"/api/cobuild/menu/{item_id}/withdraw").status_code == 403
    assert cw.post(f"/api/cobuild/menu/{item_id}/withdraw").status_code == 200
    assert not ServiceItem.objects.get(pk=item_id).active
    assert "助浴" not in {i["name"] for i in cw.get("/api/cobuild/menu").json()["items"]}
    assert client_for("outsider").get("/api/cobuild/menu").json() == {"count": 0, "items": []}


def test_api_need_close_with_a_reason(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    need = services.need_create(
        actor=None, community=world.cast.community, title="路灯不亮", category="repair", lng=LNG, lat=LAT
    )
    cw = client_for("community_worker")
    r = cw.post(f"/api/cobuild/needs/{need.pk}/close", {"reason": ""}, content_type=J)
    assert r.status_code == 422
    need.refresh_from_db()
    assert need.state == NeedState.OPEN  # nothing lost
    assert (
        client_for("resident")
        .post(f"/api/cobuild/needs/{need.pk}/close", {"reason": "x"}, content_type=J)
        .status_code
        == 403
    )
    r = cw.post(f"/api/cobuild/needs/{need.pk}/close", {"reason": "已由街道统一维修"}, content_type=J)
    assert r.status_code == 200 and r.json()["state"] == NeedState.CLOSED


def test_api_milestones_list_add_reach_with_photo(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    p, _n = project(world)
    cw = client_for("community_worker")
    url = f"/api/cobuild/projects/{p.pk}/milestones"
    assert cw.post(url, {"title": "", "due_on": "2026-12-31"}, content_type=J).status_code == 422
    r = cw.post(url, {"title": "选材", "due_on": "2026-12-31"}, content_type=J)
    assert r.status_code == 201
    mid = r.json()["id"]
    cw.post(url, {"title": "施工", "due_on": "2027-01-31"}, content_type=J)
    assert [m["title"] for m in cw.get(url).json()] == ["选材", "施工"]
    assert client_for("resident").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404  # staff of another area
    r = cw.post(f"{url}/{mid}/reach", {"note": ""})
    assert r.status_code == 422 and Milestone.objects.get(pk=mid).done_on is None
    r = cw.post(f"{url}/{mid}/reach", {"note": "管材到货", "photo": photo()})
    assert r.status_code == 200 and r.json()["done_on"]
    # The photo's address is served (to anyone, as on the public page), the PNG itself.
    shown = Client().get(r.json()["photo"])
    assert shown.status_code == 200 and b"".join(shown.streaming_content).startswith(b"\x89PNG")
    p.refresh_from_db()
    assert p.progress == 50
    assert cw.post(f"{url}/{mid}/reach", {"note": "again"}).status_code == 409


def test_api_commitment_lists_add_and_keep(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    pu = pairing(world)
    cw = client_for("community_worker")
    year = timezone.localdate().year
    r = cw.post("/api/cobuild/commitments", {"pairing_id": pu.pk}, content_type=J)
    assert r.status_code == 422 and Commitment.objects.count() == 0  # a line says what is promised
    other = services.need_create(
        actor=None, community=world.cast.other_community, title="别处", category="repair"
    )
    r = cw.post("/api/cobuild/commitments", {"pairing_id": pu.pk, "need_id": other.pk}, content_type=J)
    assert r.status_code in (404, 422)
    r = cw.post(
        "/api/cobuild/commitments", {"pairing_id": pu.pk, "title": "每季度一次安全用电讲座"}, content_type=J
    )
    assert r.status_code == 201 and r.json()["done_on"] is None
    cid = r.json()["id"]
    rows = cw.get(f"/api/cobuild/commitments?year={year}").json()
    assert rows[0]["partner"] == "区供电公司" and rows[0]["total"] == 1 and rows[0]["done"] == 0
    assert client_for("resident").get("/api/cobuild/commitments").status_code == 403
    assert cw.post(f"/api/cobuild/commitments/{cid}/fulfil", {"note": ""}, content_type=J).status_code == 422
    r = cw.post(f"/api/cobuild/commitments/{cid}/fulfil", {"note": "3月已讲"}, content_type=J)
    assert r.status_code == 200 and r.json()["done_on"]
    assert cw.get(f"/api/cobuild/commitments?year={year}").json()[0]["done"] == 1
    assert cw.post(f"/api/cobuild/commitments/{cid}/fulfil", {"note": "x"}, content_type=J).status_code == 409


def test_api_service_stars_review_publish_and_public_read(world: World, client_for, client) -> None:  # type: ignore[no-untyped-def]
    community = world.cast.community
    with time_machine.travel(at(2026, 5, 12, 10), tick=False):
        _rated_orders(world, world.plumber, [5, 5])
        _rated_orders(world, world.far_plumber, [4, 5, 4])
    with time_machine.travel(at(2026, 7, 2, 10), tick=False):
        cw = client_for("community_worker")
        r = cw.get(f"/api/cobuild/stars/review?community_id={community.pk}&quarter=2026-05-01")
        assert r.status_code == 200
        body = r.json()
        assert body["quarter_start"] == "2026-04-01" and body["quarter_end"] == "2026-06-30"
        assert [c["name"] for c in body["candidates"]] == ["赵师傅", "远方维修"] and not body["published"]
        assert (
            client_for("resident")
            .get(f"/api/cobuild/stars/review?community_id={community.pk}&quarter=2026-05-01")
            .status_code
            == 403
        )
        pub = f"/api/cobuild/public/{community.code}/stars"
        assert client.get(pub).json() == []  # computed, not yet published

        def publish(why_left_out: str) -> Any:
            body = {
                "community_id": community.pk,
                "quarter_start": "2026-04-01",
                "left_out": {world.far_plumber.pk: why_left_out},
            }
            return cw.post("/api/cobuild/stars/publish", body, content_type=J)

        assert publish("").status_code == 422  # leaving out needs a reason
        r = publish("有一单投诉在核实")
        assert r.status_code == 201 and [s["name"] for s in r.json()["stars"]] == ["赵师傅"]
        r = cw.post(
            "/api/cobuild/stars/publish",
            {"community_id": community.pk, "quarter_start": "2026-04-01"},
            content_type=J,
        )
        assert r.status_code == 409
        public = client.get(pub)
        assert public.status_code == 200
        assert [s["name"] for s in public.json()[0]["stars"]] == ["赵师傅"]
        assert "有一单投诉在核实" not in public.content.decode()
        assert cw.get(f"/api/cobuild/stars/review?community_id={community.pk}&quarter=2026-05-01").json()[
            "published"
        ]
    assert client.get("/api/cobuild/public/nowhere/stars").status_code == 404


def test_a_statement_for_any_period_reconciles(world: World, client) -> None:  # type: ignore[no-untyped-def]
    cw = world.cast.community_worker
    community = world.cast.community
    incomes = [
        (dt.date(2026, 1, 10), "1000.00"),
        (dt.date(2026, 3, 15), "500.00"),
        (dt.date(2026, 5, 20), "200.00"),
    ]
    with time_machine.travel(at(2026, 6, 30, 10), tick=False):
        for day, amount in incomes:
            services.income_record(
                actor=cw,
                community=community,
                source="阳光物业",
                amount=Decimal(amount),
                income_kind="donation_money",
                memo="捐赠",
                occurred_on=day,
            )
        p = services.project_create(actor=cw, community=community, title="楼道照明改造", budget="1500")
        payment = lamps_asked(world.cast, p, "300")
        services.payment_approve(actor=world.cast.street_officer, payment=payment)
        services.payment_approve(actor=world.cast.admin, payment=payment)
        url = f"/api/cobuild/fund/{community.code}/statement"
        s = client.get(f"{url}?date_from=2026-03-01&date_to=2026-06-30").json()
        assert (s["opening"], s["income_total"], s["spending_total"], s["closing"]) == (
            "1000.00",
            "700.00",
            "300.00",
            "1400.00",
        )
        assert s["year"] is None and s["date_to"] == "2026-06-30"
        one_day = client.get(f"{url}?date_from=2026-03-15&date_to=2026-03-15").json()
        assert (one_day["opening"], one_day["closing"]) == ("1000.00", "1500.00")
        assert client.get(f"{url}?year=2026").json()["closing"] == "1400.00"
        first = dt.date(2026, 1, 1)
        for a in range(0, 181, 17):
            for length in (0, 9, 40, 120):
                start = first + dt.timedelta(days=a)
                end = start + dt.timedelta(days=length)
                st = client.get(f"{url}?date_from={start}&date_to={end}").json()
                assert Decimal(st["opening"]) + Decimal(st["income_total"]) - Decimal(
                    st["spending_total"]
                ) == Decimal(st["closing"])
                later = client.get(f"{url}?date_from={end + dt.timedelta(days=1)}&date_to=2026-12-31").json()
                assert later["opening"] == st["closing"]  # the periods chain
        bad = client.get(f"{url}?date_from=2026-05-01&date_to=2026-04-01")
        assert bad.status_code == 422 and bad.json()["extra"]["field"] == "date_to"
        assert client.get(f"{url}?date_from=2026-05-01").status_code == 422
        page = client.get(f"/cobuild/public/{community.code}/?from=2026-03-01&to=2026-06-30").content.decode()
        assert "2026-03-01" in page and "1,400.00" in page
        page = client.get(f"/cobuild/public/{community.code}/?from=2026-05-01&to=2026-04-01").content.decode()
        assert 'role="alert"' in page  # a clear message, and the year's statement instead


def test_a_statement_for_a_month_or_a_quarter_with_the_projects_accounts(
    world: World, client, client_for
) -> None:  # type: ignore[no-untyped-def]
    """The API, the public page and the staff's fund page take the same periods (one parser), and show each
    project's account."""
    cw = world.cast.community_worker
    community = world.cast.community
    with time_machine.travel(at(2026, 6, 30, 10), tick=False):
        services.income_record(
            actor=cw, community=community, source="阳光物业", amount="900", income_kind="parking", memo="停车",
            occurred_on=dt.date(2026, 2, 3),
        )  # fmt: skip
        p = services.project_create(actor=cw, community=community, title="口袋公园", budget="800")
        services.project_allocate(actor=world.cast.street_officer, project=p, amount="500", memo="首期")
        url = f"/api/cobuild/fund/{community.code}/statement"
        q1 = client.get(f"{url}?year=2026&quarter=1").json()
        assert (q1["date_from"], q1["date_to"], q1["income_total"]) == ("2026-01-01", "2026-03-31", "900.00")
        assert [(r["allocated"], r["closing"]) for r in q1["projects"]] == [("0.00", "0.00")]
        june = client.get(f"{url}?month=2026-06").json()
        assert (june["date_from"], june["date_to"], june["opening"], june["closing"]) == (
            "2026-06-01",
            "2026-06-30",
            "900.00",
            "400.00",
        )
        (row,) = june["projects"]
        assert (row["title"], row["allocated"], row["spent"], row["closing"]) == (
            "口袋公园",
            "500.00",
            "0.00",
            "500.00",
        )
        assert client.get(f"{url}?month=2026-13").status_code == 422
        assert client.get(f"{url}?year=2026&quarter=5").json()["extra"]["field"] == "quarter"
        assert client.get(f"{url}?month=2027-01").status_code == 422  # not yet begun
        public = client.get(f"/cobuild/public/{community.code}/?year=2026&quarter=2").content.decode()
        assert "2026-04-01" in public and "2026-06-30" in public and "口袋公园" in public
        staff = client_for("community_worker")
        page = staff.get(f"/cobuild/staff/fund/?community={community.pk}&month=2026-02").content.decode()
        assert "2026-02-01" in page and "2026-02-28" in page and "900.00" in page
        page = staff.get(f"/cobuild/staff/fund/?community={community.pk}&month=feb").content.decode()
        assert 'role="alert"' in page


def test_api_taking_an_order_without_a_provider_of_it_is_said_on_the_field(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    order = services.order_place(actor=world.cast.resident, item=world.repair, note="灯坏了")
    cw = client_for("community_worker")
    url = f"/api/cobuild/orders/{order.pk}/assign"
    for body in ({}, {"provider_id": world.barber.pk}):  # none named; a barber for a repair
        r = cw.post(url, body, content_type=J)
        assert r.status_code == 422, r.content
        assert r.json()["extra"]["fields"] == {"provider_id": "请选择本社区提供该服务的服务方。"}
        assert r.json()["message"] == "请求数据无效：provider_id：请选择本社区提供该服务的服务方。"
    r = cw.post(url, {"provider_id": world.plumber.pk}, content_type=J)
    assert r.status_code == 200 and r.json()["provider"] == "赵师傅"
