"""A refused API request says what is wrong with each field in the reader's language (linli/core/api_errors.py),
not pydantic's English; a body that is not JSON says so too. Programs still get pydantic's errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def worker(client_for: Any) -> Client:
    return client_for("community_worker")


def test_a_missing_field_and_a_wrong_type_are_named_in_chinese(worker: Client) -> None:
    r = worker.post("/api/compounds", {"community_id": "abc"}, content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid"
    assert body["extra"]["fields"] == {"community_id": "请输入整数。", "name": "此项为必填项。"}
    assert body["message"] == "请求数据无效：community_id：请输入整数。；name：此项为必填项。"
    assert {e["type"] for e in body["extra"]["errors"]} == {"int_parsing", "missing"}


def test_the_same_refusal_in_english_for_an_english_reader(worker: Client) -> None:
    r = worker.post(
        "/api/compounds", {"community_id": 1}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 422
    assert r.json()["message"] == "The request's data is not valid: name: This field is required."


def test_a_body_that_is_not_json_is_refused_in_the_readers_language(worker: Client) -> None:
    r = worker.post("/api/compounds", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {"code": "invalid", "message": "请求体不是有效的 JSON。", "extra": {}}


def test_a_bad_date_a_wrong_choice_and_long_text_are_named() -> None:
    from linli.core.api_errors import field_errors

    fields = field_errors(
        [
            {"loc": ("query", "since"), "type": "date_from_datetime_parsing", "ctx": {"error": "x"}},
            {
                "loc": ("body", "payload", "items", 0, "kind"),
                "type": "literal_error",
                "ctx": {"expected": "'a' or 'b'"},
            },
            {"loc": ("body", "payload", "note"), "type": "string_too_long", "ctx": {"max_length": 200}},
            {"loc": ("body", "payload", "note"), "type": "string_type"},
            {"loc": ("query", "ids", 1), "type": "greater_than", "ctx": {"gt": 0}},
        ]
    )
    assert fields == {
        "since": "请按 YYYY-MM-DD 填写日期。",
        "items.0.kind": "请从以下值中选择：a、b。",
        "note": "最多填写 200 个字。",
        "ids.1": "请填写大于 0 的数。",
    }


@pytest.mark.django_db
def test_a_session_write_without_its_csrf_token_says_so_in_the_readers_language(cast: Any) -> None:
    app = Client(enforce_csrf_checks=True)  # as a browser or phone app signed in with a session
    app.force_login(cast.community_worker)
    r = app.post("/api/compounds", {"community_id": 1, "name": "x"}, content_type="application/json")
    assert r.status_code == 403
    assert r.json() == {
        "code": "csrf",
        "message": "请求缺少有效的 CSRF 令牌：请随写入请求在 X-CSRFToken 头中发送会话的 CSRF 令牌。",
        "extra": {},
    }
