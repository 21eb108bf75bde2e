"""Behind a reverse proxy every limit and audit entry of appeals uses the real client address (core/clientip.py):
a request through a trusted proxy counts against the address in X-Forwarded-For, and a client that sends the
header itself (not through a trusted proxy) cannot pass for another address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals.models import IntakeCounter
from linli.appeals.tests.factories import submit
from linli.appeals.tests.test_resident_side import guest_post
from linli.core.models import AuditEntry
from linli.testing import Cast

PROXY = "10.0.0.5"
REAL = "198.51.100.7"
SPOOF = {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings: Any) -> None:
    settings.LINLI_TRUSTED_PROXIES = "10.0.0.0/8"


def via_proxy(client_address: str = REAL) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def test_failed_tracking_look_ups_count_against_the_real_client(cast: Cast) -> None:
    appeal = submit(cast)
    wrong = {"tracking_number": appeal.tracking_number, "phone": "13000000000"}
    via_proxy().post("/appeals/track/", wrong)
    Client(REMOTE_ADDR="203.0.113.9", **SPOOF).post("/appeals/track/", wrong)
    keys = set(IntakeCounter.objects.filter(key__startswith="track:").values_list("key", flat=True))
    assert keys == {f"track:{REAL}", "track:203.0.113.9"}


def test_guest_submissions_count_against_the_real_client(cast: Cast, settings: Any) -> None:
    settings.LINLI_GUEST_APPEALS_PER_ADDRESS_HOUR = 1
    assert guest_post(via_proxy(), "13600000001").status_code == 201
    assert guest_post(via_proxy(), "13600000002").status_code == 429  # the same client behind the proxy
    assert guest_post(via_proxy("198.51.100.8"), "13600000003").status_code == 201  # another client
    spoofer = Client(REMOTE_ADDR="203.0.113.9", **SPOOF)
    assert guest_post(spoofer, "13600000004").status_code == 201
    spoofer = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.5")
    assert guest_post(spoofer, "13600000005").status_code == 429  # a new header is not a new address


def test_contact_reveal_on_the_page_audits_the_real_client(cast: Cast) -> None:
    appeal = submit(cast)
    client = via_proxy()
    client.force_login(cast.grid_worker)
    assert client.post(reverse("appeals:reveal_contact", args=[appeal.pk])).status_code == 200
    assert AuditEntry.objects.get(action="appeal.contact_reveal").ip == REAL


def test_contact_read_in_the_api_audits_the_real_client(cast: Cast) -> None:
    appeal = submit(cast)
    client = Client(REMOTE_ADDR="203.0.113.9", **SPOOF)
    client.force_login(cast.grid_worker)
    assert client.get(f"/api/appeals/{appeal.pk}").status_code == 200
    assert (
        AuditEntry.objects.get(action="appeal.contact.read").ip == "203.0.113.9"
    )  # the header is not believed
    proxied = via_proxy()
    proxied.force_login(cast.grid_worker)
    assert proxied.get(f"/api/appeals/{appeal.pk}").status_code == 200
    assert AuditEntry.objects.filter(action="appeal.contact.read", ip=REAL).count() == 1
