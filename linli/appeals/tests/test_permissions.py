"""One table of who may take which action: the API and the staff pages offer what the services accept."""

from __future__ import annotations

from typing import Any

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.views.detail import ACTIONS
from linli.testing import Cast

from .factories import submit

STAFF = [
    "grid_worker",
    "community_worker",
    "street_officer",
    "department_handler",
    "district_leader",
    "admin",
]


def _offered_by_api(client: Any, appeal: Appeal) -> list[str]:
    response = client.get(f"/api/appeals/{appeal.pk}")
    return response.json()["actions"] if response.status_code == 200 else []


def test_grid_worker_is_not_offered_a_whistle_the_service_would_refuse(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    worker = client_for("grid_worker")
    offered = _offered_by_api(worker, appeal)
    assert "resolve" in offered
    assert "whistle" not in offered
    refused = worker.post(
        f"/api/appeals/{appeal.pk}/whistle",
        {"organisation_ids": [cast.department.pk], "reason": "需要城管部门协同处置"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_api_and_staff_page_offer_the_same_actions_to_every_role(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    offered: dict[str, list[str]] = {}
    for persona in STAFF:
        client = client_for(persona)
        from_api = [a for a in _offered_by_api(client, appeal) if a in ACTIONS]
        page = client.get(f"/appeals/{appeal.pk}/")
        from_page = [a for a in ACTIONS if page.status_code == 200 and f'data-action="{a}"' in page.text]
        assert sorted(from_api) == sorted(from_page), persona
        offered[persona] = from_page
    assert "resolve" in offered["grid_worker"]
    assert "whistle" in offered["community_worker"]
    assert "urge" in offered["street_officer"]
    assert offered["department_handler"] == []
