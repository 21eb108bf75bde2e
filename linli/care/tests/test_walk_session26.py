"""What grid001 (phone) and community1 (desk and phone) met walking care in session 26: two forms of one case page
gave their boxes the same id (the closing's 原因 label put the cursor in the professional's 原因), the plans list's
查看 sat lower than its select, the on-time figures broke 18 次中完成 14 次 over three lines on a phone, a children's
place said 入托 of an after-school class, and a phone number's box opened the letters keyboard."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from linli.care.models import CarePlan, MediationCase
from linli.testing import Cast

from .conftest import wage_claim


def _ids_used_twice(html: str) -> list[str]:
    return [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]


def test_the_action_forms_of_a_case_and_of_legal_aid_give_each_box_its_own_id(
    cast: Cast, case: MediationCase, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get(f"/care/cases/{case.pk}/").content.decode()
    assert _ids_used_twice(page) == []
    assert '<label for="id_close_note">' in page and 'id="id_close_note"' in page
    refused = client.post(f"/care/cases/{case.pk}/close/", {"outcome": "withdrawn", "note": ""})
    assert refused.status_code == 422 and _ids_used_twice(refused.content.decode()) == []
    application = wage_claim(cast)
    assert _ids_used_twice(client.get(f"/care/legal/{application.pk}/").content.decode()) == []


def test_the_grid_filter_and_the_finder_hold_their_box_and_button_in_one_row(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    page = client_for("community_worker").get("/care/plans/").content.decode()
    assert re.search(r'<div class="care-field-row"><input id="care-find"[^>]*><button type="submit"', page)
    assert 'class="care-figures care-on-time"' in page


def test_a_child_with_a_place_is_said_so_for_every_kind_of_place(cast: Cast, client_for: Any) -> None:
    from linli.care.choices import EnrolmentState

    assert str(EnrolmentState.ENROLLED.label) == "已获名额"


def test_a_phone_number_box_opens_the_number_pad(cast: Cast, client_for: Any) -> None:
    page = client_for("community_worker").get("/care/cases/new/").content.decode()
    for name in ("applicant_phone", "respondent_phone"):
        assert re.search(rf'<input type="tel" name="{name}"[^>]*inputmode="tel"', page), name
    assert 'name="appeal_number"' in page and not re.search(r'name="appeal_number"[^>]*data-max', page)
