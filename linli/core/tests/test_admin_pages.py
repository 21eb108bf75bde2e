"""Core's pages of the administration site read Chinese: the audit log, the outbox, django-axes' sign-in records."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from linli.core.models import AuditEntry, OutboxMessage
from linli.testing import Cast


def _admin(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.admin)
    return client


def test_the_audit_log_names_its_actor_column_in_chinese(cast: Cast) -> None:
    AuditEntry.objects.create(
        actor=cast.admin, action="calendar_override_set", object_type="t", object_id="1"
    )
    html = _admin(cast).get("/admin/core/auditentry/").content.decode()
    assert "操作人" in html
    assert ">Actor<" not in html


def test_an_outbox_messages_page_is_titled_in_chinese_with_the_phone_masked(cast: Cast) -> None:
    message = OutboxMessage.objects.create(
        channel="sms",
        recipient="13986865629",
        payload={},
        next_attempt_at=timezone.now() + dt.timedelta(hours=1),
    )
    html = _admin(cast).get(f"/admin/core/outboxmessage/{message.pk}/change/").content.decode()
    assert "139****5629" in html
    assert "13986865629" not in html
    assert "(pending)" not in html and "sms →" not in html


def test_the_sign_in_records_filter_in_chinese(cast: Cast) -> None:
    html = _admin(cast).get("/admin/axes/accessattempt/").content.decode()
    assert "尝试时间" in html and "访问路径" in html
    for english in ("Attempt Time", "Locked Out", ">Path<"):
        assert english not in html
