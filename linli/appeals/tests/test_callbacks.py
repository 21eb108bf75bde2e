"""Callbacks (回访): each call that does not reach the resident is recorded (when, who, why); the appeal closes
without a rating only after CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE of them (三次未接通)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import CallbackTask
from linli.appeals.permissions import CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE
from linli.appeals.tests.factories import resolve_by_grid_worker, submit
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.testing import Cast, at, run_worker


@pytest.fixture
def called_back(cast: Cast) -> Any:
    """A resolved appeal no one rated in time: the worker gave the community its callback."""
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False) as traveller:
        appeal = submit(cast)
        resolve_by_grid_worker(cast, appeal)
        traveller.move_to(at(2026, 11, 6, 10, 0))
        assert "appeals.callbacks=1" in run_worker()
        appeal.refresh_from_db()
        yield appeal, traveller


def _offered(page: Any) -> list[str]:
    return [name for name, _label, _form, _confirm in page.context["action_forms"]]


def test_the_rule_is_three_calls() -> None:
    assert CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE == 3


def test_the_community_records_each_failed_call_and_closes_unrated_after_the_third(
    called_back: Any, client_for: Any
) -> None:
    appeal, traveller = called_back
    caller = client_for("community_worker")
    detail = reverse("appeals:detail", args=[appeal.pk])
    page = caller.get(detail)
    assert "callback_attempt" in _offered(page)
    assert "callback_unreachable" not in _offered(page)
    assert "还需记录 3 次" in page.content.decode()
    # Closing at once is refused, and says why; nothing changes.
    refused = caller.post(
        reverse("appeals:act", args=[appeal.pk, "callback_unreachable"]),
        {"callback_unreachable-note": "打不通", "seen_state": "resolved"},
    )
    assert refused.status_code == 302
    said = [str(m) for m in get_messages(refused.wsgi_request)]
    assert any("3 次未接通" in m and "已记录 0 次" in m for m in said), said
    for n, (result, note) in enumerate(
        [("no_answer", ""), ("switched_off", "上午十点再拨，关机"), ("other", "家人接听，说本人在外地")],
        start=1,
    ):
        traveller.move_to(at(2026, 11, 6, 10 + n, 0))  # within the signed-in session
        page = caller.post(
            reverse("appeals:act", args=[appeal.pk, "callback_attempt"]),
            {"callback_attempt-result": result, "callback_attempt-note": note, "seen_state": "resolved"},
            follow=True,
        )
        assert page.redirect_chain == [(detail, 302)], page.content.decode()[:2000]
        assert f"已记录第 {n} 次未接通。" in page.content.decode()
        offered = _offered(page)
        assert ("callback_unreachable" in offered) == (n == 3)
    html = page.content.decode()
    # The card lists each call: when, who, why.
    assert "回访未接通（第 1 次）：无人接听" in html and "2026-11-06 11:00" in html
    assert "回访未接通（第 2 次）：关机或不在服务区" in html and "上午十点再拨，关机" in html
    assert "家人接听，说本人在外地" in html
    assert "可不评价结案" in html
    # The callbacks tab shows the count too.
    tab = caller.get(reverse("appeals:workbench") + "?tab=callbacks").content.decode()
    assert appeal.tracking_number in tab and "3 次未接通" in tab
    done = caller.post(
        reverse("appeals:act", args=[appeal.pk, "callback_unreachable"]),
        {"callback_unreachable-note": "三次未接通", "seen_state": "resolved"},
    )
    assert done.status_code == 302
    appeal.refresh_from_db()
    task = CallbackTask.objects.get(appeal=appeal)
    assert appeal.state == "closed" and task.status == "unreachable" and task.attempts == 3
    assert not appeal.ratings.exists()
    actions = list(appeal.events.order_by("at", "id").values_list("action", flat=True))
    assert actions[-4:] == ["callback_attempt"] * 3 + ["callback_unreachable"]
    page = caller.get(detail)
    assert "callback_attempt" not in _offered(page) and "callback_unreachable" not in _offered(page)
    assert (
        appeal.tracking_number
        not in caller.get(reverse("appeals:workbench") + "?tab=callbacks").content.decode()
    )


def test_a_failed_call_with_reason_other_needs_a_note_and_keeps_what_was_chosen(
    called_back: Any, client_for: Any
) -> None:
    appeal, _traveller = called_back
    answer = client_for("community_worker").post(
        reverse("appeals:act", args=[appeal.pk, "callback_attempt"]),
        {"callback_attempt-result": "other", "callback_attempt-note": " ", "seen_state": "resolved"},
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "请说明通话情况" in html
    assert 'value="other" selected' in html
    assert CallbackTask.objects.get(appeal=appeal).attempts == 0
    with pytest.raises(ValidationFailed):
        services.callback_attempt_record(actor=None, appeal=appeal, result="wrong_number_kind")


def test_the_api_records_failed_calls_then_closes_unrated(called_back: Any, client_for: Any) -> None:
    appeal, _traveller = called_back
    base = f"/api/appeals/{appeal.pk}"
    caller = client_for("community_worker")
    refused = client_for("outsider").post(f"{base}/callback-attempt", {}, content_type="application/json")
    assert refused.status_code in (403, 404)
    early = caller.post(f"{base}/callback-unreachable", {"note": "电话停机"}, content_type="application/json")
    assert early.status_code == 409 and "3 次未接通" in early.json()["message"]
    for n in range(1, 4):
        done = caller.post(
            f"{base}/callback-attempt", {"result": "invalid", "note": ""}, content_type="application/json"
        )
        assert done.status_code == 200, done.content
        body = done.json()
        assert body["callback"]["attempts"] == n and body["callback"]["attempts_needed"] == 3
        assert ("callback_unreachable" in body["actions"]) == (n == 3)
        assert body["trace"][-1]["action"] == "callback_attempt"
    bad = caller.post(f"{base}/callback-attempt", {"result": "maybe"}, content_type="application/json")
    assert bad.status_code == 422
    closed = caller.post(
        f"{base}/callback-unreachable", {"note": "电话停机"}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    again = caller.post(f"{base}/callback-attempt", {}, content_type="application/json")
    assert again.status_code == 409


def test_only_staff_who_call_back_may_record_a_failed_call(called_back: Any, cast: Cast) -> None:
    appeal, _traveller = called_back
    with pytest.raises(PermissionDenied):
        services.callback_attempt_record(actor=cast.outsider, appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.callback_attempt_record(actor=cast.resident, appeal=appeal)
    # Someone who may not call back is refused, not told how many calls are missing.
    with pytest.raises(PermissionDenied):
        services.callback_unreachable(actor=cast.outsider, appeal=appeal)
    assert CallbackTask.objects.get(appeal=appeal).attempts == 0


def test_a_new_round_after_rework_counts_its_calls_afresh(called_back: Any, cast: Cast) -> None:
    appeal, traveller = called_back
    for _n in range(2):
        services.callback_attempt_record(actor=cast.community_worker, appeal=appeal)
    # The resident answers the third call: unsatisfied, so the appeal goes back for rework.
    services.appeal_rate(actor=cast.community_worker, appeal=appeal, value="unsatisfied", comment="还是不亮")
    with pytest.raises(Conflict):
        services.callback_attempt_record(actor=cast.community_worker, appeal=appeal)
    resolve_by_grid_worker(cast, appeal, note="已更换整套灯具。")
    traveller.move_to(at(2026, 11, 16, 10, 0))
    assert "appeals.callbacks=1" in run_worker()
    task = CallbackTask.objects.get(appeal=appeal)
    assert task.status == "open" and task.attempts == 0 and task.last_attempt_at is None
    with pytest.raises(Conflict):
        services.callback_unreachable(actor=cast.community_worker, appeal=appeal)


def test_the_callbacks_tab_says_which_date_each_row_shows(called_back: Any, client_for: Any) -> None:
    appeal, _traveller = called_back
    tab = client_for("community_worker").get(reverse("appeals:workbench") + "?tab=callbacks").content.decode()
    # The date is when the callback was given to the community, not when the appeal was received or resolved.
    assert appeal.tracking_number in tab and "回访任务下达于 2026-11-06 10:00" in tab


def test_a_callback_not_made_within_three_working_days_is_late_on_the_tab_the_home_and_the_api(
    called_back: Any, client_for: Any, cast: Cast
) -> None:
    """The callback is due LINLI_CALLBACK_WORKING_DAYS working days after the community is given it (Friday 10:00 →
    Wednesday 10:00, the weekend not counted); after that it is late: marked on the 回访 tab with how far past,
    counted late in the staff's to-do, and said in the API."""
    from linli.core.todo import waiting_for

    appeal, traveller = called_back
    task = CallbackTask.objects.get(appeal=appeal)
    assert task.due_at == at(2026, 11, 11, 10, 0)
    tab = reverse("appeals:workbench") + "?tab=callbacks"
    traveller.move_to(at(2026, 11, 11, 9, 0))
    page = client_for("community_worker").get(tab).content.decode()
    assert "回访超期" not in page and "还剩 1 个工作小时" in page
    [todo] = [w for w in waiting_for(cast.community_worker) if w.name == "appeals.callbacks"]
    assert (todo.count, todo.late) == (1, 0)
    traveller.move_to(at(2026, 11, 12, 10, 0))
    caller = client_for("community_worker")
    page = caller.get(tab).content.decode()
    assert "回访超期" in page and "已超期 1 个工作日" in page
    [todo] = [w for w in waiting_for(cast.community_worker) if w.name == "appeals.callbacks"]
    assert (todo.count, todo.late) == (1, 1)
    detail = caller.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "回访时限 2026-11-11 10:00" in detail and "已超期 1 个工作日" in detail
    callback = caller.get(f"/api/appeals/{appeal.pk}").json()["callback"]
    assert callback["late"] is True and callback["time_left"]["label"] == "已超期 1 个工作日"
    # Once the resident is reached and rates, nothing waits and nothing is late.
    services.appeal_rate(actor=cast.community_worker, appeal=appeal, value="satisfied", comment="")
    assert not [w for w in waiting_for(cast.community_worker) if w.name == "appeals.callbacks"]
