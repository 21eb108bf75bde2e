"""The triage API, as staff and residents call it."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_staff_get_a_category_suggestion_for_a_text(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("community_worker").post(
        "/api/triage/classify",
        data=json.dumps({"title": "", "text": "小区门口的烧烤摊油烟太大，熏得窗户都不敢开"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["category_code"] == "environment.cooking_fumes"
    assert body["model_version"] == 0
    assert len(body["alternatives"]) == 2


def test_residents_cannot_use_the_classifier(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("resident").post(
        "/api/triage/classify", data=json.dumps({"text": "噪音"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_an_empty_text_is_refused_with_a_message(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("grid_worker").post(
        "/api/triage/classify", data=json.dumps({"title": " ", "text": ""}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_versions_list_is_empty_before_any_training(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("street_officer").get("/api/triage/versions")
    assert response.status_code == 200
    assert response.json() == []
