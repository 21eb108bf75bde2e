"""The volunteering API: sign-up refusals as 409 with a stable code and reason, check-in, confirming hours,
transfers (many-to-one), scope and query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.volunteers import services

from .conftest import LAT, LNG, World, at, make_activity

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/volunteers{url}", json.dumps(data or {}), content_type="application/json")


def test_a_volunteer_signs_up_and_a_refusal_says_why(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("resident")
    assert [a["title"] for a in client.get("/api/volunteers/activities").json()["items"]] == ["社区环境整治"]
    activity = client.get(f"/api/volunteers/activities/{world.activity.pk}").json()
    roles = {r["name"]: r for r in activity["shifts"][0]["roles"]}
    assert roles["引导员"]["refusal"] is None and roles["急救员"]["refusal"] == "lacks_certificate"
    made = post(client, f"/roles/{world.steward.pk}/signups")
    assert made.status_code == 201 and made.json()["state"] == "confirmed"
    again = post(client, f"/roles/{world.steward.pk}/signups")
    assert again.status_code == 409
    assert again.json()["code"] == "signup_refused" and again.json()["extra"]["reason"] == "already"
    other = make_activity(world.cast, title="敬老院陪伴", starts=at(2, 10), roles=[("陪伴员", 5, "")])
    overlap = post(client, f"/roles/{other.shifts.get().roles.get().pk}/signups")
    assert overlap.status_code == 409 and overlap.json()["extra"]["reason"] == "overlap"
    assert "同一时间" in overlap.json()["message"]


def test_full_role_and_waiting_list(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    services.signup_create(actor=None, volunteer=world.other, role=world.medic)
    services.volunteer_update(
        actor=None, volunteer=world.me, skills="", certificates=["first_aid"], availability=""
    )
    client = client_for("resident")
    full = post(client, f"/roles/{world.medic.pk}/signups")
    assert full.status_code == 409 and full.json()["extra"]["reason"] == "full"
    waiting = post(client, f"/roles/{world.medic.pk}/signups", {"wait": True})
    assert waiting.status_code == 201 and waiting.json()["state"] == "waiting"


def test_check_in_confirm_and_ledger(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    post(client_for("resident"), f"/roles/{world.steward.pk}/signups")
    token = world.activity.token
    with time_machine.travel(at(2, 9)):
        client = client_for("resident")
        far = post(client, f"/check-in/{token}", {"lng": LNG + 0.02, "lat": LAT})
        assert far.status_code == 422 and far.json()["extra"]["field"] == "location"
        made = post(client, f"/check-in/{token}", {"lng": LNG, "lat": LAT})
        assert made.json()["state"] == "checked_in"
    with time_machine.travel(at(2, 11)):
        client = client_for("resident")
        assert (
            post(client, f"/check-in/{token}", {"lng": LNG, "lat": LAT, "step": "out"}).json()["state"]
            == "checked_out"
        )
        signup_id = made.json()["id"]
        assert post(client, f"/signups/{signup_id}/confirm", {"hours": "2"}).status_code == 403  # not staff
        staff = client_for("community_worker")
        done = post(staff, f"/signups/{signup_id}/confirm", {"hours": "2"})
        assert done.status_code == 200 and done.json()["state"] == "done"
        me = client.get("/api/volunteers/me").json()
        assert me["balance"] == "2.00" and me["points"] > 0
        movements = client.get(f"/api/volunteers/accounts/{me['account_id']}/movements").json()["items"]
        assert movements[0]["amount"] == "2.00" and movements[0]["counterparts"][0]["name"].endswith(
            "时间银行"
        )


def transfer(client: Any, *legs: tuple[Any, str], category: str = "gift", note: str | None = None) -> Any:
    """POST /transfers with one leg per (account, hours), each giving leg with its balance now."""
    for a, _h in legs:
        a.refresh_from_db()
    body: dict[str, Any] = {
        "legs": [{"account_id": a.pk, "hours": h, "balance": str(a.balance)} for a, h in legs],
        "category": category,
    }
    if note is not None:
        body["note"] = note
    return post(client, "/transfers", body)


def test_transfers_many_to_one_and_their_rights(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    bank = services.community_bank(world.cast.community)
    a, b = world.me.bank_account, world.other.bank_account
    staff = client_for("community_worker")
    made = transfer(staff, (bank, "-4"), (a, "2"), (b, "2"))
    assert made.status_code == 201 and len(made.json()["legs"]) == 3
    many_to_one = transfer(staff, (a, "-1"), (b, "-1"), (bank, "2"), category="elder_care", note="共同捐赠")
    assert many_to_one.status_code == 201
    # The resident may give from their own account only.
    resident = client_for("resident")
    assert transfer(resident, (a, "-1"), (b, "1")).status_code == 201
    assert transfer(resident, (b, "-1"), (a, "1")).status_code == 403
    assert transfer(staff, (bank, "-1"), (a, "2")).status_code == 422  # unbalanced
    below = transfer(resident, (a, "-5"), (bank, "5"))
    assert below.status_code == 409 and below.json()["code"] == "balance_limit"
    reversed_ = post(staff, f"/transfers/{made.json()['id']}/reverse", {"reason": "误操作"})
    assert (
        reversed_.status_code == 409
    )  # a and b have spent part of what they got: the reversal would go below zero


def test_scope(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    outsider = client_for("outsider")
    assert outsider.get(f"/api/volunteers/activities/{world.activity.pk}").status_code == 404
    assert outsider.get("/api/volunteers/volunteers").json() == {"count": 0, "items": []}
    assert client_for("resident").get("/api/volunteers/accounts").status_code == 403
    assert client_for("department_handler").get("/api/volunteers/accounts").json() == {
        "count": 0,
        "items": [],
    }


def test_list_queries_are_pinned(world: World, client_for, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = client_for("community_worker")
    resident = client_for("resident")

    def counts() -> tuple[int, int, int]:
        out = []
        for client, url in (
            (staff, "/api/volunteers/activities"),
            (staff, "/api/volunteers/volunteers"),
            (staff, "/api/volunteers/accounts"),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx))
        return tuple(out)  # type: ignore[return-value]

    before = counts()
    for i in range(5):
        make_activity(world.cast, title=f"活动{i}", starts=at(3 + i))
        services.volunteer_enrol(actor=None, community=world.cast.community, name=f"志愿者{i}")
    assert counts() == before
    with CaptureQueriesContext(connection) as ctx:
        assert len(resident.get("/api/volunteers/activities").json()["items"]) == 6
    for i in range(5, 8):
        make_activity(world.cast, title=f"活动{i}", starts=at(3 + i))
    with django_assert_num_queries(len(ctx)):
        assert len(resident.get("/api/volunteers/activities").json()["items"]) == 9


def test_lists_go_a_page_at_a_time(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A list no longer stops at a fixed number: `count` is every row and raising `offset` by `limit` walks to the
    last one, each row once and in the order of the whole list, even where rows tie (same name, same start)."""
    for i in range(4):
        services.volunteer_enrol(actor=None, community=world.cast.community, name="同名志愿者")
        make_activity(world.cast, title=f"活动{i}", starts=at(3))
    staff = client_for("community_worker")
    for url in ("/api/volunteers/volunteers", "/api/volunteers/activities", "/api/volunteers/accounts"):
        whole = staff.get(url, {"limit": 200}).json()
        assert whole["count"] == len(whole["items"]) > 4, url
        pages = [staff.get(url, {"limit": 3, "offset": o}).json() for o in range(0, whole["count"], 3)]
        assert {p["count"] for p in pages} == {whole["count"]}, url
        assert [row for p in pages for row in p["items"]] == whole["items"], url
    me = world.me.bank_account
    staff_bank = services.community_bank(world.cast.community)
    for hours in ("1", "2", "3"):
        transfer(staff, (staff_bank, f"-{hours}"), (me, hours))
    resident = client_for("resident")
    movements = f"/api/volunteers/accounts/{me.pk}/movements"
    last = resident.get(movements, {"limit": 1, "offset": 2}).json()
    assert last["count"] == 3 and [m["amount"] for m in last["items"]] == ["1.00"]  # the oldest, last


def test_the_paged_lists_say_so_in_the_api_document(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    schema = client_for("community_worker").get("/api/openapi.json").json()
    for path in ("activities", "volunteers", "accounts", "me/signups", "accounts/{account_id}/movements"):
        listed = schema["paths"][f"/api/volunteers/{path}"]["get"]
        assert {"limit", "offset"} <= {p["name"] for p in listed["parameters"]}, path
        shape = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert set(schema["components"]["schemas"][shape]["properties"]) == {"count", "items"}, path


def test_a_transfer_sent_twice_pays_once(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """Each giving leg carries the balance the caller saw (`balance`): required (422 without), and compared under
    the lock, so the same request sent again answers 409 `balance_changed` and moves nothing."""
    bank = services.community_bank(world.cast.community)
    a = world.me.bank_account
    staff = client_for("community_worker")
    body = {
        "legs": [{"account_id": bank.pk, "hours": "-2", "balance": "0"}, {"account_id": a.pk, "hours": "2"}],
        "category": "gift",
    }
    bank.refresh_from_db()
    body["legs"][0]["balance"] = str(bank.balance)
    assert post(staff, "/transfers", body).status_code == 201
    again = post(staff, "/transfers", body)
    assert again.status_code == 409 and again.json()["code"] == "balance_changed"
    assert again.json()["extra"]["account"] == bank.pk
    a.refresh_from_db()
    assert a.balance == 2
    del body["legs"][0]["balance"]
    assert post(staff, "/transfers", body).status_code == 422
    a.refresh_from_db()
    assert a.balance == 2
