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
