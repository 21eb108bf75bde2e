"""What a walk of care found the pages saying wrong or leaving out: a call to someone with no phone in the register
gave no word of it, the record page told a community worker about "your" day and called a call's notes 走访情况,
and a mediation case opened from an appeal named the appeal without a way to open it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.care.choices import ContactKind, ContactState
from linli.care.models import CareContact, CarePlan, MediationCase
from linli.territory.models import Resident
from linli.testing import Cast


def _todays(plan: CarePlan, kind: str) -> CareContact:
    return plan.contacts.get(kind=kind, due_on=timezone.localdate())


def test_a_call_to_someone_with_no_phone_on_file_says_so_and_where_to_add_it(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    Resident.objects.filter(pk=plan.resident_id).update(phone="")
    url = f"/care/contacts/{_todays(plan, ContactKind.CALL).pk}/"
    edit = f'href="/territory/residents/{plan.resident_id}/edit/"'
    page = client_for("grid_worker").get(url).content.decode()
    assert "登记册里没有张三本人的电话号码" in page and edit in page  # the grid worker keeps the register
    page = client_for("street_officer").get(url).content.decode()
    assert "登记册里没有张三本人的电话号码" in page and edit not in page and "请网格员或社区" in page
    with_phone = client_for("grid_worker")
    Resident.objects.filter(pk=plan.resident_id).update(phone="13812345678")
    assert "登记册里没有" not in with_phone.get(url).content.decode()


def test_the_record_page_speaks_of_your_day_only_to_the_visitor(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    call = _todays(plan, ContactKind.CALL)
    CareContact.objects.create(
        plan=plan,
        kind=ContactKind.CALL,
        due_on=timezone.localdate() - dt.timedelta(days=6),
        state=ContactState.ESCALATED,
        assignee=cast.grid_worker,
    )
    mine = client_for("grid_worker").get(f"/care/contacts/{call.pk}/").content.decode()
    assert "不再留在你的今日清单上" in mine and "它会留在今日清单上" in mine
    theirs = client_for("community_worker").get(f"/care/contacts/{call.pk}/").content.decode()
    assert "仍由社区处理" in theirs
    assert "你的今日清单" not in theirs and "今日清单" not in theirs


def test_a_calls_notes_are_not_called_what_a_visit_found(cast: Cast, plan: CarePlan, client_for: Any) -> None:
    client = client_for("grid_worker")
    for kind, found in ((ContactKind.CALL, "电话里说一切都好"), (ContactKind.VISIT, "家里整洁，身体尚好")):
        client.post(f"/care/contacts/{_todays(plan, kind).pk}/", {"outcome": "reached", "found": found})
    page = client_for("community_worker").get(f"/care/plans/{plan.pk}/").content.decode()
    table = page[page.index('id="visits"') :]
    assert "<th>走访情况</th>" not in table and "<th>情况记录</th>" in table
    assert 'data-label="通话情况"><div>电话里说一切都好' in table
    assert 'data-label="走访情况"><div>家里整洁，身体尚好' in table


def test_a_case_opened_from_an_appeal_links_to_the_appeal(
    cast: Cast, case: MediationCase, client_for: Any
) -> None:
    from linli.appeals.tests.factories import submit

    appeal = submit(cast)
    MediationCase.objects.filter(pk=case.pk).update(appeal_number=appeal.tracking_number)
    page = client_for("community_worker").get(f"/care/cases/{case.pk}/").content.decode()
    assert f'<a href="/appeals/{appeal.pk}/">{appeal.tracking_number}</a>' in page
