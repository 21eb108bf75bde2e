"""The community closes escalated visits and calls as covered several at a time from its list (错过与上报): it ticks
those the person was since reached on and closes them in one go, after a question; each is closed on its own, and
the message counts what was closed and names what was refused, with why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.care import services
from linli.care.choices import ContactKind, ContactState
from linli.care.models import CareContact, CarePlan
from linli.core.models import AuditEntry
from linli.testing import Cast

URL = "/care/contacts/cover/"


def _escalated(plan: CarePlan, kind: str, days: int) -> CareContact:
    first = plan.contacts.filter(kind=kind).first()
    assert first is not None
    return CareContact.objects.create(
        plan=plan,
        kind=kind,
        due_on=timezone.localdate() - dt.timedelta(days=days),
        state=ContactState.ESCALATED,
        assignee=first.assignee,
    )


def _reached_today(cast: Cast, plan: CarePlan) -> None:
    call = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    services.care_contact_record(actor=cast.grid_worker, contact=call, found="电话里说一切都好")


def test_the_ticked_escalated_calls_are_closed_in_one_go_and_the_refused_one_is_named(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    calls = [_escalated(plan, ContactKind.CALL, days) for days in (6, 8)]
    visit = _escalated(plan, ContactKind.VISIT, 9)  # no visit reached the person since: not to close
    _reached_today(cast, plan)
    client = client_for("community_worker")
    ids = [c.pk for c in (*calls, visit)]
    done = client.post(URL, {"contacts": ids, "late": "1"}, follow=True)
    assert done.redirect_chain[-1][0] == "/care/plans/?late=1"  # at the top, where the count is said
    page = done.content.decode()
    assert "已关闭 2 次" in page and "1 次未关闭" in page
    assert f"张三（{visit.due_on:%m-%d} 的上门探访）：只有已上报社区" in page
    states = {c.pk: c.state for c in CareContact.objects.filter(pk__in=ids)}
    assert states == {calls[0].pk: "covered", calls[1].pk: "covered", visit.pk: "escalated"}
    assert AuditEntry.objects.filter(action="care_contact_covered").count() == 2


def test_the_list_offers_a_tick_box_only_for_those_reached_since_and_asks_first(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    call = _escalated(plan, ContactKind.CALL, 6)
    visit = _escalated(plan, ContactKind.VISIT, 9)
    client = client_for("community_worker")
    before = client.get("/care/plans/").content.decode()
    assert 'name="contacts"' not in before and URL not in before  # nobody reached since: nothing to close
    _reached_today(cast, plan)
    page = client.get("/care/plans/").content.decode()
    assert f'name="contacts" value="{call.pk}"' in page
    assert f'name="contacts" value="{visit.pk}"' not in page
    assert f'action="{URL}"' in page and 'data-confirm="将勾选的探访和电话关闭为' in page


def test_nothing_ticked_or_outside_the_area_is_said_and_closes_nothing(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    call = _escalated(plan, ContactKind.CALL, 6)
    _reached_today(cast, plan)
    none = client_for("community_worker").post(URL, {}, follow=True).content.decode()
    assert "请先勾选" in none
    outside = client_for("outsider").post(URL, {"contacts": [call.pk]}, follow=True).content.decode()
    assert "1 次未关闭：1 次不在您的辖区内或已不存在" in outside
    assert CareContact.objects.get(pk=call.pk).state == ContactState.ESCALATED
    assert client_for("community_worker").get(URL).status_code == 302  # the address bar: back to the list
