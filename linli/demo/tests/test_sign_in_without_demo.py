"""Without the demo district, neither sign-in page says a word of it (with it: test_sign_in)."""

from __future__ import annotations

from django.test import Client

from linli.testing import Cast

STAFF_LOGIN = "/login/"
RESIDENT_LOGIN = "/accounts/resident/login/"


def test_no_demo_accounts_on_the_sign_in_pages_without_the_demo(cast: Cast, client: Client) -> None:
    html = client.get(STAFF_LOGIN).content.decode()
    assert 'name="username"' in html and "演示账号" not in html and "demo-accounts" not in html
    assert "演示" not in client.get(RESIDENT_LOGIN).content.decode()
