"""`linli check --deploy` tells an administrator, in Chinese, which LINLI_* variable to set (Django's English
warnings about the same settings are silenced)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from linli.core.checks import REWORDED

pytestmark = pytest.mark.django_db  # the holidays check (linli.W001) reads the calendar

_GOOD_KEY = "k7Qm2xV9pL4sT8wZ1cR6yB3nH5jF0dG2aE9uI7oP4lK1mN8bV6c"


@pytest.fixture(autouse=True)
def _async_safety_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # The browser tests' setting, which --deploy refuses (async.E001); no deployment sets it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def _deploy_check() -> str:
    err = io.StringIO()
    call_command("check", "--deploy", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


@override_settings(
    HTTPS=True,
    SECRET_KEY=_GOOD_KEY,
    DEBUG=False,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
)
def test_production_settings_pass_the_deploy_check() -> None:
    text = _deploy_check()
    assert "security." not in text, text


@override_settings(
    HTTPS=True,
    SECRET_KEY="short",
    DEBUG=True,
    ALLOWED_HOSTS=[],
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=False,
    SECURE_HSTS_SECONDS=0,
)
def test_each_weak_setting_is_named_by_its_variable_in_chinese() -> None:
    text = _deploy_check()
    for expected in (
        "(linli.security.W004) LINLI_HSTS_SECONDS 为 0",
        "(linli.security.W008) LINLI_SSL_REDIRECT 为 false",
        "(linli.security.W009) LINLI_SECRET_KEY 太短或太简单",
        "(linli.security.W018) LINLI_DEBUG 为 true",
        "(linli.security.W020) LINLI_ALLOWED_HOSTS 为空",
    ):
        assert expected in text, text
    # Django's English warnings about the same settings are not shown as well.
    for english in ("(security.W", "SECRET_KEY has less", "You should not have DEBUG"):
        assert english not in text, text


@override_settings(HTTPS=False, SECRET_KEY=_GOOD_KEY, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False)
def test_plain_http_is_one_warning_saying_what_to_set_behind_tls() -> None:
    text = _deploy_check()
    assert text.count("linli.security.") == 1, text
    assert "(linli.security.W012) LINLI_HTTPS 未设为 true" in text
    assert "LINLI_BEHIND_PROXY=true" in text


def test_every_reworded_warning_silences_djangos_own() -> None:
    assert set(REWORDED) == {i for i in settings.SILENCED_SYSTEM_CHECKS if i.startswith("security.")}


@pytest.mark.parametrize(
    ("backend", "problem"),
    [
        ("nope.Gateway", "No module named 'nope'"),
        ("linli.core.sms.mask_phone", "它没有 send(phone, text) 方法"),
    ],
)
def test_an_sms_backend_that_cannot_send_is_found_by_the_check(backend: str, problem: str) -> None:
    err = io.StringIO()
    with override_settings(LINLI_SMS_BACKEND=backend):
        call_command("check", stdout=io.StringIO(), stderr=err)
    assert (
        f"(linli.W002) LINLI_SMS_BACKEND={backend} 无法使用（{problem}）：短信（包括居民登录验证码）都发不出去。"
        in (err.getvalue())
    )
    err = io.StringIO()
    call_command("check", stdout=io.StringIO(), stderr=err)  # console, the default: nothing to say
    assert "W002" not in err.getvalue()
