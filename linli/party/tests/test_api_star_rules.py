"""The API of the star indicator weights and member points per kind: staff read them, an administrator changes
them through the same service as the page (its bounds, nothing saved on a refusal)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linli.party import services
from linli.party.services import member_points_per_unit

pytestmark = pytest.mark.django_db


def put(client: Any, data: dict[str, Any]) -> Any:
    return client.put("/api/party/stars/rules", json.dumps(data), content_type="application/json")


def test_staff_read_the_star_rules_and_only_an_administrator_changes_them(client_for) -> None:  # type: ignore[no-untyped-def]
    worker = client_for("community_worker")
    read = worker.get("/api/party/stars/rules").json()
    weights = {w["code"]: w for w in read["weights"]}
    assert weights["meetings"]["weight"] == weights["meetings"]["default"]
    assert read["total"] == sum(w["weight"] for w in read["weights"]) and read["may_set"] is False
    assert {p["kind"] for p in read["member_points"]} >= {"meeting", "decision"}
    assert client_for("resident").get("/api/party/stars/rules").status_code == 403
    assert put(worker, {"weights": {"meetings": 30}}).status_code == 403

    admin = client_for("admin")
    assert admin.get("/api/party/stars/rules").json()["may_set"] is True
    too_heavy = put(admin, {"weights": {"meetings": 101}, "member_points": {"meeting": 10}})
    assert too_heavy.status_code == 422 and too_heavy.json()["extra"]["field"] == "weight_meetings"
    unknown = put(admin, {"weights": {"nonsense": 5}})
    assert unknown.status_code == 422 and unknown.json()["extra"]["field"] == "weights"
    all_zero = put(admin, {"weights": dict.fromkeys(weights, 0)})
    assert all_zero.status_code == 422
    assert services.indicator_weights()["meetings"] == weights["meetings"]["default"]  # nothing saved

    saved = put(admin, {"weights": {"meetings": 30, "active": 0}, "member_points": {"meeting": 10}})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    got = {w["code"]: w["weight"] for w in body["weights"]}
    assert got["meetings"] == 30 and got["active"] == 0 and body["total"] == sum(got.values())
    assert {p["kind"]: p["points"] for p in body["member_points"]}["meeting"] == 10
    assert member_points_per_unit("meeting") == 10 and services.indicator_weights()["meetings"] == 30
