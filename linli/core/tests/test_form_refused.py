"""A small form refused beside a list says which field is wrong, in the reader's language, and keeps what was typed."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from linli.core.kept import SESSION_KEY
from linli.core.pages import form_refused, refused_message


class _ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=5)
    count = forms.IntegerField(label="数量", min_value=1)

    def clean(self) -> dict[str, object]:
        if self.data.get("reason") == "全部":
            raise ValidationError("不能全部退回。")
        return super().clean() or {}


def test_the_message_names_each_refused_field() -> None:
    form = _ReasonForm({"reason": "太长的一段理由文字", "count": "0"})
    assert not form.is_valid()
    message = refused_message(form)
    assert message.startswith("理由：")
    assert "；数量：" in message


def test_a_message_that_names_its_field_is_not_named_twice() -> None:
    # core.validators.clean_text's refusal says the field itself (「理由太长：…」); it was 「理由：理由太长：…」.
    form = _ReasonForm({"reason": "短", "count": "1"})
    assert form.is_valid()
    form.add_error("reason", "理由太长：最多 5 个字。")
    assert refused_message(form) == "理由太长：最多 5 个字。"


def test_an_error_of_the_whole_form_is_said_without_a_field() -> None:
    form = _ReasonForm({"reason": "全部", "count": "1"})
    assert not form.is_valid()
    assert refused_message(form) == "不能全部退回。"


@pytest.mark.django_db
def test_form_refused_says_the_field_and_keeps_what_was_typed() -> None:
    request = RequestFactory().post("/x/", {"reason": "", "count": "2"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    form = _ReasonForm(request.POST)
    with translation.override("zh-hans"):
        assert not form.is_valid()
        form_refused(request, form)
    [said] = [str(m) for m in get_messages(request)]
    assert said.startswith("理由：")
    assert request.session[SESSION_KEY]["fields"] == {"count": "2"}
