"""A resident sent to sign in from a page (a place to follow, a page of their own) comes back to it afterwards."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.accounts.tests.codes import last_code
from linli.core import sms

PHONE = "13700005678"
HTMX = {"HX-Request": "true"}


@pytest.mark.django_db(transaction=True)
def test_signing_in_returns_to_the_page_that_sent_the_resident(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    page = client.get("/accounts/resident/login/?next=/places/")
    assert 'name="next" value="/places/"' in page.content.decode()
    step = client.post("/accounts/resident/login/send/", {"phone": PHONE, "next": "/places/"}, headers=HTMX)
    html = step.content.decode()
    assert html.count('name="next" value="/places/"') == 2  # the code form and "send a new code"
    assert "/accounts/resident/login/?next=/places/" in html  # "use another number" keeps it too
    done = client.post(
        "/accounts/resident/login/verify/",
        {"phone": PHONE, "code": last_code(sms_outbox), "next": "/places/"},
        headers=HTMX,
    )
    assert done["HX-Redirect"] == "/places/"
    # Signed in already, the sign-in page sends them on to it.
    assert client.get("/accounts/resident/login/?next=/places/")["Location"] == "/places/"


@pytest.mark.django_db(transaction=True)
def test_a_next_page_elsewhere_is_ignored(client: Client, sms_outbox: list[sms.SMSMessage]) -> None:
    page = client.get("/accounts/resident/login/?next=https://evil.example/")
    assert "evil.example" not in page.content.decode()
    client.post("/accounts/resident/login/send/", {"phone": PHONE, "next": "//evil.example/"})
    done = client.post(
        "/accounts/resident/login/verify/",
        {"phone": PHONE, "code": last_code(sms_outbox), "next": "//evil.example/"},
    )
    assert done.status_code == 302 and done["Location"] == "/"


@pytest.mark.django_db(transaction=True)
def test_a_residents_page_sends_a_guest_to_sign_in_and_back(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    sent = client.get("/accounts/resident/me/")
    assert (
        sent.status_code == 302
        and sent["Location"] == "/accounts/resident/login/?next=/accounts/resident/me/"
    )
    client.post("/accounts/resident/login/send/", {"phone": PHONE, "next": "/accounts/resident/me/"})
    done = client.post(
        "/accounts/resident/login/verify/",
        {"phone": PHONE, "code": last_code(sms_outbox), "next": "/accounts/resident/me/"},
    )
    assert done["Location"] == "/accounts/resident/me/"


@pytest.mark.django_db
def test_the_links_between_the_two_sign_in_pages_keep_the_page_to_return_to(client: Client) -> None:
    staff = client.get("/login/?next=/places/").content.decode()
    assert 'href="/accounts/resident/login/?next=/places/"' in staff  # "sign in with your mobile number"
    resident = client.get("/accounts/resident/login/?next=/territory/tree/").content.decode()
    assert 'href="/login/?next=/territory/tree/"' in resident  # "community staff: sign in here"
    # Only a page of this site is carried.
    assert "evil.example" not in client.get("/login/?next=https://evil.example/").content.decode()
    elsewhere = client.get("/accounts/resident/login/?next=//evil.example/").content.decode()
    assert "evil.example" not in elsewhere and 'href="/login/"' in elsewhere
