"""Abuse (issue 11): text messages go only to a number that proved itself with a one-time code. A guest reporting
on the form proves the number inside it (send the code, enter it; htmx) and then gets the tracking number and the
progress by SMS; a guest who does not gets none."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.models import Appeal
from linli.core.crypto import decrypt
from linli.core.models import OutboxMessage
from linli.core.roles import Role
from linli.testing import Cast

pytestmark = pytest.mark.django_db

PHONE = "13600007777"
REPORT = {
    "kind": "complaint",
    "title": "路灯坏了",
    "description": "小区门口路灯不亮，晚上出行很不方便。",
    "category": "property_management.property_service",
    "grid": "G001",
}


def _code(phone: str) -> str:
    message = OutboxMessage.objects.filter(recipient=phone, payload__has_key="sealed_text").latest("id")
    match = re.search(r"\d{6}", decrypt(message.payload["sealed_text"]))
    assert match
    return match.group(0)


def _htmx(client: Client, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data, HTTP_HX_REQUEST="true")


def _report(client: Client, phone: str, key: str) -> Appeal:
    response = client.post("/appeals/new/", {**REPORT, "contact_phone": phone, "idempotency_key": key})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Appeal.objects.get(tracking_number=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def _texts(phone: str) -> list[str]:
    return [m.payload["text"] for m in OutboxMessage.objects.filter(recipient=phone, payload__has_key="text")]


def test_a_guest_proves_the_number_in_the_form_and_gets_the_tracking_sms(cast: Cast) -> None:
    client = Client()
    form = client.get("/appeals/new/").content.decode()
    assert 'id="phone-proof"' in form and "发送验证码" in form
    sent = _htmx(client, "/appeals/new/phone/code/", {"contact_phone": "136 0000 7777"})
    assert sent.status_code == 200 and 'id="phone-code"' in sent.content.decode()
    assert "136****7777" in sent.content.decode()
    not_it = f"{(int(_code(PHONE)) + 1) % 10**6:06d}"
    wrong = _htmx(client, "/appeals/new/phone/verify/", {"contact_phone": PHONE, "phone_code": not_it})
    assert wrong.status_code == 422 and "验证码不正确" in wrong.content.decode()
    assert 'role="alert"' in wrong.content.decode() and not User.objects.filter(phone=PHONE).exists()
    proven = _htmx(client, "/appeals/new/phone/verify/", {"contact_phone": PHONE, "phone_code": _code(PHONE)})
    assert proven.status_code == 200 and "已验证" in proven.content.decode()
    # The form now starts from the proven number and says so.
    again = client.get("/appeals/new/").content.decode()
    assert f'value="{PHONE}"' in again and "已验证" in again
    appeal = _report(client, PHONE, "k-" + "7" * 30)
    account = User.objects.get(phone=PHONE, role=Role.RESIDENT)
    assert appeal.resident == account and appeal.contact_phone == PHONE
    assert (
        "编号也会以短信发送给您"
        in client.get(f"/appeals/submitted/{appeal.tracking_number}/").content.decode()
    )
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    assert any(appeal.tracking_number in text for text in _texts(PHONE))


def test_a_guest_who_does_not_prove_the_number_gets_no_sms(cast: Cast) -> None:
    client = Client()
    appeal = _report(client, "13600008888", "k-" + "8" * 30)
    assert appeal.resident is None
    page = client.get(f"/appeals/submitted/{appeal.tracking_number}/").content.decode()
    assert "未经验证码验证的号码不会收到短信" in page
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    assert not OutboxMessage.objects.filter(recipient="13600008888").exists()


def test_a_number_proven_for_one_phone_does_not_cover_another(cast: Cast) -> None:
    client = Client()
    _htmx(client, "/appeals/new/phone/code/", {"contact_phone": PHONE})
    _htmx(client, "/appeals/new/phone/verify/", {"contact_phone": PHONE, "phone_code": _code(PHONE)})
    appeal = _report(client, "13600009999", "k-" + "9" * 30)
    assert appeal.resident is None
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    assert not OutboxMessage.objects.filter(recipient="13600009999").exists()


def test_a_bad_number_or_too_soon_a_second_code_is_said_on_the_form(cast: Cast) -> None:
    client = Client()
    bad = _htmx(client, "/appeals/new/phone/code/", {"contact_phone": "12345"})
    assert bad.status_code == 422 and 'role="alert"' in bad.content.decode()
    assert _htmx(client, "/appeals/new/phone/code/", {"contact_phone": PHONE}).status_code == 200
    soon = _htmx(client, "/appeals/new/phone/code/", {"contact_phone": PHONE})
    assert soon.status_code == 422 and "秒" in soon.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()
