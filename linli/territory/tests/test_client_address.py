"""Reading a resident's personal data in clear is audited with the real client address behind a trusted proxy,
and a header sent by the client itself is not believed (core/clientip.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from linli.core.models import AuditEntry
from linli.testing import Cast


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings: Any) -> None:
    settings.LINLI_TRUSTED_PROXIES = "10.0.0.0/8"


@pytest.mark.parametrize("url", ["/api/residents/{pk}/reveal", "/territory/residents/{pk}/reveal/"])
def test_reveal_audits_the_real_client_and_ignores_a_forged_header(cast: Cast, url: str) -> None:
    proxied = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    direct = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    for client in (proxied, direct):
        client.force_login(cast.community_worker)
        assert client.post(url.format(pk=cast.resident_record.pk)).status_code == 200
    ips = AuditEntry.objects.filter(action="reveal_personal_data").values_list("ip", flat=True)
    assert sorted(ips) == ["198.51.100.7", "203.0.113.9"]
