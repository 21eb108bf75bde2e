"""Whole lifecycles through the JSON API, with the clock moved across National Day 2026 (Oct 1–7 off, Saturday
Oct 10 a make-up working day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from linli.appeals.models import Appeal
from linli.appeals.tests.factories import SUBMIT, post
from linli.core import jobs
from linli.core.models import Notification, OutboxMessage
from linli.testing import Cast, at


def test_lifecycle_over_http_across_national_day_with_pause(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    worker = client_for("grid_worker")
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False) as traveller:
        first = post(resident, "/api/appeals/", SUBMIT, **{"Idempotency-Key": "k-1"})
        assert first.status_code == 201, first.content
        body = first.json()
        assert body["tracking_number"].startswith("LL20260930-")
        assert body["state"] == "dispatched"
        assert body["tier"] == "grid"
        assert body["unit_name"] == cast.grid.name
        # 7 working days of 9 hours from Wed 30 Sep 10:00: Oct 1–7 are off, Sat Oct 10 is a working day.
        assert dt.datetime.fromisoformat(body["resolve_due_at"]) == at(2026, 10, 15, 10, 0)
        assert dt.datetime.fromisoformat(body["ack_due_at"]) == at(2026, 9, 30, 12, 0)
        # A retried submit with the same key returns the same appeal.
        again = post(resident, "/api/appeals/", SUBMIT, **{"Idempotency-Key": "k-1"})
        assert again.status_code == 200
        assert again.json()["id"] == body["id"]
        assert Appeal.objects.count() == 1
        url = f"/api/appeals/{body['id']}"

        ack = post(worker, f"{url}/acknowledge")
        assert ack.status_code == 200, ack.content
        assert ack.json()["state"] == "acknowledged"
        assert (
            post(worker, f"{url}/contact", {"note": "电话联系居民，约好明天上门"}).json()["state"]
            == "acknowledged"
        )
        assert post(worker, f"{url}/start").json()["state"] == "in_progress"

        # On the make-up Saturday the worker waits on the resident (key to the meter room) until Monday 11:00.
        traveller.move_to(at(2026, 10, 10, 11, 0))
        paused = post(worker, f"{url}/pause", {"reason": "等待居民提供配电间钥匙"})
        assert paused.json()["state"] == "waiting"
        traveller.move_to(at(2026, 10, 12, 11, 0))
        resumed = post(worker, f"{url}/resume")
        assert resumed.json()["state"] == "in_progress"
        # Paused 7 h on Saturday + 2 h on Monday = 9 working hours = one working day (Sunday is off).
        assert dt.datetime.fromisoformat(resumed.json()["resolve_due_at"]) == at(2026, 10, 16, 10, 0)

        traveller.move_to(at(2026, 10, 16, 9, 30))
        resolved = post(
            worker, f"{url}/resolve", {"note": "已更换楼道声控灯，恢复照明。", "outcome": "fixed"}
        )
        assert resolved.status_code == 200, resolved.content
        assert resolved.json()["state"] == "resolved"
        assert Appeal.objects.get().resolved_on_time is True

        rated = post(resident, f"{url}/rate", {"value": "satisfied", "comment": "很及时"})
        assert rated.json()["state"] == "rated"
        traveller.move_to(at(2026, 10, 17, 10, 0))
        jobs.run_all(["appeals.close_rated"])
        detail = resident.get(url).json()
        assert detail["state"] == "closed"
        actions = [e["action"] for e in detail["trace"]]
        assert actions == [
            "submit",
            "dispatch",
            "acknowledge",
            "contact",
            "start",
            "pause",
            "resume",
            "resolve",
            "rate",
            "close",
        ]
        assert detail["trace"][2]["actor_name"] == "王网格"
    # The resident heard of it: inbox entries and text messages.
    assert Notification.objects.filter(user=cast.resident).count() >= 5
    assert OutboxMessage.objects.filter(recipient="13812345678", channel="sms").exists()


def test_guest_submits_with_phone_and_lists_are_masked(cast: Cast, client_for: Any) -> None:
    guest = Client()
    response = post(
        guest, "/api/appeals/", {**SUBMIT, "contact_name": "王小明", "contact_phone": "139 0000 1111"}
    )
    assert response.status_code == 201, response.content
    listing = client_for("community_worker").get("/api/appeals/").json()
    assert listing["count"] == 1
    assert listing["items"][0]["contact_phone"] == "139****1111"
    assert listing["items"][0]["contact_name"] == "王*明"
    # The outsider from the other community sees nothing of it.
    assert client_for("outsider").get("/api/appeals/").json()["count"] == 0
    assert client_for("outsider").get(f"/api/appeals/{response.json()['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "太长" * 1001}, "description"),
        ({"kind": "rant"}, "kind"),
        ({"category_code": "no.such"}, "category_code"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"grid_code": "", "lng": 10.0, "lat": 10.0}, "lng"),
        ({"title": "标" * 101}, "title"),
    ],
)
def test_bad_input_is_rejected_with_the_field(cast: Cast, change: dict[str, Any], field: str) -> None:
    response = post(Client(), "/api/appeals/", {**SUBMIT, "contact_phone": "13900001111", **change})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["extra"]["field"] == field
    assert body["message"]
    assert Appeal.objects.count() == 0


def test_schema_errors_are_422_json(cast: Cast) -> None:
    response = post(Client(), "/api/appeals/", {"title": "没有描述"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_second_acknowledgement_gets_a_clear_conflict(cast: Cast, client_for: Any) -> None:
    appeal_id = post(client_for("resident"), "/api/appeals/", SUBMIT).json()["id"]
    first = post(client_for("grid_worker"), f"/api/appeals/{appeal_id}/acknowledge")
    second = post(client_for("community_worker"), f"/api/appeals/{appeal_id}/acknowledge")
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "invalid_transition"
    assert "已签收" in second.json()["message"] or "Acknowledged" in second.json()["message"]


def test_resident_cannot_act_as_handler(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
    response = post(resident, f"/api/appeals/{appeal_id}/acknowledge")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_rework_after_unsatisfied_rating_notifies_and_sets_a_new_deadline(
    cast: Cast, client_for: Any
) -> None:
    resident = client_for("resident")
    worker = client_for("grid_worker")
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False) as traveller:
        appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
        url = f"/api/appeals/{appeal_id}"
        post(worker, f"{url}/acknowledge")
        post(worker, f"{url}/resolve", {"note": "已更换灯泡。"})
        traveller.move_to(at(2026, 11, 4, 15, 0))
        sms_before = OutboxMessage.objects.filter(recipient="13812345678").count()
        unrated = post(resident, f"{url}/rate", {"value": "unsatisfied", "comment": ""})
        assert unrated.status_code == 422
        assert unrated.json()["extra"]["field"] == "comment"
        reopened = post(resident, f"{url}/rate", {"value": "unsatisfied", "comment": "第二天又不亮了"})
        body = reopened.json()
        assert body["state"] == "dispatched"
        assert body["rework_count"] == 1
        assert body["unit_name"] == cast.grid.name
        assert dt.datetime.fromisoformat(body["resolve_due_at"]) == at(2026, 11, 13, 15, 0)
        assert [e["action"] for e in body["trace"]][-2:] == ["rate", "rework"]
    assert OutboxMessage.objects.filter(recipient="13812345678").count() > sms_before
    assert Notification.objects.filter(user=cast.resident, title__contains="重办").exists()
    assert Notification.objects.filter(
        user=cast.grid_worker, title__contains=body["tracking_number"]
    ).exists()


def test_whistle_with_two_departments_is_resolved_by_the_organising_unit_when_both_parts_are_done(
    cast: Cast, client_for: Any
) -> None:
    from linli.testing import _user

    water = _user("water", "department_handler", org=cast.other_department, name="钱水务")
    street = client_for("street_officer")
    created = post(
        client_for("resident"),
        "/api/appeals/",
        {
            **SUBMIT,
            "category_code": "transport.traffic_congestion",
            "description": "路口积水严重，车辆拥堵，需要排水和交通疏导。",
        },
    ).json()
    assert created["tier"] == "street"
    url = f"/api/appeals/{created['id']}"
    assert post(street, f"{url}/acknowledge").status_code == 200
    whistled = post(
        street,
        f"{url}/whistle",
        {
            "organisation_ids": [cast.department.pk, cast.other_department.pk],
            "reason": "积水和拥堵需城管、水务联合处置",
        },
    )
    assert whistled.status_code == 200, whistled.content
    parts = whistled.json()["parts"]
    assert len(parts) == 2
    cg = client_for("department_handler")
    sw = Client()
    sw.force_login(water)
    # Each department sees the appeal it was summoned to, reports in and completes its part.
    assert cg.get(url).status_code == 200
    part_cg = next(p for p in parts if p["organisation_id"] == cast.department.pk)
    part_sw = next(p for p in parts if p["organisation_id"] == cast.other_department.pk)
    assert post(sw, f"{url}/parts/{part_cg['id']}/report-in").status_code == 403
    assert post(cg, f"{url}/parts/{part_cg['id']}/report-in").status_code == 200
    assert post(sw, f"{url}/parts/{part_sw['id']}/report-in").status_code == 200
    done_one = post(cg, f"{url}/parts/{part_cg['id']}/complete", {"note": "已疏导交通，设置警示。"})
    assert done_one.json()["state"] == "in_progress"
    done_two = post(sw, f"{url}/parts/{part_sw['id']}/complete", {"note": "已疏通雨水篦子，积水排除。"})
    # Completing the last part completes that part only: the organising unit confirms and resolves.
    assert done_two.json()["state"] == "in_progress"
    assert "resolve" in post(street, f"{url}/comment", {"note": "各部门已完成，核实中"}).json()["actions"]
    resolved = post(
        street, f"{url}/resolve", {"note": "经核实，积水已排除、交通恢复正常。", "outcome": "fixed"}
    )
    assert resolved.json()["state"] == "resolved"


def test_merge_closes_the_duplicate_and_its_resident_follows_the_primary(cast: Cast, client_for: Any) -> None:
    from linli.testing import _user

    neighbour = _user("neighbour", "resident", name="李四", phone="13912345678")
    nclient = Client()
    nclient.force_login(neighbour)
    primary = post(client_for("resident"), "/api/appeals/", SUBMIT).json()
    dup = post(nclient, "/api/appeals/", {**SUBMIT, "description": "2单元楼道灯不亮，晚上很危险。"}).json()
    community = client_for("community_worker")
    # A primary that is not there is the body's fault, said on its field (it was a 404, as if the URL were wrong).
    unknown = post(community, f"/api/appeals/{dup['id']}/merge", {"primary_id": 999_999})
    assert unknown.status_code == 422 and list(unknown.json()["extra"]["fields"]) == ["primary_id"]
    merged = post(community, f"/api/appeals/{dup['id']}/merge", {"primary_id": primary["id"]})
    assert merged.status_code == 200, merged.content
    assert merged.json()["state"] == "closed"
    assert merged.json()["outcome"] == "duplicate"
    assert merged.json()["primary_tracking_number"] == primary["tracking_number"]
    # The neighbour now sees the primary and hears when it is resolved.
    assert nclient.get(f"/api/appeals/{primary['id']}").status_code == 200
    worker = client_for("grid_worker")
    post(worker, f"/api/appeals/{primary['id']}/acknowledge")
    post(worker, f"/api/appeals/{primary['id']}/resolve", {"note": "已更换灯泡，恢复照明。"})
    assert Notification.objects.filter(user=neighbour, title__contains="办结").exists()
    texts = [m.payload["text"] for m in OutboxMessage.objects.filter(recipient="13912345678")]
    assert any("办结" in t for t in texts), texts


def test_hotline_consultation_answered_at_first_contact(cast: Cast, client_for: Any) -> None:
    operator = client_for("community_worker")
    created = post(
        operator,
        "/api/appeals/",
        {
            "kind": "consultation",
            "description": "咨询老年卡在哪里办理，需要带什么材料？",
            "contact_name": "赵大爷",
            "contact_phone": "13700001111",
            "channel": "hotline",
            "grid_code": "G001",
        },
    ).json()
    answered = post(
        operator, f"/api/appeals/{created['id']}/answer", {"answer": "带身份证和照片到社区服务站办理。"}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "closed"
    assert answered.json()["outcome"] == "answered"


def test_withdraw_by_resident_and_transitions_table(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
    withdrawn = post(resident, f"/api/appeals/{appeal_id}/withdraw", {"reason": "已经自己修好了"})
    assert withdrawn.json()["state"] == "closed"
    assert withdrawn.json()["outcome"] == "withdrawn"
    table = Client().get("/api/appeals/transitions").json()
    acknowledge = next(t for t in table if t["action"] == "acknowledge")
    assert acknowledge == {
        "action": "acknowledge",
        "from": ["dispatched"],
        "to": "acknowledged",
        "label": "签收",
    }


def test_list_query_count_is_fixed(cast: Cast, client_for: Any, django_assert_max_num_queries: Any) -> None:
    resident = client_for("resident")
    for i in range(5):
        post(resident, "/api/appeals/", {**SUBMIT, "title": f"问题{i}"})
    community = client_for("community_worker")
    with django_assert_max_num_queries(6):
        listing = community.get("/api/appeals/?limit=50")
    assert listing.json()["count"] == 5


def test_photos_upload_checks_type_and_count(cast: Cast, client_for: Any) -> None:
    from linli.appeals.tests.factories import photo

    resident = client_for("resident")
    appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
    ok = resident.post(
        f"/api/appeals/{appeal_id}/photos", {"photos": [photo("a.jpg"), photo("b.png", "PNG")]}
    )
    assert ok.status_code == 200, ok.content
    assert len(ok.json()["photos"]) == 2
    bad = resident.post(f"/api/appeals/{appeal_id}/photos", {"photos": [photo("c.gif", "BMP")]})
    assert bad.status_code == 422
    assert bad.json()["extra"]["field"] == "photos"
    many = resident.post(
        f"/api/appeals/{appeal_id}/photos", {"photos": [photo(f"{i}.jpg") for i in range(5)]}
    )
    assert many.status_code == 422
    assert Appeal.objects.get().photos.count() == 2


@pytest.mark.parametrize(
    ("channel", "submitter", "extra"),
    [
        ("web", "resident", {}),
        ("qr", "resident", {}),
        ("api", None, {"contact_phone": "13600001111"}),
        ("hotline", "community_worker", {"contact_name": "赵大爷", "contact_phone": "13700001111"}),
        ("patrol", "grid_worker", {}),
        ("sensor", "admin", {}),
    ],
)
def test_each_channel_runs_from_submission_to_closure(
    cast: Cast, client_for: Any, channel: str, submitter: str | None, extra: dict[str, Any]
) -> None:
    client = client_for(submitter) if submitter else Client()
    created = post(
        client, "/api/appeals/", {**SUBMIT, "channel": channel, **extra}, **{"Idempotency-Key": channel}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["channel"], body["state"], body["tier"]) == (channel, "dispatched", "grid")
    url = f"/api/appeals/{body['id']}"
    worker = client_for("grid_worker")
    assert post(worker, f"{url}/acknowledge").status_code == 200
    resolved = post(worker, f"{url}/resolve", {"note": "已现场处置，恢复正常。"})
    assert resolved.json()["state"] == "resolved"
    if submitter == "resident":
        final = post(client, f"{url}/rate", {"value": "satisfied"})
        assert final.json()["state"] == "rated"
        final = post(client_for("community_worker"), f"{url}/close")
    else:
        # Nobody to rate on the phone page: the community closes it after its callback.
        final = post(client_for("community_worker"), f"{url}/close", {"reason": "回访确认已解决"})
    assert final.status_code == 200, final.content
    assert final.json()["state"] == "closed"
    assert final.json()["trace"][0]["channel"] == channel


def test_session_submit_needs_the_csrf_token_but_a_guest_does_not(cast: Cast) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.resident)
    refused = post(strict, "/api/appeals/", SUBMIT)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    guest = post(
        Client(enforce_csrf_checks=True), "/api/appeals/", {**SUBMIT, "contact_phone": "13600001111"}
    )
    assert guest.status_code == 201


def test_detail_query_count_does_not_grow_with_the_trace(cast: Cast, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linli.appeals import services

    appeal_id = post(client_for("resident"), "/api/appeals/", SUBMIT).json()["id"]
    community = client_for("community_worker")
    community.get(f"/api/appeals/{appeal_id}")
    with CaptureQueriesContext(connection) as short:
        assert community.get(f"/api/appeals/{appeal_id}").status_code == 200
    appeal = Appeal.objects.get(pk=appeal_id)
    for i in range(8):
        services.appeal_comment(actor=cast.community_worker, appeal=appeal, note=f"跟进记录{i}")
    with CaptureQueriesContext(connection) as long:
        body = community.get(f"/api/appeals/{appeal_id}").json()
    assert len(body["trace"]) == 10
    assert len(long.captured_queries) == len(short.captured_queries)
    assert len(short.captured_queries) <= 14


def test_figures_for_another_community_s_node_are_refused_on_the_parameter(
    cast: Cast, client_for: Any
) -> None:
    """A node out of the caller's scope reads as one that does not exist: the parameter is refused (422 naming
    `node`), not the address (it was a 404)."""
    url = "/api/appeals/figures?start=2026-01-01&end=2026-12-31&node="
    assert client_for("community_worker").get(f"{url}{cast.community.pk}").status_code == 200
    for caller, node in (("outsider", cast.community.pk), ("community_worker", 999999)):
        refused = client_for(caller).get(f"{url}{node}")
        assert refused.status_code == 422 and list(refused.json()["extra"]["fields"]) == ["node"]
        assert f"{node}" in refused.json()["extra"]["fields"]["node"][0]


def test_dispatch_and_whistle_through_the_api_only_reach_units_the_user_may_summon(
    cast: Cast, client_for: Any
) -> None:
    """A community worker may summon the district's departments and its own community's partner units, not a
    partner unit of another community: the API refuses the field that names it, as it refuses one that does not
    exist (422 with the field in `extra.fields`, nothing changed; it was a 404 as if the address were wrong)."""
    from linli.appeals.models import AppealPart
    from linli.territory import services as territory

    elsewhere = territory.organisation_create(
        actor=None, kind="partner_unit", name="外社区物业", code="P-OC", org_node=cast.other_community
    )
    created = post(client_for("resident"), "/api/appeals/", SUBMIT).json()
    assert created["tier"] == "grid"
    url = f"/api/appeals/{created['id']}"
    community = client_for("community_worker")
    assert post(client_for("grid_worker"), f"{url}/acknowledge").status_code == 200

    whistled = post(
        community, f"{url}/whistle", {"organisation_ids": [elsewhere.pk], "reason": "需要外社区物业配合处置"}
    )
    assert whistled.status_code == 422, whistled.content
    assert whistled.json()["extra"]["fields"] == {
        "organisation_ids": f"找不到您可查看的职能部门或共建单位 {elsewhere.pk}。"
    }
    assert not AppealPart.objects.filter(appeal_id=created["id"]).exists()

    returned = post(client_for("grid_worker"), f"{url}/return", {"reason": "不属于网格处置范围"})
    assert returned.json()["state"] == "returned"
    dispatched = post(
        community, f"{url}/dispatch", {"unit_org_id": elsewhere.pk, "reason": "请外社区物业处理"}
    )
    assert dispatched.status_code == 422, dispatched.content
    assert list(dispatched.json()["extra"]["fields"]) == ["unit_org_id"]
    unknown = post(community, f"{url}/dispatch", {"unit_node_id": 999_999, "reason": "请处理"})
    assert unknown.status_code == 422 and list(unknown.json()["extra"]["fields"]) == ["unit_node_id"]
    row = Appeal.objects.get(pk=created["id"])
    assert (row.state, row.unit_org_id) == ("returned", None)

    # The district's department is within reach, through the API as on the page.
    ok = post(community, f"{url}/dispatch", {"unit_org_id": cast.department.pk, "reason": "请城管处理"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["tier"] == "department"
