"""What stopped or misled grid001 (phone) and community1 (desk) walking care: the visits' day column read 完成时限
(another app's deadline) over the days a visit or call falls due, and a call's record page gave no number to call
the person on."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from linli.care.choices import ContactKind
from linli.care.models import CarePlan
from linli.testing import Cast


def test_the_day_a_visit_falls_due_is_not_called_a_deadline(plan: CarePlan, client_for: Any) -> None:
    client = client_for("community_worker")
    for url in (f"/care/plans/{plan.pk}/", "/care/plans/"):
        page = client.get(url).content.decode()
        assert "完成时限" not in page
    assert "应做日期" in client.get(f"/care/plans/{plan.pk}/").content.decode()


def test_a_calls_record_page_gives_the_persons_own_number_to_call(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    phone = cast.resident_record.phone
    assert phone
    call = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    page = client_for("grid_worker").get(f"/care/contacts/{call.pk}/").content.decode()
    assert f'href="tel:{phone}"' in page and "拨打本人" in page


def test_a_community_worker_recording_from_the_late_list_goes_back_to_the_plan(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """community1 opened an escalated visit from 错过与上报 and saved it, and landed on their own 今日探访 (empty:
    nothing is assigned to them) rather than the person's plan they came from. The visitor still goes to their day."""
    call = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())
    data = {"outcome": "reached", "found": "社区派人上门看过，一切都好"}
    community = client_for("community_worker")
    opened = community.get(f"/care/contacts/{call.pk}/").content.decode()
    crumbs = opened[opened.index('class="crumbs') : opened.index("</nav>", opened.index('class="crumbs'))]
    assert 'href="/care/plans/"' in crumbs and 'href="/care/"' not in crumbs
    saved = community.post(f"/care/contacts/{call.pk}/", data)
    assert saved.status_code == 302 and saved["Location"] == f"/care/plans/{plan.pk}/"
    saved = client_for("grid_worker").post(f"/care/contacts/{visit.pk}/", data)
    assert saved.status_code == 302 and saved["Location"] == "/care/"


def test_an_open_contacts_record_page_says_it_is_late_and_escalated(plan: CarePlan, client_for: Any) -> None:
    """community1 opened an escalated call from 错过与上报 and read 定于 12-05 and the form: nothing on the page said
    it was escalated to them, or how late it was."""
    import datetime as dt

    from linli.care.choices import ContactState
    from linli.care.models import CareContact

    due = timezone.localdate() - dt.timedelta(days=2)
    late = CareContact.objects.create(
        plan=plan, kind=ContactKind.CALL, due_on=due, state=ContactState.ESCALATED
    )
    page = client_for("community_worker").get(f"/care/contacts/{late.pk}/").content.decode()
    head = page[page.index('class="page-head"') : page.index("</div>", page.index('class="page-head"'))]
    assert "已上报社区" in head and f"应于 {due:%m-%d}，已逾期 2 天" in head
    today = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    page = client_for("grid_worker").get(f"/care/contacts/{today.pk}/").content.decode()
    head = page[page.index('class="page-head"') : page.index("</div>", page.index('class="page-head"'))]
    assert "已逾期" not in head and f"定于 {timezone.localdate():%Y-%m-%d}" in head
