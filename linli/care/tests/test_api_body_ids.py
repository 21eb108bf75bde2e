"""An id in a request's body that names nothing the caller may see is refused on that field (422, `extra.fields`),
not answered 404 as if the address were wrong; nothing is written."""

from __future__ import annotations

from typing import Any

from linli.care.models import CarePlan, MediationCase
from linli.testing import Cast

JSON = "application/json"


def test_a_case_in_a_grid_outside_the_area_names_the_field(cast: Cast, client_for: Any) -> None:
    opened = client_for("grid_worker").post(
        "/api/care/cases",
        {
            "grid_id": cast.other_grid.pk,
            "kind": "debt",
            "source": "visit",
            "summary": "借款三万元到期未还",
            "parties": [{"side": "applicant", "name": "孙先生"}, {"side": "respondent", "name": "周先生"}],
        },
        content_type=JSON,
    )
    assert opened.status_code == 422, opened.content
    body = opened.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["grid_id"]
    assert not MediationCase.objects.exists()


def test_a_visitor_account_that_is_not_there_names_the_field(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    before = plan.caregiver_id
    answer = client_for("grid_worker").put(
        f"/api/care/plans/{plan.pk}/visitor", {"account_id": 999_999}, content_type=JSON
    )
    assert answer.status_code == 422, answer.content
    assert list(answer.json()["extra"]["fields"]) == ["account_id"]
    plan.refresh_from_db()
    assert plan.caregiver_id == before
