"""Older missed calls (or visits) settled by reaching the person later: recording the latest contact of a kind as
reached closes the older missed and undone ones of that person and kind as covered by it (not done: they were
not done), with which contact covered them, who and when; an escalated one stays with the community (off the
visitor's day) until the community closes it as covered."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from linli.care import selectors, services
from linli.care.choices import ContactKind, ContactState
from linli.care.models import CareContact, CarePlan
from linli.care.waiting import TODOS
from linli.core.errors import Conflict
from linli.core.models import AuditEntry
from linli.testing import Cast


def _late(plan: CarePlan, kind: str, days: int, state: str) -> CareContact:
    today = timezone.localdate()
    first = plan.contacts.filter(kind=kind).first()
    assert first is not None
    return CareContact.objects.create(
        plan=plan,
        kind=kind,
        due_on=today - dt.timedelta(days=days),
        state=state,
        assignee=first.assignee,
    )


def _calls(plan: CarePlan) -> dict[str, CareContact]:
    """Today's call, two calls missed (4 and 2 days ago), one escalated (6 days ago) and a visit missed 3 days ago."""
    today = timezone.localdate()
    return {
        "today": plan.contacts.get(kind=ContactKind.CALL, due_on=today),
        "missed4": _late(plan, ContactKind.CALL, 4, ContactState.MISSED),
        "missed2": _late(plan, ContactKind.CALL, 2, ContactState.MISSED),
        "escalated": _late(plan, ContactKind.CALL, 6, ContactState.ESCALATED),
        "visit": _late(plan, ContactKind.VISIT, 3, ContactState.MISSED),
    }


def _states(rows: dict[str, CareContact]) -> dict[str, str]:
    return {name: CareContact.objects.get(pk=c.pk).state for name, c in rows.items()}


def test_reaching_the_person_covers_the_older_missed_calls_of_the_kind(cast: Cast, plan: CarePlan) -> None:
    rows = _calls(plan)
    services.care_contact_record(actor=cast.grid_worker, contact=rows["today"], found="电话里说一切都好")
    assert _states(rows) == {
        "today": ContactState.DONE,
        "missed4": ContactState.COVERED,
        "missed2": ContactState.COVERED,
        "escalated": ContactState.ESCALATED,  # with the community: it stays theirs
        "visit": ContactState.MISSED,  # another kind: a call does not make up a visit
    }
    covered = CareContact.objects.get(pk=rows["missed4"].pk)
    done = CareContact.objects.get(pk=rows["today"].pk)
    assert covered.covered_by == done and covered.covered_by_user == cast.grid_worker
    assert covered.covered_at == done.done_at and covered.done_at is None and covered.found == ""
    entries = AuditEntry.objects.filter(action="care_contact_covered")
    assert sorted(int(e.object_id) for e in entries) == sorted([rows["missed4"].pk, rows["missed2"].pk])
    assert all(e.detail["covered_by"] == done.pk for e in entries)


def test_a_refusal_an_attempt_or_an_older_record_covers_nothing(cast: Cast, plan: CarePlan) -> None:
    rows = _calls(plan)
    services.care_contact_record(actor=cast.grid_worker, contact=rows["today"], found="", outcome="no_answer")
    assert _states(rows)["missed2"] == ContactState.MISSED
    # The oldest missed call recorded late: nothing older to cover, and the newer ones stay to do.
    services.care_contact_record(actor=cast.grid_worker, contact=rows["missed4"], found="补打了电话，挺好")
    assert _states(rows) | {"escalated": "-"} == {
        "today": ContactState.DUE,
        "missed4": ContactState.DONE,
        "missed2": ContactState.MISSED,
        "escalated": "-",
        "visit": ContactState.MISSED,
    }
    # The person said not to call: the call is closed, but nobody was reached to make up the missed one.
    services.care_contact_record(
        actor=cast.grid_worker, contact=rows["today"], found="老人说别再打来了", outcome="refused"
    )
    assert _states(rows)["missed2"] == ContactState.MISSED


def test_a_covered_call_cannot_be_recorded_and_is_not_chased(cast: Cast, plan: CarePlan) -> None:
    rows = _calls(plan)
    services.care_contact_record(actor=cast.grid_worker, contact=rows["today"], found="电话里说一切都好")
    try:
        services.care_contact_record(actor=cast.grid_worker, contact=rows["missed2"], found="再记一次看看")
    except Conflict as refused:
        assert "已由" in str(refused.message) and "补上" in str(refused.message)
    else:
        raise AssertionError("a covered call was recorded")
    services.care_contacts_chase(now=timezone.now() + dt.timedelta(days=5))
    assert _states(rows)["missed2"] == ContactState.COVERED


def test_the_homes_count_the_day_and_the_api_agree_once_covered(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    rows = _calls(plan)
    todo = next(t for t in TODOS if t.name == "care.visits")
    assert todo.late is not None
    client = client_for("grid_worker")
    day = client.get("/care/").content.decode()
    # The line shows the most late call (escalated) but records the latest, today's: the one that covers.
    assert f"/care/contacts/{rows['today'].pk}/" in day and "另有 3 次电话问候未做" in day
    assert f"/care/contacts/{rows['missed4'].pk}/" not in day
    answer = client.post(
        f"/api/care/contacts/{rows['today'].pk}/record",
        json.dumps({"found": "电话里说一切都好"}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    day = client.get("/care/").content.decode()
    # The escalated call stays the community's (test below), off the visitor's day: they reached the person.
    assert "电话问候未做" not in day and f"/care/contacts/{rows['escalated'].pk}/" not in day
    assert (todo.count(cast.grid_worker), todo.late(cast.grid_worker)) == (1, 1)  # the visits' line
    listed = client.get("/api/care/today").json()["items"]
    assert {c["id"] for c in listed} == {rows["today"].pk, rows["visit"].pk} | {
        c.pk for c in plan.contacts.filter(kind=ContactKind.VISIT, due_on=timezone.localdate())
    }
    covered = client.get(f"/care/contacts/{rows['missed2'].pk}/").content.decode()
    assert "已由后续联系补上" in covered and '<form method="post" novalidate' not in covered
    assert rows["today"].due_on.strftime("%Y-%m-%d") in covered


def test_the_record_page_says_what_reaching_the_person_will_cover(plan: CarePlan, client_for: Any) -> None:
    rows = _calls(plan)
    page = client_for("grid_worker").get(f"/care/contacts/{rows['today'].pk}/").content.decode()
    assert "更早未做的 2 次电话问候" in page and "已上报社区的 1 次" in page


def test_the_plan_history_the_figures_and_the_panel_show_covered_apart(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    rows = _calls(plan)
    services.care_contact_record(actor=cast.grid_worker, contact=rows["today"], found="电话里说一切都好")
    today = timezone.localdate()
    summary = selectors.care_summary(cast.community_worker, today)
    assert (summary["missed"], summary["escalated"], summary["covered"]) == (1, 1, 2)
    figures = selectors.overview("", today - dt.timedelta(days=30), today)
    assert (figures["missed"], figures["escalated"], figures["covered"]) == (1, 1, 2)
    red = next(row for row in figures["on_time"] if row[0] == "red")
    assert red[1] == 1  # today's call; the covered ones were not done on their day
    history = client_for("community_worker").get(f"/care/plans/{plan.pk}/").content.decode()
    assert history.count("已由后续联系补上") >= 2
    plans = client_for("community_worker").get("/care/plans/").content.decode()
    assert "2 次由后续联系补上" in plans
    # The escalated call stays the community's, and their list says the person has since been reached.
    assert f"之后已于 {today:%m-%d} 联系上本人" in plans


def test_the_community_closes_an_escalated_call_the_person_was_since_reached_on(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """An escalated call stays the community's when a later call reaches the person: the community worker, told
    of it, confirms it covered from its page (it was not done: not recorded as a call made)."""
    rows = _calls(plan)
    client = client_for("community_worker")
    escalated = rows["escalated"]
    refused = client.post(f"/care/contacts/{escalated.pk}/cover/")
    assert refused.status_code == 302 and _states(rows)["escalated"] == ContactState.ESCALATED
    page = client.get(f"/care/contacts/{escalated.pk}/").content.decode()
    assert f"/care/contacts/{escalated.pk}/cover/" not in page  # nobody reached since: nothing to confirm
    services.care_contact_record(actor=cast.grid_worker, contact=rows["today"], found="电话里说一切都好")
    page = client.get(f"/care/contacts/{escalated.pk}/").content.decode()
    assert f"/care/contacts/{escalated.pk}/cover/" in page and "联系上本人（" in page
    done = client.post(f"/care/contacts/{escalated.pk}/cover/")
    assert done.status_code == 302
    closed = CareContact.objects.get(pk=escalated.pk)
    assert closed.state == ContactState.COVERED and closed.covered_by_id == rows["today"].pk
    assert closed.covered_by_user == cast.community_worker and closed.done_at is None
    entry = AuditEntry.objects.get(action="care_contact_covered", object_id=str(escalated.pk))
    assert entry.detail == {"covered_by": rows["today"].pk, "escalated": True}
    # Only an escalated one is confirmed so: a missed call is covered when the person is reached.
    try:
        services.care_contact_cover(actor=cast.community_worker, contact=rows["visit"])
    except Conflict:
        pass
    else:
        raise AssertionError("a missed visit nobody made up was closed")
    answer = client.post(f"/api/care/contacts/{rows['visit'].pk}/cover")
    assert answer.status_code == 409


def test_the_community_reaches_open_contacts_from_its_lists(plan: CarePlan, client_for: Any) -> None:
    """community1's 错过与上报 listed 66 escalated calls and visits with no way to act on one: neither the list
    nor the plan's history opened it to record. Each open one links to its record page now."""
    rows = _calls(plan)
    client = client_for("community_worker")
    plans = client.get("/care/plans/").content.decode()
    history = client.get(f"/care/plans/{plan.pk}/").content.decode()
    for name in ("escalated", "missed2", "visit"):
        assert f"/care/contacts/{rows[name].pk}/" in plans and f"/care/contacts/{rows[name].pk}/" in history
