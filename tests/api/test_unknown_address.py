"""An address under /api/ (or the Open311 feed) that names nothing answers JSON `{code, message, extra}` like every
other refusal, in the reader's language, not the people's HTML error page; a page address still gets the page."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_an_unknown_api_address_answers_json_not_found_in_chinese(client_for: Any) -> None:
    r = client_for("community_worker").get("/api/party/branch")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert r.json() == {"code": "not_found", "message": "API 中没有这个地址：/api/party/branch", "extra": {}}


def test_an_unknown_api_address_in_english_and_for_a_visitor(client: Client) -> None:
    r = client.get("/api/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404
    assert r.json()["message"] == "There is no such address in the API: /api/no-such-thing/"


def test_an_unknown_open311_address_answers_json_too(client: Client) -> None:
    r = client.get("/open311/v2/nothing-here.json")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_an_unknown_page_address_still_gets_the_page(client: Client) -> None:
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("text/html")
