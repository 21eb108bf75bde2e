"""A form of the party pages says every problem of what was typed at once, not one a round (the service used to find
the phone, then the date, only after the name was given), and keeps what was typed."""

from __future__ import annotations

from typing import Any

import pytest

from linli.party.models import PartnerPairing, PartyMember, PartyOrg
from linli.testing import Cast

pytestmark = pytest.mark.django_db


def test_a_new_member_with_no_name_a_bad_phone_and_a_date_to_come_hears_all_three(
    cast: Cast, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    data = {"name": "", "party_org": orgs["branch"].pk, "phone": "123", "joined_on": "2099-01-01"}
    html = client_for("community_worker").post("/party/members/new/", data).content.decode()
    assert "此项为必填项" in html and "请输入11位手机号码" in html and "入党日期不能晚于今天" in html
    assert 'value="123"' in html and 'value="2099-01-01"' in html
    assert not PartyMember.objects.exists()


def test_a_pairing_with_a_bad_contact_phone_is_refused_with_the_other_problems(
    cast: Cast, client_for: Any
) -> None:
    data = {
        "community": cast.community.pk,
        "partner_name": "区第九十四中学",
        "kind": "paired",
        "member_count": "-1",
        "contact_name": "周老师",
        "contact_phone": "abc",
    }
    html = client_for("community_worker").post("/party/partners/new/", data).content.decode()
    assert "请输入11位手机号码" in html and "大于或等于0" in html and 'value="abc"' in html
    assert not PartnerPairing.objects.exists()
