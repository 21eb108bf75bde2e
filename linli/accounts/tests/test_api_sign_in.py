"""A resident signs in through the API by a one-time code, as a phone app would: the same service, limits and
refusals as the sign-in page, and a session (with its CSRF token) that the later API calls are made with."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.tests.codes import last_code
from linli.core import sms
from linli.core.models import AuditEntry
from linli.testing import Cast

PHONE = "13700004321"
CODE_URL = "/api/accounts/sign-in/code"
SIGN_IN_URL = "/api/accounts/sign-in"
# The code's SMS leaves after the commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_resident_signs_in_by_code_and_the_session_carries_later_calls(
    cast: Cast, sms_outbox: list[sms.SMSMessage]
) -> None:
    app = Client(enforce_csrf_checks=True)  # as a phone app: cookies kept, CSRF enforced as in production
    sent = _post(app, CODE_URL, {"phone": "+86 137 0000 4321"})
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert body["phone_masked"] == "137****4321"
    assert body["resend_after"] > timezone.now().isoformat()[:19]
    assert [m.phone for m in sms_outbox] == [PHONE]

    done = _post(app, SIGN_IN_URL, {"phone": PHONE, "code": last_code(sms_outbox)})
    assert done.status_code == 200, done.content
    signed = done.json()
    user = User.objects.get(phone=PHONE, role="resident")
    assert (signed["account"]["id"], signed["account"]["role"]) == (user.pk, "resident")
    assert signed["account"]["household_verified"] is False
    assert AuditEntry.objects.filter(action="resident_account_create", object_id=str(user.pk)).exists()

    # The session cookie alone reads; a write also sends the CSRF token the answer gave.
    assert app.get("/api/accounts/me").json()["username"] == f"m{PHONE}"
    claim = {"address": "和平路一号院1号楼", "unit": 1, "room": "101", "name": "张三"}
    assert _post(app, "/api/accounts/household-claims", claim).status_code == 403  # no CSRF token: refused
    written = _post(app, "/api/accounts/household-claims", claim, X_CSRFToken=signed["csrf_token"])
    assert written.status_code == 201, written.content
    assert written.json()["status"] == "pending"

    out = _post(app, "/api/accounts/sign-out", {}, X_CSRFToken=signed["csrf_token"])
    assert out.status_code == 204
    assert app.get("/api/accounts/me").status_code == 401


def test_a_wrong_code_is_refused_in_chinese_with_the_attempts_left(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    _post(client, CODE_URL, {"phone": PHONE})
    wrong = _post(client, SIGN_IN_URL, {"phone": PHONE, "code": _wrong(last_code(sms_outbox))})
    assert wrong.status_code == 422
    assert wrong.json() == {
        "code": "otp_wrong",
        "message": "验证码不正确，还可尝试4次。",
        "extra": {"field": "code", "attempts_left": 4},
    }
    assert client.get("/api/accounts/me").status_code == 401  # not signed in
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_code_never_sent_is_refused_as_on_the_page(client: Client) -> None:
    refused = _post(client, SIGN_IN_URL, {"phone": PHONE, "code": "123456"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "otp_void"
    assert refused.json()["message"] == "还没有向这个手机号发送过验证码，请先点击“获取验证码”。"


def test_too_many_codes_are_refused_within_a_minute_and_after_ten_a_day(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _post(client, CODE_URL, {"phone": PHONE}).status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=20), tick=False):
        soon = _post(client, CODE_URL, {"phone": PHONE})
    assert soon.status_code == 422
    assert soon.json() == {
        "code": "otp_too_soon",
        "message": "验证码发送过于频繁，请41秒后再试。",
        "extra": {"field": "phone", "retry_after": 41},
    }
    for i in range(1, 10):
        with time_machine.travel(start + dt.timedelta(minutes=2 * i), tick=False):
            assert _post(client, CODE_URL, {"phone": PHONE}).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        daily = _post(client, CODE_URL, {"phone": PHONE})
    assert daily.status_code == 422
    assert daily.json()["code"] == "otp_daily_limit"
    assert daily.json()["message"] == "该手机号今日获取验证码次数已达上限，请明天再试。"
    assert len(sms_outbox) == 10


def test_a_number_that_is_not_a_mobile_is_refused_and_nothing_is_sent(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    refused = _post(client, CODE_URL, {"phone": "010-12345678"})
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["extra"]) == ("invalid", {"field": "phone"})
    assert sms_outbox == []


def test_the_refusals_are_in_english_for_an_english_reader(
    client: Client, sms_outbox: list[sms.SMSMessage]
) -> None:
    _post(client, CODE_URL, {"phone": PHONE})
    wrong = client.post(
        SIGN_IN_URL,
        {"phone": PHONE, "code": _wrong(last_code(sms_outbox))},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.json()["message"] == "The code is not correct. 4 attempts left."


def test_a_disabled_account_is_not_signed_in(client: Client, sms_outbox: list[sms.SMSMessage]) -> None:
    User.objects.create(username=f"m{PHONE}", role="resident", phone=PHONE, is_active=False)
    _post(client, CODE_URL, {"phone": PHONE})
    refused = _post(client, SIGN_IN_URL, {"phone": PHONE, "code": last_code(sms_outbox)})
    assert refused.status_code == 403
    assert refused.json()["message"] == "该账号已停用，请联系所在社区。"
    assert client.get("/api/accounts/me").status_code == 401


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_sign_in_not_sent_as_json_is_refused(
    client: Client, sms_outbox: list[sms.SMSMessage], content_type: str
) -> None:
    """A page elsewhere can post a form (text/plain holding JSON) to the sign-in without asking first; only a
    program sending JSON can sign in, so another site cannot sign a visitor's browser into its own account."""
    _post(client, CODE_URL, {"phone": PHONE})
    body = json.dumps({"phone": PHONE, "code": last_code(sms_outbox)})
    refused = client.post(SIGN_IN_URL, body, content_type=content_type)
    assert refused.status_code == 415
    assert refused.json()["code"] == "json_required"
    assert refused.json()["message"] == "请以 JSON 发送（Content-Type: application/json）。"
    assert client.get("/api/accounts/me").status_code == 401
