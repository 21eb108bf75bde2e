"""How a visit or call went: reached, refused by the person, nobody at home (a visit) or no answer (a call). The
first two close the contact; the last two are attempts that keep it open for another try that day."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.utils import timezone

from linli.care import selectors, services
from linli.care.choices import ContactKind, ContactOutcome, ContactState
from linli.care.models import CareAttempt, CareContact, CarePlan
from linli.core.errors import ValidationFailed
from linli.territory.models import Visit
from linli.testing import Cast, at

from .conftest import red_plan_of


def contact_of(plan: CarePlan, kind: str) -> CareContact:
    return plan.contacts.get(kind=kind, due_on=timezone.localdate())


# ---- the service ---------------------------------------------------------------------------------------------


def test_a_refusal_closes_the_visit_with_its_note_but_is_no_visit_made(cast: Cast) -> None:
    with time_machine.travel(at(2026, 10, 12, 9), tick=False):
        plan = red_plan_of(cast)
        visit = contact_of(plan, ContactKind.VISIT)
        done = services.care_contact_record(
            actor=cast.grid_worker, contact=visit, found="老人不愿开门，说身体很好", outcome="refused"
        )
        assert done.state == ContactState.DONE and done.outcome == ContactOutcome.REFUSED
        assert done.found == "老人不愿开门，说身体很好" and done.done_by == cast.grid_worker
        assert not Visit.objects.exists()  # not in the grid's visit log: nobody was visited
        assert not CareAttempt.objects.exists()
    with time_machine.travel(at(2026, 10, 13, 9), tick=False):
        summary = selectors.care_summary(cast.community_worker, timezone.localdate())
    # Counted as done on its day (the person was asked), and shown apart.
    assert summary["refused"] == 1
    red = next(row for row in summary["on_time"] if row[0] == "red")
    assert red[1] == 1


def test_nobody_at_home_is_an_attempt_that_keeps_the_visit_open_until_reached(cast: Cast) -> None:
    plan = red_plan_of(cast)
    visit = contact_of(plan, ContactKind.VISIT)
    tried = services.care_contact_record(
        actor=cast.grid_worker, contact=visit, found="敲门无人应，邻居说去医院了", outcome="not_at_home"
    )
    assert (
        tried.state == ContactState.DUE and tried.outcome == ContactOutcome.REACHED and tried.done_at is None
    )
    attempt = CareAttempt.objects.get()
    assert (attempt.contact, attempt.outcome, attempt.by) == (visit, "not_at_home", cast.grid_worker)
    assert attempt.note == "敲门无人应，邻居说去医院了" and attempt.at is not None
    assert not Visit.objects.exists()
    # A second attempt with no note, then the visit that reached the person: the history keeps all three.
    services.care_contact_record(actor=cast.grid_worker, contact=visit, found="", outcome="not_at_home")
    done = services.care_contact_record(actor=cast.grid_worker, contact=visit, found="下午在家了，一切都好")
    assert done.state == ContactState.DONE and done.outcome == ContactOutcome.REACHED
    assert visit.attempts.count() == 2 and Visit.objects.count() == 1


def test_an_unanswered_call_never_reached_is_chased_as_before(cast: Cast) -> None:
    with time_machine.travel(at(2026, 10, 12, 9), tick=False):
        call = contact_of(red_plan_of(cast), ContactKind.CALL)
        services.care_contact_record(actor=cast.grid_worker, contact=call, found="", outcome="no_answer")
    with time_machine.travel(at(2026, 10, 13, 2), tick=False):
        services.care_contacts_chase()
    call.refresh_from_db()
    assert call.state == ContactState.MISSED and call.attempts.count() == 1


@pytest.mark.parametrize(
    ("kind", "outcome", "says"),
    [
        (ContactKind.CALL, "not_at_home", "电话问候不适用“无人在家”"),
        (ContactKind.VISIT, "no_answer", "上门探访不适用“无人接听”"),
        (ContactKind.VISIT, "gone", "请选择这次探访或电话的结果"),
    ],
)
def test_an_outcome_that_does_not_fit_the_contact_is_refused(
    cast: Cast, kind: str, outcome: str, says: str
) -> None:
    contact = contact_of(red_plan_of(cast), kind)
    with pytest.raises(ValidationFailed) as refused:
        services.care_contact_record(
            actor=cast.grid_worker, contact=contact, found="打过去没人接", outcome=outcome
        )
    assert refused.value.extra == {"field": "outcome"} and says in str(refused.value.message)
    contact.refresh_from_db()
    assert contact.state == ContactState.DUE and not CareAttempt.objects.exists()


def test_a_refusal_still_needs_what_happened(cast: Cast) -> None:
    visit = contact_of(red_plan_of(cast), ContactKind.VISIT)
    with pytest.raises(ValidationFailed):
        services.care_contact_record(actor=cast.grid_worker, contact=visit, found="", outcome="refused")


# ---- the pages -----------------------------------------------------------------------------------------------


def test_the_phone_form_records_nobody_at_home_and_the_day_page_says_so(plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    visit = contact_of(plan, ContactKind.VISIT)
    form = client.get(f"/care/contacts/{visit.pk}/").content.decode()
    assert 'value="not_at_home"' in form and 'value="no_answer"' not in form and "本人拒绝" in form
    tried = client.post(f"/care/contacts/{visit.pk}/", {"outcome": "not_at_home", "found": "敲门无人应"})
    assert tried.status_code == 302
    assert "已记下这次尝试" in client.get("/care/").content.decode()
    day = client.get("/care/").content.decode()
    when = timezone.localtime(CareAttempt.objects.get().at).strftime("%H:%M")
    assert f"已尝试 1 次，上次：无人在家 {when}" in day
    assert f"/care/contacts/{visit.pk}/" in day  # still to do, for another try
    assert "已尝试 1 次，上次：无人在家" in client.get(f"/care/contacts/{visit.pk}/").content.decode()
    history = client_for("community_worker").get(f"/care/plans/{plan.pk}/").content.decode()
    assert "已尝试 1 次，上次：无人在家" in history


def test_the_phone_form_refuses_nobody_at_home_for_a_call_and_keeps_what_was_typed(
    plan: CarePlan, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    call = contact_of(plan, ContactKind.CALL)
    form = client.get(f"/care/contacts/{call.pk}/").content.decode()
    assert 'value="no_answer"' in form and 'value="not_at_home"' not in form
    refused = client.post(f"/care/contacts/{call.pk}/", {"outcome": "not_at_home", "found": "打了三次没人接"})
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "电话问候不适用“无人在家”" in text and "打了三次没人接" in text
    assert not CareAttempt.objects.exists()


def test_a_refusal_shows_on_the_plan_history_and_apart_in_the_figures(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(2026, 10, 12, 9), tick=False):
        plan = red_plan_of(cast)
        visit = contact_of(plan, ContactKind.VISIT)
        done = client_for("grid_worker").post(
            f"/care/contacts/{visit.pk}/", {"outcome": "refused", "found": "老人说不用来了"}
        )
        assert done.status_code == 302
    with time_machine.travel(at(2026, 10, 13, 9), tick=False):
        desk = client_for("community_worker")
        history = desk.get(f"/care/plans/{plan.pk}/").content.decode()
        figures = desk.get("/care/plans/").content.decode()
    assert "本人拒绝" in history and "老人说不用来了" in history
    assert "其中 1 次为本人拒绝" in figures


# ---- the API -------------------------------------------------------------------------------------------------


def test_the_api_records_an_unanswered_call_and_refuses_a_mismatch(plan: CarePlan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("grid_worker")
    call = contact_of(plan, ContactKind.CALL)
    url = f"/api/care/contacts/{call.pk}/record"

    def post(data: dict[str, str]):  # type: ignore[no-untyped-def]
        return client.post(url, json.dumps(data), content_type="application/json")

    mismatch = post({"outcome": "not_at_home", "found": ""})
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "invalid"
    tried = post({"outcome": "no_answer", "found": "响铃无人接"})
    assert tried.status_code == 200
    body = tried.json()
    assert body["state"] == "due" and body["outcome"] is None  # an attempt: nothing recorded as reached yet
    assert [a["outcome"] for a in body["attempts"]] == ["no_answer"]
    today = client.get("/api/care/today").json()["items"]
    assert next(c for c in today if c["id"] == call.pk)["attempts"][0]["outcome"] == "no_answer"
    refused = post({"outcome": "refused", "found": "本人说不需要电话"})
    assert refused.status_code == 200 and refused.json()["state"] == "done"
    assert refused.json()["outcome"] == "refused"
