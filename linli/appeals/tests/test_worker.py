"""`linli worker`: warnings, breaches, escalation, callbacks, auto-close and the outbox."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, AppealEvent, CallbackTask
from linli.appeals.tests.factories import resolve_by_grid_worker, submit
from linli.core import outbox
from linli.core.errors import PermissionDenied
from linli.core.models import Notification, OutboxMessage
from linli.testing import Cast, at, run_worker


def test_overdue_appeal_is_warned_marked_and_escalated_to_the_compound(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        assert appeal.resolve_due_at == at(2026, 11, 11, 10, 0)
        traveller.move_to(at(2026, 11, 2, 13, 0))
        assert "appeals.ack_breaches=1" in run_worker()
        appeal.refresh_from_db()
        assert appeal.ack_breached_at == at(2026, 11, 2, 13, 0)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        # 80 % of the time gone: the handler is warned once.
        traveller.move_to(at(2026, 11, 10, 12, 0))
        assert "appeals.warn=1" in run_worker()
        assert "appeals.warn=0" in run_worker()
        assert Notification.objects.filter(user=cast.grid_worker, title__contains="即将到期").count() == 1
        traveller.move_to(at(2026, 11, 11, 10, 30))
        output = run_worker()
        assert "appeals.breaches=1" in output
    appeal.refresh_from_db()
    assert appeal.tier == "compound"
    assert appeal.unit_node == cast.compound
    assert appeal.state == "dispatched"
    assert appeal.escalation_count == 1
    actions = list(appeal.events.values_list("action", flat=True))
    assert actions[-2:] == ["breach", "escalate"]
    # A fresh clock at the compound: 7 working days from the breach.
    assert appeal.resolve_due_at == at(2026, 11, 20, 10, 30)
    # The community (tier above the compound) heard of the breach.
    assert Notification.objects.filter(user=cast.community_worker, title__contains="超期").exists()


def test_the_same_breach_is_acted_on_once_even_by_two_workers(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        stale_a = Appeal.objects.get(pk=appeal.pk)
        stale_b = Appeal.objects.get(pk=appeal.pk)
        traveller.move_to(at(2026, 11, 12, 10, 0))
        services.appeal_breach(appeal=stale_a)
        services.appeal_breach(appeal=stale_b)
    assert AppealEvent.objects.filter(appeal=appeal, action="breach").count() == 1
    assert AppealEvent.objects.filter(appeal=appeal, action="escalate").count() == 1


def test_no_rating_in_time_creates_a_callback_task_for_the_community(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        resolve_by_grid_worker(cast, appeal)
        traveller.move_to(at(2026, 11, 4, 10, 0))
        assert "appeals.callbacks=0" in run_worker()
        traveller.move_to(at(2026, 11, 5, 10, 1))
        assert "appeals.callbacks=1" in run_worker()
        assert "appeals.callbacks=0" in run_worker()
        task = CallbackTask.objects.get(appeal=appeal)
        assert task.community == cast.community
        assert Notification.objects.filter(user=cast.community_worker, title__contains="回访").exists()
        # The community worker calls and records the rating; the outsider may not.
        with pytest.raises(PermissionDenied):
            services.appeal_rate(actor=cast.outsider, appeal=appeal, value="satisfied")
        services.appeal_rate(
            actor=cast.community_worker, appeal=appeal, value="basically", comment="电话回访"
        )
        task.refresh_from_db()
        assert task.status == "done"
        traveller.move_to(at(2026, 11, 6, 11, 0))
        assert "appeals.close_rated=1" in run_worker()
    appeal.refresh_from_db()
    assert appeal.state == "closed"
    assert appeal.ratings.get().channel == "hotline"


def test_after_rework_the_callback_job_opens_the_task_again_once_and_then_leaves_the_appeal(
    cast: Cast,
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        resolve_by_grid_worker(cast, appeal)
        traveller.move_to(at(2026, 11, 5, 10, 1))
        assert "appeals.callbacks=1" in run_worker()
        services.appeal_rate(
            actor=cast.community_worker, appeal=appeal, value="unsatisfied", comment="灯还是不亮"
        )
        resolve_by_grid_worker(cast, appeal, note="已更换整套灯具，恢复照明。")
        traveller.move_to(at(2026, 11, 10, 10, 1))
        assert "appeals.callbacks=1" in run_worker()
        # The due mark is cleared: later passes no longer find the appeal.
        assert "appeals.callbacks=0" in run_worker()
    appeal.refresh_from_db()
    assert appeal.callback_due_at is None
    task = CallbackTask.objects.get(appeal=appeal)
    assert task.status == "open"
    assert task.created_at == at(2026, 11, 10, 10, 1)


def test_the_community_given_the_callback_records_it_on_the_page_when_the_district_resolved_it(
    cast: Cast, client_for: Any
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        for _tier in ("compound", "community", "street", "district"):
            appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="需要上级协调")
        services.appeal_acknowledge(actor=cast.district_leader, appeal=appeal)
        services.appeal_resolve(actor=cast.district_leader, appeal=appeal, note="区里协调物业更换了灯具。")
        traveller.move_to(at(2026, 11, 5, 10, 1))
        assert "appeals.callbacks=1" in run_worker()
        task = CallbackTask.objects.get(appeal=appeal)
        assert task.community == cast.community
        # Another community's staff may not record it.
        with pytest.raises(PermissionDenied):
            services.callback_unreachable(actor=cast.outsider, appeal=appeal)
        # The community told to call back finds the rating form on the appeal's page, and records it there.
        caller = client_for("community_worker")
        page = caller.get(reverse("appeals:detail", args=[appeal.pk]))
        assert "rate" in [name for name, _label, _form, _confirm in page.context["action_forms"]]
        # ... and the number to call (shown in full on request, the read audited).
        assert page.context["may_reveal"]
        shown = caller.post(reverse("appeals:reveal_contact", args=[appeal.pk]))
        assert appeal.contact_phone and appeal.contact_phone in shown.content.decode(), shown.status_code
        done = client_for("community_worker").post(
            reverse("appeals:act", args=[appeal.pk, "rate"]),
            {"rate-value": "satisfied", "rate-comment": "电话回访，居民满意"},
        )
        assert done.status_code == 302
        task.refresh_from_db()
        assert task.status == "done"
        assert appeal.ratings.get().channel == "hotline"


class FlakySMS:
    fail = True
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        if FlakySMS.fail:
            raise ConnectionError("gateway down")
        FlakySMS.sent.append((phone, text))


@override_settings(LINLI_SMS_BACKEND="linli.appeals.tests.test_worker.FlakySMS")
def test_outbox_retries_with_backoff_until_the_gateway_answers(cast: Cast) -> None:
    FlakySMS.fail, FlakySMS.sent = True, []
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        submit(cast)
        message = OutboxMessage.objects.filter(recipient="13812345678").first()
        assert message is not None and message.status == "pending"
        assert outbox.outbox_deliver_due() == 0
        message.refresh_from_db()
        assert (message.attempts, message.status) == (1, "pending")
        assert message.next_attempt_at == at(2026, 11, 2, 10, 0, 30)
        assert "ConnectionError" in message.last_error
        # Not due again until the backoff has passed.
        assert outbox.outbox_deliver_due() == 0
        message.refresh_from_db()
        assert message.attempts == 1
        FlakySMS.fail = False
        traveller.move_to(at(2026, 11, 2, 10, 1))
        assert outbox.outbox_deliver_due() >= 1
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.attempts == 2
    assert FlakySMS.sent[0][0] == "13812345678"
    assert "LL20261102-" in FlakySMS.sent[0][1]


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(30).total_seconds() == 6 * 3600


def test_worker_rejects_an_unknown_job(db: None) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("worker", "--once", "--job", "no.such", stderr=io.StringIO())
    assert exc.value.code == 2


def test_first_contact_clock_is_marked_once_and_not_after_contact(cast: Cast) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        late = submit(cast)
        contacted = submit(cast, description="另一处路灯不亮，请尽快维修。")
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=late)
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=contacted)
        services.appeal_contact(actor=cast.grid_worker, appeal=contacted, note="已电话联系")
        traveller.move_to(at(2026, 11, 3, 10, 30))  # one working day later
        assert "appeals.contact_breaches=1" in run_worker()
        assert "appeals.contact_breaches=0" in run_worker()
    late.refresh_from_db()
    contacted.refresh_from_db()
    assert late.contact_breached_at == at(2026, 11, 3, 10, 30)
    assert contacted.contact_breached_at is None


def test_two_workers_running_together_breach_each_appeal_once(transactional_db: None, cast: Cast) -> None:
    import threading

    from django.db import OperationalError, connection

    from linli.appeals import jobs as appeal_jobs
    from linli.appeals.services import category_sync_defaults, sla_sync_defaults

    # A transactional test may follow another that flushed the tables the data migration filled.
    category_sync_defaults()
    sla_sync_defaults()

    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeals = [submit(cast, description=f"第{i}处路灯不亮，请尽快维修。") for i in range(6)]
        traveller.move_to(at(2026, 11, 12, 10, 0))
        barrier = threading.Barrier(2)
        done: list[int] = []

        def worker() -> None:
            barrier.wait()
            try:
                for _round in range(100):
                    try:
                        if appeal_jobs.APPEAL_JOBS["appeals.breaches"].run() == 0:
                            return
                    except OperationalError:  # SQLite in tests: the other worker holds the write lock
                        continue
                    done.append(1)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for appeal in appeals:
        assert AppealEvent.objects.filter(appeal=appeal, action="breach").count() == 1
        assert AppealEvent.objects.filter(appeal=appeal, action="escalate").count() == 1


def test_the_trace_names_the_deadline_each_overdue_mark_is_for(cast: Cast, client_for: Any) -> None:
    """The appeal's trace said 标记超期 three times (acknowledgement, first contact, this tier's resolution) without
    saying which deadline; a handler read it as three misses of the one deadline on the page. Each now names the
    deadline as the page's facts do."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        traveller.move_to(at(2026, 11, 2, 13, 0))
        assert "appeals.ack_breaches=1" in run_worker()
        page = client_for("grid_worker").get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "标记超期：签收时限" in page
    assert (
        "标记超期：签收时限"
        not in client_for("resident")
        .get(reverse("appeals:resident_detail", args=[appeal.tracking_number]))
        .content.decode()
    )
