"""Each test starts in the site's language, whatever an earlier test left active.

A request with Accept-Language: en activates English in the thread that served it (Django's LocaleMiddleware does
not put it back), so a later test reading a message without a request of its own read it in English: the test of
a form's text limit failed whenever the login page's English check ran before it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.utils import translation


def test_a_request_in_english_leaves_english_active_in_this_thread(db: None) -> None:
    Client(headers={"accept-language": "en"}).get("/login/")
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_the_sites_language() -> None:
    assert translation.get_language() == settings.LANGUAGE_CODE
