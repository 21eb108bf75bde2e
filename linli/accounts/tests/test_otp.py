"""Signing residents in by a one-time code: request, wrong code, expiry, attempts, reuse, rate limit."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from linli.accounts import services
from linli.accounts.models import OneTimeCode, User
from linli.accounts.tests.codes import last_code
from linli.core import sms
from linli.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "13800001111"


def _request_at(moment: dt.datetime, phone: str = PHONE) -> None:
    with time_machine.travel(moment, tick=False):
        services.otp_request(phone=phone)


def _refused_at(moment: dt.datetime, call: Callable[[], object]) -> ValidationFailed:
    """The ValidationFailed that `call` raises at `moment`."""
    with time_machine.travel(moment, tick=False), pytest.raises(ValidationFailed) as err:
        call()
    return err.value


def test_request_sends_a_six_digit_code_and_stores_only_its_hash(sms_outbox: list[sms.SMSMessage]) -> None:
    services.otp_request(phone="+86 138 0000 1111")
    assert [m.phone for m in sms_outbox] == [PHONE]
    code = last_code(sms_outbox)
    stored = OneTimeCode.objects.get(phone=PHONE)
    assert code not in stored.code_hash
    assert "验证码" in sms_outbox[0].text


def test_the_sms_is_in_chinese_even_when_the_page_language_is_english(
    sms_outbox: list[sms.SMSMessage],
) -> None:
    from django.utils import translation

    with translation.override("en"):
        services.otp_request(phone=PHONE)
    assert "您的验证码是" in sms_outbox[-1].text


def test_invalid_mobile_number_is_refused_with_a_message(sms_outbox: list[sms.SMSMessage]) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.otp_request(phone="010-12345678")
    assert err.value.extra["field"] == "phone"
    assert sms_outbox == []


def test_right_code_creates_a_resident_account_once(sms_outbox: list[sms.SMSMessage]) -> None:
    services.otp_request(phone=PHONE)
    user = services.otp_verify(phone=PHONE, code=last_code(sms_outbox))
    assert (user.role, user.username, user.phone) == ("resident", f"m{PHONE}", PHONE)
    assert not user.has_usable_password()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        services.otp_request(phone=PHONE)
        again = services.otp_verify(phone=PHONE, code=last_code(sms_outbox))
    assert again.pk == user.pk
    assert User.objects.filter(phone=PHONE).count() == 1


def test_wrong_code_says_how_many_attempts_are_left(sms_outbox: list[sms.SMSMessage]) -> None:
    services.otp_request(phone=PHONE)
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ValidationFailed) as err:
        services.otp_verify(phone=PHONE, code=wrong)
    assert err.value.code == "otp_wrong"
    assert err.value.extra["attempts_left"] == 4
    assert services.otp_verify(phone=PHONE, code=right).phone == PHONE


def test_code_is_void_after_the_maximum_of_wrong_attempts(sms_outbox: list[sms.SMSMessage], settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_OTP_MAX_ATTEMPTS = 3
    services.otp_request(phone=PHONE)
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    codes = []
    for _ in range(3):
        with pytest.raises(ValidationFailed) as err:
            services.otp_verify(phone=PHONE, code=wrong)
        codes.append(err.value.code)
    assert codes == ["otp_wrong", "otp_wrong", "otp_void"]
    with pytest.raises(ValidationFailed) as err:
        services.otp_verify(phone=PHONE, code=right)
    assert err.value.code == "otp_void"
    assert not User.objects.filter(phone=PHONE).exists()


def test_code_expires_after_its_time_to_live(sms_outbox: list[sms.SMSMessage], settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_OTP_TTL_SECONDS = 300
    start = timezone.now()
    _request_at(start)
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    before = _refused_at(
        start + dt.timedelta(seconds=299), lambda: services.otp_verify(phone=PHONE, code=wrong)
    )
    assert before.code == "otp_wrong"  # still open just before the deadline
    after = _refused_at(
        start + dt.timedelta(seconds=301), lambda: services.otp_verify(phone=PHONE, code=right)
    )
    assert after.code == "otp_void"


def test_a_used_code_cannot_be_used_again(sms_outbox: list[sms.SMSMessage]) -> None:
    services.otp_request(phone=PHONE)
    code = last_code(sms_outbox)
    services.otp_verify(phone=PHONE, code=code)
    with pytest.raises(ValidationFailed) as err:
        services.otp_verify(phone=PHONE, code=code)
    assert err.value.code == "otp_void"


def test_a_new_code_replaces_the_previous_one(sms_outbox: list[sms.SMSMessage]) -> None:
    start = timezone.now()
    _request_at(start)
    first = last_code(sms_outbox)
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        services.otp_request(phone=PHONE)
        second = last_code(sms_outbox)
        if first != second:
            with pytest.raises(ValidationFailed):
                services.otp_verify(phone=PHONE, code=first)
        assert services.otp_verify(phone=PHONE, code=second).phone == PHONE


def test_at_most_one_code_a_minute_per_number(sms_outbox: list[sms.SMSMessage]) -> None:
    start = timezone.now()
    _request_at(start)
    err = _refused_at(start + dt.timedelta(seconds=30), lambda: services.otp_request(phone=PHONE))
    assert err.code == "otp_too_soon"
    assert err.extra["retry_after"] == 31
    services.otp_request(phone="13900002222")  # another number is not held up
    _request_at(start + dt.timedelta(seconds=61))
    assert [m.phone for m in sms_outbox] == [PHONE, "13900002222", PHONE]


def test_at_most_ten_codes_a_day_per_number(sms_outbox: list[sms.SMSMessage]) -> None:
    start = timezone.now()
    for i in range(10):
        _request_at(start + dt.timedelta(minutes=2 * i))
    err = _refused_at(start + dt.timedelta(minutes=30), lambda: services.otp_request(phone=PHONE))
    assert err.code == "otp_daily_limit"
    _request_at(start + dt.timedelta(hours=24, minutes=1))
    assert len(sms_outbox) == 11


def test_nothing_is_sent_when_the_transaction_rolls_back(sms_outbox: list[sms.SMSMessage]) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.otp_request(phone=PHONE)
        raise RuntimeError("rolled back")
    assert sms_outbox == []
    assert not OneTimeCode.objects.exists()


def test_console_backend_writes_the_message_to_the_server_log(settings, caplog) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_SMS_BACKEND = "console"
    with caplog.at_level(logging.INFO, logger="linli.sms"):
        services.otp_request(phone=PHONE)
    (record,) = [r for r in caplog.records if r.name == "linli.sms"]
    assert record.getMessage().startswith("[SMS to 138****1111] ")
    assert re.search(r"验证码是\d{6}", record.getMessage())


def test_disabled_resident_cannot_sign_in(sms_outbox: list[sms.SMSMessage]) -> None:
    User.objects.create(username=f"m{PHONE}", role="resident", phone=PHONE, is_active=False)
    services.otp_request(phone=PHONE)
    with pytest.raises(PermissionDenied):
        services.otp_verify(phone=PHONE, code=last_code(sms_outbox))


def test_a_code_goes_through_the_outbox_and_the_worker_retries_a_failed_send(
    sms_outbox: list[sms.SMSMessage], settings
) -> None:  # type: ignore[no-untyped-def]
    from linli.core import outbox
    from linli.core.models import OutboxMessage

    settings.LINLI_SMS_BACKEND = "linli.core.tests.test_outbox.FailingSMSBackend"
    sent = services.otp_request(phone=PHONE)  # the gateway is down: the request still succeeds
    assert sent.phone == PHONE and OneTimeCode.objects.filter(phone=PHONE).exists()
    message = OutboxMessage.objects.get(recipient=PHONE)
    assert (message.channel, message.status, message.attempts) == ("sms", "pending", 1)
    assert sms_outbox == []
    settings.LINLI_SMS_BACKEND = "locmem"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
        assert outbox.outbox_deliver_due() == 1
        user = services.otp_verify(phone=PHONE, code=last_code(sms_outbox))
    assert user.phone == PHONE
