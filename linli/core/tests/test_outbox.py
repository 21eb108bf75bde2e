"""The outbox: written in the transaction, delivered after commit, retried with backoff; email and webhooks."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, transaction
from django.test import override_settings

from linli.core import outbox, sms
from linli.core.models import AuditEntry, Notification, OutboxMessage, OutboxStatus


class _Hook(BaseHTTPRequestHandler):
    received: list[Any] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def hook_url() -> Any:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received = []
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


@override_settings(LINLI_OUTBOX_SEND_ON_COMMIT=False)
def test_webhook_and_email_are_delivered_by_the_worker(db: None, hook_url: str) -> None:
    outbox.outbox_enqueue(
        channel="webhook", recipient=hook_url, payload={"json": {"event": "resolved", "n": 1}}
    )
    outbox.outbox_enqueue(
        channel="email", recipient="a@example.org", payload={"subject": "办结", "text": "已办结"}
    )
    assert outbox.outbox_deliver_due() == 2
    assert _Hook.received == [{"event": "resolved", "n": 1}]
    assert mail.outbox[0].subject == "办结"
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert outbox.outbox_deliver_due() == 0


@override_settings(LINLI_OUTBOX_SEND_ON_COMMIT=False, LINLI_OUTBOX_MAX_ATTEMPTS=2)
def test_an_unreachable_webhook_fails_after_the_last_attempt(db: None) -> None:
    message = outbox.outbox_enqueue(channel="webhook", recipient="http://127.0.0.1:9/none", payload={})
    assert message is not None
    assert outbox.outbox_deliver_due() == 0
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.next_attempt_at)
    assert outbox.outbox_deliver_due() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)
    assert message.last_error


def test_nothing_leaves_before_the_commit(transactional_db: None, hook_url: str) -> None:
    with transaction.atomic():
        outbox.outbox_enqueue(channel="webhook", recipient=hook_url, payload={"json": {"x": 1}})
        assert _Hook.received == []
    # Delivered right after the commit, without a worker.
    assert _Hook.received == [{"x": 1}]
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_enqueue(channel="webhook", recipient=hook_url, payload={"json": {"x": 2}})
        raise RuntimeError("rolled back")
    assert _Hook.received == [{"x": 1}]
    assert OutboxMessage.objects.count() == 1


def test_inbox_entries_and_marking_them_read(db: None, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(username="u1", password="x" * 12)
    outbox.notification_create(user=user, title="新工单", body="请签收", url="/appeals/1/")
    outbox.notification_create(user=user, title="即将到期")
    assert outbox.notification_create(user=None, title="nobody") is None
    assert outbox.notifications_mark_read(actor=user) == 2
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0


def test_many_messages_and_inbox_entries_are_one_insert_each_and_leave_after_the_commit(
    transactional_db: None, hook_url: str, django_user_model: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    users = [django_user_model.objects.create_user(username=f"m{i}", password="x" * 12) for i in range(5)]
    with transaction.atomic(), CaptureQueriesContext(connection) as written:
        outbox.notifications_create([(u, f"/appeals/{u.pk}/") for u in users] + [(None, "/")], title="新工单")
        outbox.outbox_enqueue_many(
            channel="webhook", recipients=[hook_url] * 3 + [""], payload={"json": {"x": 1}}
        )
        assert _Hook.received == []
    inserts = [q["sql"] for q in written.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 2  # one for the inbox, one for the outbox
    assert Notification.objects.count() == 5 and OutboxMessage.objects.count() == 3
    assert _Hook.received == [{"x": 1}] * 3  # delivered right after the commit, without a worker


class FailingSMSBackend:
    """A gateway that is down."""

    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("SMS gateway unreachable")


def _later(minutes: int) -> Any:
    from django.utils import timezone

    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=False)


def test_a_failing_gateway_leaves_the_write_saved_and_the_message_for_the_worker(
    transactional_db: None, settings: Any
) -> None:
    settings.LINLI_SMS_BACKEND = "linli.core.tests.test_outbox.FailingSMSBackend"
    sms.outbox.clear()
    with transaction.atomic():
        AuditEntry.objects.create(action="test.write", object_type="t", object_id="1")
        outbox.sms_enqueue(phone="13800001111", text="您的诉求已办结")
    # The commit went through and the attempt right after it failed quietly.
    assert AuditEntry.objects.filter(action="test.write").exists()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "SMS gateway unreachable" in message.last_error
    settings.LINLI_SMS_BACKEND = "locmem"
    assert outbox.outbox_deliver_due() == 0  # not before its backoff
    with _later(1):
        assert outbox.outbox_deliver_due() == 1
    assert [(m.phone, m.text) for m in sms.outbox] == [("13800001111", "您的诉求已办结")]
    message.refresh_from_db()
    assert message.status == "sent"
    sms.outbox.clear()


def test_a_database_error_while_delivering_after_commit_does_not_reach_the_caller(
    transactional_db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.LINLI_SMS_BACKEND = "locmem"
    sms.outbox.clear()

    def locked(ids: list[int]) -> int:
        raise OperationalError("database is locked")

    monkeypatch.setattr(outbox, "outbox_deliver_ids", locked)
    with transaction.atomic():
        AuditEntry.objects.create(action="test.write", object_type="t", object_id="2")
        outbox.sms_enqueue(phone="13800001111", text="请对办理结果评价")
    assert AuditEntry.objects.filter(action="test.write").exists()
    assert OutboxMessage.objects.get().status == "pending"
    assert sms.outbox == []
    monkeypatch.undo()
    assert outbox.outbox_deliver_due() == 1  # the worker's next run
    assert [m.text for m in sms.outbox] == ["请对办理结果评价"]
    sms.outbox.clear()


def test_a_secret_text_is_stored_encrypted_and_sent_at_once_in_clear(
    transactional_db: None, settings: Any
) -> None:
    settings.LINLI_SMS_BACKEND = "locmem"
    sms.outbox.clear()
    with override_settings(LINLI_OUTBOX_SEND_ON_COMMIT=False), transaction.atomic():
        outbox.sms_enqueue(phone="13800001111", text="验证码 246810", secret=True)
        assert "246810" not in json.dumps(OutboxMessage.objects.get().payload)
    # A one-time code does not wait for the worker even where other messages do.
    assert [m.text for m in sms.outbox] == ["验证码 246810"]
    assert OutboxMessage.objects.get().status == "sent"
    sms.outbox.clear()


def test_discarded_text_messages_never_leave_and_the_rest_still_do(db: None, settings: Any) -> None:
    settings.LINLI_SMS_BACKEND = "locmem"
    settings.LINLI_OUTBOX_SEND_ON_COMMIT = False
    sms.outbox.clear()
    outbox.sms_enqueue(phone="13800001111", text="已受理")
    assert outbox.outbox_deliver_due() == 1  # sent before the discard: it stays on record
    outbox.sms_enqueue(phone="13800001111", text="已办结")
    outbox.sms_enqueue(phone="13800002222", text="已受理")
    outbox.outbox_enqueue(channel="email", recipient="a@example.org", payload={"subject": "s", "text": "t"})
    dropped = outbox.outbox_discard(channel="sms", recipients=["13800001111", "13900009999", ""])
    assert dropped == 1
    # Another channel's messages to the same recipient stay.
    assert outbox.outbox_discard(channel="email", recipients=["13800002222"]) == 0
    assert outbox.outbox_deliver_due() == 2  # the other resident's text and the e-mail
    assert [(m.phone, m.text) for m in sms.outbox] == [("13800001111", "已受理"), ("13800002222", "已受理")]
    assert OutboxMessage.objects.filter(channel="sms", status="sent").count() == 2
    sms.outbox.clear()


class SlowSMSBackend:
    """A gateway that takes 10 s per message (the clock is moved on); while it is busy with the 13th message of
    the first worker, a second worker starts its round, as it would on another machine."""

    sent: list[str] = []
    clock: Any = None
    second_worker_started = False

    def send(self, phone: str, text: str) -> None:
        cls = SlowSMSBackend
        cls.clock.shift(dt.timedelta(seconds=10))
        cls.sent.append(text)
        if len(cls.sent) == 13 and not cls.second_worker_started:
            cls.second_worker_started = True
            outbox.outbox_deliver_due()


def test_a_slow_gateway_never_makes_two_workers_send_the_same_message(db: None, settings: Any) -> None:
    settings.LINLI_SMS_BACKEND = "linli.core.tests.test_outbox.SlowSMSBackend"
    settings.LINLI_OUTBOX_SEND_ON_COMMIT = False
    for n in range(150):
        outbox.sms_enqueue(phone="13800001111", text=f"message {n}")
    SlowSMSBackend.sent = []
    SlowSMSBackend.second_worker_started = False
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC), tick=False) as clock:
        SlowSMSBackend.clock = clock
        outbox.sms_enqueue(phone="13800001111", text="message 150")  # due now, like the others
        OutboxMessage.objects.update(next_attempt_at=dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC))
        outbox.outbox_deliver_due()  # the first worker: a claim of 100 takes 1,000 s at 10 s each
        outbox.outbox_deliver_due()  # its next round takes what is left
    assert SlowSMSBackend.second_worker_started
    assert sorted(SlowSMSBackend.sent) == sorted(f"message {n}" for n in range(151))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_withdrawing_an_event_drops_only_its_texts_still_waiting() -> None:
    sent = outbox.sms_enqueue(phone="13800000001", text="告警", about="sensors.alarm:1")
    assert sent is not None
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT)
    outbox.sms_enqueue(phone="13800000002", text="告警", about="sensors.alarm:1")
    other = outbox.sms_enqueue(phone="13800000002", text="另一条告警", about="sensors.alarm:2")
    plain = outbox.sms_enqueue(phone="13800000003", text="通知")
    assert outbox.outbox_withdraw(about="sensors.alarm:1") == 1
    assert outbox.outbox_withdraw(about="") == 0
    left = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert left == {sent.pk, other.pk, plain.pk}  # type: ignore[union-attr]


def test_the_outbox_states_read_as_an_outbox_in_chinese() -> None:
    # The bare words "Pending" and "Sent" are translated elsewhere for other things (a claim 待审核, a column
    # 提交时间): the administrator's outbox list said a message sent was 提交时间.
    from django.utils import translation

    with translation.override("zh-hans"):
        labels = {value: str(label) for value, label in OutboxStatus.choices}
    assert labels == {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败"}
