"""What the session-27 walk of care found: the record page named the emergency contact with a bare 拨打 button and
no number (the plan's page shows it), so a worker at a desk phone, or one whose phone cannot dial from the page,
had to go back to the plan to read it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from linli.care.choices import ContactKind
from linli.care.models import CarePlan


def test_the_record_page_shows_the_emergency_contacts_number_beside_its_call_button(
    plan: CarePlan, client_for: Any
) -> None:
    visit = plan.contacts.filter(kind=ContactKind.VISIT, due_on__gte=timezone.localdate()).earliest("due_on")
    page = client_for("grid_worker").get(f"/care/contacts/{visit.pk}/").content.decode()
    assert (
        '<p>张小三 <span class="mono">13900000009</span> <a class="btn btn-small" href="tel:13900000009">拨打</a></p>'
        in page
    )
