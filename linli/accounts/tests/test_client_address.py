"""The sign-in lockout, one-time codes and claim decisions count people by the real client address behind a
trusted proxy (core/clientip.py); a client that sends X-Forwarded-For itself cannot pass for another address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from linli.accounts import services
from linli.accounts.models import HouseholdClaim
from linli.accounts.tests.codes import last_code
from linli.core import sms
from linli.core.models import AuditEntry
from linli.testing import PASSWORD, Cast


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings: Any) -> None:
    settings.LINLI_TRUSTED_PROXIES = "10.0.0.0/8"


def _fail(client: Client, times: int) -> None:
    for _ in range(times):
        client.post("/login/", {"username": "communityworker", "password": "wrong-password-0"})


def test_lockout_through_the_proxy_holds_the_real_client_only(cast: Cast, settings: Any) -> None:
    attacker = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    _fail(attacker, settings.AXES_FAILURE_LIMIT)
    assert (
        "登录失败次数过多"
        in attacker.post("/login/", {"username": "communityworker", "password": PASSWORD}).content.decode()
    )
    colleague = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8")
    signed_in = colleague.post("/login/", {"username": "communityworker", "password": PASSWORD})
    assert signed_in.status_code == 302  # behind the same proxy, another person is not locked out


def test_a_forged_header_does_not_dodge_the_lockout(cast: Cast, settings: Any) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}").post(
            "/login/", {"username": "communityworker", "password": "wrong-password-0"}
        )
    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.99")
    response = again.post("/login/", {"username": "communityworker", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the code is sent after the commit
def test_a_first_sign_in_by_code_is_audited_with_the_real_client(sms_outbox: list[sms.SMSMessage]) -> None:
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.post("/accounts/resident/login/send/", {"phone": "13700001234"})
    code = last_code(sms_outbox)
    client.post("/accounts/resident/login/verify/", {"phone": "13700001234", "code": code})
    assert AuditEntry.objects.get(action="resident_account_create").ip == "198.51.100.7"


def test_a_claim_decision_is_audited_with_the_real_client(cast: Cast) -> None:
    claim = services.household_claim(actor=cast.resident, household=cast.household, claimant_name="张三")
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.force_login(cast.community_worker)
    assert client.post(f"/accounts/verifications/{claim.pk}/approve/").status_code == 302
    assert HouseholdClaim.objects.get(pk=claim.pk).status == "approved"
    assert AuditEntry.objects.get(action="household_claim_approved").ip == "198.51.100.7"
