"""The care API, as a phone app or another system would call it."""

from __future__ import annotations

import json

import time_machine
from django.utils import timezone

from linli.care.choices import ContactKind
from linli.care.models import CarePlan, MediationCase
from linli.core.models import AuditEntry
from linli.testing import Cast

from .conftest import open_case


def post(client, url: str, data: dict) -> object:  # type: ignore[no-untyped-def,type-arg]
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_today_and_record_a_visit(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    today = client.get("/api/care/today").json()["items"]
    visit = next(c for c in today if c["kind"] == ContactKind.VISIT)
    assert visit["resident"] == "张三" and visit["level"] == "red"
    refused = post(client, f"/api/care/contacts/{visit['id']}/record", {"found": "好"})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"  # type: ignore[attr-defined]
    done = post(
        client,
        f"/api/care/contacts/{visit['id']}/record",
        {"found": "一切都好，药按时吃", "lng": 116.41, "lat": 39.902},
    )
    assert done.status_code == 200  # type: ignore[attr-defined]
    assert done.json()["state"] == "done" and done.json()["distance_m"] > 600  # type: ignore[attr-defined]
    again = post(client, f"/api/care/contacts/{visit['id']}/record", {"found": "再记一次看看"})
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_plan_list_masks_names_and_the_detail_is_audited(
    cast: Cast, plan: CarePlan, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("community_worker")
    client.get("/api/care/plans")
    with django_assert_num_queries(5):  # one more than a bare list: the count
        listed = client.get("/api/care/plans").json()["items"]
    assert listed[0]["resident"] != "张三" and listed[0]["resident"].startswith("张")
    detail = client.get(f"/api/care/plans/{plan.pk}").json()
    assert detail["resident"] == "张三" and detail["emergency_phone"] == "13900000009"
    assert AuditEntry.objects.filter(action="care_plan_read", object_id=str(plan.pk)).count() == 1
    assert client_for("outsider").get(f"/api/care/plans/{plan.pk}").status_code == 404
    assert client_for("outsider").get("/api/care/plans").json() == {"count": 0, "items": []}


def test_confirm_a_level(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    made = post(
        client,
        f"/api/care/residents/{cast.resident_record.pk}/plan",
        {"level": "yellow", "reason": "独居老人"},
    )
    assert made.status_code == 200 and made.json()["level"] == "yellow"  # type: ignore[attr-defined]
    bad = post(
        client,
        f"/api/care/residents/{cast.resident_record.pk}/plan",
        {"level": "purple", "reason": "独居老人"},
    )
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert (
        post(
            client_for("outsider"),
            f"/api/care/residents/{cast.resident_record.pk}/plan",
            {"level": "red", "reason": "独居老人"},
        ).status_code
        == 404
    )  # type: ignore[attr-defined]


def test_a_case_through_the_api(cast: Cast, client_for, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    opened = post(
        client,
        "/api/care/cases",
        {
            "grid_id": cast.grid.pk,
            "kind": "debt",
            "source": "visit",
            "summary": "借款三万元到期未还",
            "parties": [{"side": "applicant", "name": "孙先生"}, {"side": "respondent", "name": "周先生"}],
        },
    )
    assert opened.status_code == 201  # type: ignore[attr-defined]
    case_id = opened.json()["id"]  # type: ignore[attr-defined]
    early = post(
        client,
        f"/api/care/cases/{case_id}/agreement",
        {"terms": "周先生分三期还清三万元", "signed_on": timezone.localdate()},
    )
    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"  # type: ignore[attr-defined]
    post(
        client,
        f"/api/care/cases/{case_id}/sessions",
        {"held_at": timezone.now(), "attendees": "孙、周", "notes": "同意分期"},
    )
    signed = post(
        client,
        f"/api/care/cases/{case_id}/agreement",
        {"terms": "周先生分三期还清三万元", "signed_on": timezone.localdate(), "amount": "30000"},
    )
    assert signed.json()["state"] == "agreed"  # type: ignore[attr-defined]
    closed = post(
        client,
        f"/api/care/cases/{case_id}/follow-up",
        {"note": "已全部还清", "holds": True, "amount_recovered": "30000"},
    )
    assert closed.json()["state"] == "closed" and closed.json()["amount_recovered"] == "30000.00"  # type: ignore[attr-defined]
    assert client_for("outsider").get(f"/api/care/cases/{case_id}").status_code == 404
    listing = client_for("street_officer")
    listing.get("/api/care/cases")
    with django_assert_num_queries(5):  # one more than a bare list: the count
        cases = listing.get("/api/care/cases").json()["items"]
    assert [c["id"] for c in cases] == [case_id] and "parties" not in cases[0]
    assert MediationCase.objects.get().outcome == "settled"


def test_lists_go_a_page_at_a_time(cast: Cast, plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    """A list no longer stops at a fixed number: `count` is every row and raising `offset` by `limit` walks to the
    last one, each row once, newest first even for cases opened at the same instant (the id breaks the tie)."""
    with time_machine.travel(timezone.now(), tick=False):
        made = [open_case(cast).pk for _ in range(5)]
    client = client_for("grid_worker")
    pages = [client.get("/api/care/cases", {"limit": 2, "offset": o}).json() for o in (0, 2, 4)]
    assert {p["count"] for p in pages} == {5}
    assert [c["id"] for p in pages for c in p["items"]] == sorted(made, reverse=True)
    today = client.get("/api/care/today").json()
    last = client.get("/api/care/today", {"limit": 1, "offset": today["count"] - 1}).json()
    assert today["count"] == len(today["items"]) >= 2 and last["items"] == today["items"][-1:]


def test_the_paged_lists_say_so_in_the_api_document(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    schema = client_for("community_worker").get("/api/openapi.json").json()
    for path in ("today", "services/today", "reassessments", "plans", "cases", "legal-aid"):
        listed = schema["paths"][f"/api/care/{path}"]["get"]
        assert {"limit", "offset"} <= {p["name"] for p in listed["parameters"]}, path
        shape = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert set(schema["components"]["schemas"][shape]["properties"]) == {"count", "items"}, path
