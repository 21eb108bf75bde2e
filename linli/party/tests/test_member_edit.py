"""A member's record is corrected on its page (编辑): name, phone, employer, date of joining, and the resident record
they are linked to, found by name or phone (a member joined unlinked could never be linked, yet the beacon form
asks for it). The phone is never shown in clear: left empty it keeps the number. The API corrects it the same way
(PATCH /api/party/members/{id}: only the fields sent change)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from linli.core.models import AuditEntry
from linli.party import services as party
from linli.party.models import PartyMember, PartyOrg
from linli.territory import services as territory
from linli.territory.models import Resident
from linli.testing import Cast, valid_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(orgs: dict[str, PartyOrg]) -> PartyMember:
    return party.party_member_create(
        actor=None, name="王芳", party_org=orgs["branch"], phone="13700001111", workplace="区医院"
    )


@pytest.fixture
def home(cast: Cast) -> Resident:
    household = territory.household_create(actor=None, building=cast.building, code="H201", room="201")
    return territory.resident_create(
        actor=None,
        household=household,
        name="王芳",
        gender="female",
        birth_date=dt.date(1980, 1, 1),
        phone="13700001111",
        id_number=valid_id_number(birth="19800101", seq="301"),
    )


def _edit(client: Any, member: PartyMember, **data: Any) -> Any:
    form = {"name": member.name, "phone": "", "workplace": member.workplace, "joined_on": ""}
    return client.post(f"/party/members/{member.pk}/edit/", {**form, **data})


def test_the_member_page_offers_the_edit_with_the_phone_masked(
    cast: Cast, member: PartyMember, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get(f"/party/members/{member.pk}/").content.decode()
    assert f'href="/party/members/{member.pk}/edit/"' in page
    form = client.get(f"/party/members/{member.pk}/edit/").content.decode()
    assert 'value="王芳"' in form and 'value="区医院"' in form and "13700001111" not in form
    assert "137****1111" in form and 'type="search" name="resident"' in form


def test_a_member_joined_unlinked_is_linked_to_their_resident_and_corrected(
    cast: Cast, member: PartyMember, home: Resident, client_for: Any
) -> None:
    response = _edit(
        client_for("community_worker"),
        member,
        resident="王芳",
        workplace="区人民医院",
        joined_on="2001-07-01",
    )
    assert response.status_code == 302 and response["Location"] == f"/party/members/{member.pk}/"
    member.refresh_from_db()
    assert member.resident == home and member.workplace == "区人民医院"
    assert member.joined_on == dt.date(2001, 7, 1) and member.phone == "13700001111"  # empty keeps it
    entry = AuditEntry.objects.get(action="party_member_update")
    assert set(entry.detail["fields"]) == {"resident", "workplace", "joined_on"}
    party.beacon_household_designate(actor=None, member=member)  # now it may be a beacon household


def test_a_resident_another_member_has_is_refused_with_everything_typed_kept(
    cast: Cast, member: PartyMember, home: Resident, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    party.party_member_create(actor=None, name="王芳", party_org=orgs["branch"], resident=home)
    response = _edit(client_for("community_worker"), member, resident="王芳", workplace="区人民医院")
    html = response.content.decode()
    assert response.status_code == 422 and "王芳已经是党员" in html and 'value="区人民医院"' in html
    member.refresh_from_db()
    assert member.resident is None and member.workplace == "区医院"


def test_the_linked_resident_stands_ticked_and_a_beacon_households_cannot_move(
    cast: Cast, member: PartyMember, home: Resident, client_for: Any
) -> None:
    client = client_for("community_worker")
    assert _edit(client, member, resident="王芳").status_code == 302
    form = client.get(f"/party/members/{member.pk}/edit/").content.decode()
    assert f'name="resident_pick" value="{home.pk}" checked' in form
    assert _edit(client, member, resident_pick=home.pk, phone="13900002222").status_code == 302
    member.refresh_from_db()
    assert member.resident == home and member.phone == "13900002222"
    party.beacon_household_designate(actor=None, member=member)
    refused = _edit(client, member, resident="张三")
    assert refused.status_code == 422 and "请先撤销党员中心户" in refused.content.decode()
    member.refresh_from_db()
    assert member.resident == home


def test_who_may_not_manage_members_gets_no_edit(cast: Cast, member: PartyMember, client_for: Any) -> None:
    assert client_for("community_worker").get(f"/party/members/{member.pk}/edit/").status_code == 200
    worker = client_for("grid_worker")
    assert worker.get(f"/party/members/{member.pk}/edit/").status_code in (403, 404)
    assert _edit(worker, member, workplace="x").status_code in (403, 404)
    assert _edit(client_for("outsider"), member, workplace="x").status_code == 404
    member.refresh_from_db()
    assert member.workplace == "区医院"


def test_the_edit_pages_suggestions_include_the_members_own_record(
    cast: Cast, member: PartyMember, home: Resident, client_for: Any
) -> None:
    client = client_for("community_worker")
    assert _edit(client, member, resident="王芳").status_code == 302
    form = client.get(f"/party/members/{member.pk}/edit/").content.decode()
    url = f"/party/members/{member.pk}/find-resident/"
    assert f'hx-get="{url}?field=resident"' in form
    offered = client.get(url, {"resident": "王"}).content.decode()
    assert f'name="resident_pick" value="{home.pk}"' in offered
    assert client_for("outsider").get(url, {"resident": "王"}).status_code == 404


# --- the same correction through the API: PATCH /api/party/members/{id} --------------------------------------------


def _patch(client: Any, member: PartyMember, **data: Any) -> Any:
    return client.patch(f"/api/party/members/{member.pk}", json.dumps(data), content_type="application/json")


def test_the_api_corrects_a_member_and_links_their_resident_audited_as_the_page(
    cast: Cast, member: PartyMember, home: Resident, client_for: Any
) -> None:
    response = _patch(
        client_for("community_worker"),
        member,
        resident_id=home.pk,
        workplace="区人民医院",
        joined_on="2001-07-01",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["workplace"] == "区人民医院" and body["joined_on"] == "2001-07-01"
    assert body["phone"] == "137****1111" and body["name"] == "王芳"  # what was not sent stays as it was
    member.refresh_from_db()
    assert member.resident == home and member.phone == "13700001111"
    entry = AuditEntry.objects.get(action="party_member_update")
    assert set(entry.detail["fields"]) == {"resident", "workplace", "joined_on"}


def test_the_api_refuses_bad_input_with_422_and_changes_nothing(
    cast: Cast, member: PartyMember, home: Resident, orgs: dict[str, PartyOrg], client_for: Any
) -> None:
    client = client_for("community_worker")
    refused = [
        _patch(client, member, name="  "),
        _patch(client, member, phone="12"),
        _patch(client, member, joined_on="2999-01-01"),
        _patch(client, member, joined_on="not a date"),
        _patch(client, member, workplace="院" * 121),
    ]
    assert [r.status_code for r in refused] == [422] * 5
    assert refused[0].json()["code"] == "invalid" and "姓名必填" in refused[0].json()["message"]
    party.party_member_create(actor=None, name="王芳", party_org=orgs["branch"], resident=home)
    taken = _patch(client, member, resident_id=home.pk, workplace="区人民医院")
    assert taken.status_code == 422 and taken.json()["message"] == "该居民已登记为党员。"
    member.refresh_from_db()
    assert (member.name, member.phone, member.workplace, member.resident) == (
        "王芳",
        "13700001111",
        "区医院",
        None,
    )
    assert not AuditEntry.objects.filter(action="party_member_update").exists()


def test_the_api_edit_is_scoped_as_the_page(cast: Cast, member: PartyMember, client_for: Any) -> None:
    assert _patch(client_for("grid_worker"), member, workplace="x").status_code in (403, 404)
    assert _patch(client_for("outsider"), member, workplace="x").status_code == 404
    assert _patch(client_for("resident"), member, workplace="x").status_code == 403
    member.refresh_from_db()
    assert member.workplace == "区医院"


def test_the_api_edit_is_in_the_openapi_document(cast: Cast, client_for: Any) -> None:
    schema = client_for("community_worker").get("/api/openapi.json").json()
    operation = schema["paths"]["/api/party/members/{member_id}"]["patch"]
    assert {"200", "403", "404", "422"} <= set(operation["responses"])
