"""No appeal without a unit, a deadline and a queue (issue 11): an appeal that routing cannot place goes to the
triage desk of the lowest unit its submitter can be placed in, with the standard acceptance deadline, and the
desk's staff locate, classify and dispatch it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import classifier_says, resident_form, submit
from linli.testing import Cast

ONLY_TEXT = {
    "kind": "complaint",
    "description": "有个事情想反映一下，最近晚上总有人在楼下大声喧哗，影响休息。",
    "channel": "web",
}


@pytest.fixture(autouse=True)
def _unsure(monkeypatch: pytest.MonkeyPatch) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.05)  # below the threshold: no category


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_an_appeal_with_only_a_description_goes_to_the_district_desk_with_a_deadline(
    cast: Cast, client_for: Any
) -> None:
    created = _post(Client(), "/api/appeals/", {**ONLY_TEXT, "contact_phone": "13700005555"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "accepted"
    assert body["tier"] == "district"
    assert body["unit_name"] == cast.district.name
    assert body["ack_due_at"] and body["resolve_due_at"]
    leader = client_for("district_leader")
    seen = leader.get(f"/api/appeals/{body['id']}")
    assert seen.status_code == 200
    assert "dispatch" in seen.json()["actions"]
    # The desk locates it (a grid) and classifies it, then dispatches.
    dispatched = _post(
        leader,
        f"/api/appeals/{body['id']}/dispatch",
        {"tier": "grid", "grid_code": "G001", "category_code": "environment.noise"},
    )
    assert dispatched.status_code == 200, dispatched.content
    after = dispatched.json()
    assert (after["state"], after["tier"], after["grid_code"]) == ("dispatched", "grid", "G001")
    assert client_for("grid_worker").get(f"/api/appeals/{body['id']}").status_code == 200


def test_a_resident_s_claimed_household_places_the_appeal_at_the_community_desk(
    cast: Cast, client_for: Any
) -> None:
    cast.resident.household = cast.household
    cast.resident.save(update_fields=["household"])
    page = client_for("resident").post(
        reverse("appeals:new"),
        resident_form(**ONLY_TEXT, title="", category="", idempotency_key="k-" + "d" * 30),
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert (appeal.state, appeal.tier, appeal.unit_node) == ("accepted", "community", cast.community)
    assert appeal.ack_due_at is not None and appeal.resolve_due_at is not None
    for persona in ("street_officer", "district_leader", "community_worker"):
        assert client_for(persona).get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    queue = client_for("community_worker").get(reverse("appeals:workbench")).content.decode()
    assert appeal.tracking_number in queue
    assert "待定位" in queue


def test_a_phone_s_earlier_appeal_or_the_hotline_operator_s_station_places_it(cast: Cast) -> None:
    earlier = submit(cast, actor=None, contact_phone="13700006666", channel="web", grid=cast.other_grid)
    assert earlier.grid == cast.other_grid
    again = services.appeal_submit(actor=None, contact_phone="13700006666", **ONLY_TEXT)
    assert (again.tier, again.unit_node) == ("community", cast.other_community)
    by_phone = services.appeal_submit(
        actor=cast.street_officer, contact_phone="13700007777", **{**ONLY_TEXT, "channel": "hotline"}
    )
    assert (by_phone.tier, by_phone.unit_node) == ("street", cast.street)


def test_the_desk_s_acceptance_deadline_is_enforced_by_the_worker(cast: Cast) -> None:
    import time_machine

    appeal = services.appeal_submit(actor=None, contact_phone="13700005555", **ONLY_TEXT)
    assert appeal.ack_due_at is not None
    with time_machine.travel(appeal.ack_due_at.timestamp() + 60, tick=False):
        from linli.appeals import jobs

        assert jobs.APPEAL_JOBS["appeals.ack_breaches"].run() == 1
    appeal.refresh_from_db()
    assert appeal.ack_breached_at is not None


# --- a patrol report resolved on the spot needs no category -------------------------------------------------


def _patrol(client: Client, **extra: Any) -> Any:
    data = {
        "kind": "help",
        "description": "巡查发现1号楼门口有一处小问题，已经现场处理好了。",
        "title": "",
        "category": "",
        "lng": "116.401",
        "lat": "39.901",
        "address": "",
        "resolve_now": "on",
        "resolution_note": "现场清理完毕，已恢复正常。",
        "idempotency_key": "patrol-key-spot-0001",
        **extra,
    }
    return client.post(reverse("appeals:patrol"), data, follow=True)


def test_a_patrol_report_resolved_on_the_spot_without_a_category_is_filed_under_other(
    cast: Cast, client_for: Any
) -> None:
    page = _patrol(client_for("grid_worker"))
    text = page.content.decode()
    assert "不能执行" not in text
    assert "当场办结" in text or "现场办结" in text, text[:3000]
    appeal = Appeal.objects.get()
    assert (appeal.state, appeal.tier, appeal.outcome) == ("resolved", "grid", "fixed")
    assert appeal.category is not None and appeal.category.code == "other.misc"
    assert appeal.resolved_tier == "grid"


def test_a_patrol_report_resolved_on_the_spot_takes_the_classifier_s_suggestion(
    cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(
        monkeypatch, "urban_construction.road_works", 0.9
    )  # the catalogue sends it to the community
    _patrol(client_for("grid_worker"), idempotency_key="patrol-key-spot-0002")
    appeal = Appeal.objects.get()
    assert (appeal.state, appeal.tier) == ("resolved", "grid")
    assert appeal.category is not None and appeal.category.code == "urban_construction.road_works"


# --- the district passes what reaches it to a department ----------------------------------------------------


def test_an_appeal_escalated_to_the_district_is_dispatched_to_a_department_by_the_district_leader(
    cast: Cast, client_for: Any
) -> None:
    appeal = submit(cast)
    while appeal.tier != "district":
        appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="需要上级协调处置")
    leader = client_for("district_leader")
    url = f"/api/appeals/{appeal.pk}"
    assert "dispatch" in leader.get(url).json()["actions"]
    assert "dispatch" not in client_for("street_officer").get(url).json()["actions"]
    sent = _post(leader, f"{url}/dispatch", {"unit_org_id": cast.department.pk, "reason": "交区城管委处置"})
    assert sent.status_code == 200, sent.content
    assert (sent.json()["state"], sent.json()["tier"]) == ("dispatched", "department")
    # A department's own appeal is not re-dispatched by the district: it returns it first.
    assert "dispatch" not in leader.get(url).json()["actions"]


def test_the_dispatch_form_starts_from_the_appeal_s_own_category(cast: Cast, client_for: Any) -> None:
    """A classified appeal at a desk (placed nowhere yet, or passed up to the district) is dispatched with the
    category it has: the form showed "不确定，由工作人员判断" instead, as if nobody had classified it."""
    appeal = submit(cast)
    while appeal.tier != "district":
        appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="需要上级协调处置")
    page = client_for("district_leader").get(reverse("appeals:detail", args=[appeal.pk]))
    form = {name: f for name, _label, f, _confirm in page.context["action_forms"]}["dispatch"]
    assert form["category"].value() == "property_management.property_service"
    html = page.content.decode()
    select = html[html.index('name="dispatch-category"') :]
    assert (
        '<option value="property_management.property_service" selected>'
        in select[: select.index("</select>")]
    )
