"""The shared pieces that keep a typed text whole: a service refuses a text too long with the field and its limit
named (never cuts it), and a form refused after it was sent has what was typed kept for the page it goes back to."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from linli.core.errors import ValidationFailed
from linli.core.kept import keep_posted, take_kept
from linli.core.validators import clean_text


def test_a_text_too_long_is_refused_whole_naming_its_field_and_limit() -> None:
    assert clean_text("reason", "  油烟  ", most=200) == "油烟"
    with pytest.raises(ValidationFailed) as refused:
        clean_text("reason", "油" * 201, most=200)
    assert refused.value.extra == {"field": "reason"}
    assert str(refused.value.message) == "原因太长：最多 200 个字（您已输入 201 个字）。"
    with pytest.raises(ValidationFailed) as labelled:
        clean_text("destination", "上海市浦东新", most=5, label="迁往")
    assert str(labelled.value.message) == "迁往太长：最多 5 个字（您已输入 6 个字）。"
    with pytest.raises(ValidationFailed) as plain:  # a field of no usual name, no label
        clean_text("code", "ABCDEF", most=5)
    assert str(plain.value.message) == "最多 5 个字符。"


def _posted(data: dict[str, str], path: str = "/things/7/close/") -> object:
    request = RequestFactory().post(path, data)
    request.session = SessionStore()
    return request


def test_a_refused_post_keeps_its_texts_once_for_the_page_it_goes_back_to() -> None:
    request = _posted(
        {
            "csrfmiddlewaretoken": "t",
            "next": "/x/",
            "password": "secret",
            "reason": "油烟" * 150,
            "part_id": "3",
        }
    )
    keep_posted(request)  # type: ignore[arg-type]
    page = RequestFactory().get("/things/7/")
    page.session = request.session  # type: ignore[attr-defined]
    assert take_kept(page) == {
        "action": "/things/7/close/",
        "fields": {"reason": "油烟" * 150, "part_id": "3"},
    }
    assert take_kept(page) is None  # given back once


def test_a_page_shown_again_for_a_refused_post_carries_what_it_typed() -> None:
    request = _posted({"note": "还有一处未清理", "blank": " "})
    assert take_kept(request) == {"action": "/things/7/close/", "fields": {"note": "还有一处未清理"}}  # type: ignore[arg-type]
