"""An id in a request's body that names nothing the caller may see is refused on that field (422, `extra.fields`),
not answered 404 as if the address were wrong; nothing is written."""

from __future__ import annotations

from typing import Any

from linli.party.models import MemberRegistration, PartyMember, PartyOrg
from linli.testing import Cast

JSON = "application/json"


def test_a_member_of_an_organisation_that_is_not_there_names_the_field(
    cast: Cast, branch: PartyOrg, client_for: Any
) -> None:
    joined = client_for("community_worker").post(
        "/api/party/members", {"name": "王党员", "party_org_id": 999_999}, content_type=JSON
    )
    assert joined.status_code == 422, joined.content
    body = joined.json()
    assert body["code"] == "invalid" and list(body["extra"]["fields"]) == ["party_org_id"]
    assert body["message"].startswith("请求数据无效：party_org_id：")
    assert not PartyMember.objects.filter(name="王党员").exists()


def test_a_resident_outside_the_area_reads_as_one_that_does_not_exist(
    cast: Cast, branch: PartyOrg, client_for: Any
) -> None:
    """The other community's resident exists; the community worker may not see them: the same 422 on the field."""
    joined = client_for("community_worker").post(
        "/api/party/members",
        {"name": "王党员", "party_org_id": branch.pk, "resident_id": cast.other_resident_record.pk},
        content_type=JSON,
    )
    assert joined.status_code == 422, joined.content
    assert list(joined.json()["extra"]["fields"]) == ["resident_id"]


def test_registering_with_a_community_code_that_names_none_says_so_on_the_field(client_for: Any) -> None:
    applied = client_for("resident").post(
        "/api/party/registrations/apply",
        {
            "community_code": "000000000000",
            "name": "李在职",
            "phone": "13900001234",
            "workplace": "市交通局",
            "workplace_branch": "机关第一党支部",
            "specialty": "法律咨询",
            "availability": "周末",
        },
        content_type=JSON,
    )
    assert applied.status_code == 422, applied.content
    assert list(applied.json()["extra"]["fields"]) == ["community_code"]
    assert not MemberRegistration.objects.exists()
