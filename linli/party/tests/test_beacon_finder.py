"""The beacon-household form finds the member by name or phone (a search box with suggestions), not from a
drop-down of every member of the area; without a script a unique name or a whole number is taken when sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.party import services as party
from linli.party.models import BeaconHousehold, PartyMember, PartyOrg
from linli.territory import services as territory
from linli.testing import Cast, valid_id_number

pytestmark = pytest.mark.django_db


def _member(cast: Cast, branch: PartyOrg, name: str, room: str, phone: str, seq: str) -> PartyMember:
    household = territory.household_create(actor=None, building=cast.building, code=f"H{room}", room=room)
    resident = territory.resident_create(
        actor=None,
        household=household,
        name=name,
        gender="male",
        birth_date=dt.date(1970, 1, 1),
        phone=phone,
        id_number=valid_id_number(birth="19700101", seq=seq),
    )
    return party.party_member_create(actor=None, name=name, party_org=branch, resident=resident, phone=phone)


@pytest.fixture
def members(cast: Cast, orgs: dict[str, PartyOrg]) -> dict[str, PartyMember]:
    branch = orgs["branch"]
    other = party.party_org_create(
        actor=None, kind="branch", name="光明支部", org_node=cast.other_community, parent=orgs["other"]
    )
    return {
        "zhang": party.party_member_create(
            actor=None, name="张三", party_org=branch, resident=cast.resident_record, phone="13812345678"
        ),
        "wang1": _member(cast, branch, "王芳", "201", "13700001111", "301"),
        "wang2": _member(cast, branch, "王芳", "202", "13700002222", "302"),
        "outside": party.party_member_create(
            actor=None,
            name="李四",
            party_org=other,
            resident=cast.other_resident_record,
            phone="13912345678",
        ),
    }


def _post(client: Any, **data: Any) -> tuple[int, str]:
    response = client.post("/party/beacons/", {"households_served": 15, **data})
    return response.status_code, response.content.decode() if response.status_code != 302 else ""


def test_the_form_offers_a_search_box_not_a_list_of_every_member(
    cast: Cast, members: dict[str, PartyMember], client_for: Any
) -> None:
    page = client_for("community_worker").get("/party/beacons/").content.decode()
    form = page[page.index('id="designate"') :]
    assert 'type="search" name="member"' in form and "<select" not in form.split("</form>")[0]
    assert "王芳" not in form  # nobody is listed before anything is typed


def test_a_unique_name_or_a_whole_number_is_taken_without_a_script(
    cast: Cast, members: dict[str, PartyMember], client_for: Any
) -> None:
    client = client_for("community_worker")
    assert _post(client, member=" 张三 ")[0] == 302
    assert BeaconHousehold.objects.get(member=members["zhang"]).households_served == 15
    assert _post(client, member="137 0000 2222")[0] == 302
    assert BeaconHousehold.objects.filter(member=members["wang2"]).exists()


def test_a_name_two_members_carry_is_refused_with_both_to_choose_and_nothing_lost(
    cast: Cast, members: dict[str, PartyMember], client_for: Any
) -> None:
    client = client_for("community_worker")
    status, page = _post(client, member="王芳", households_served=23)
    assert status == 422 and not BeaconHousehold.objects.exists()
    assert "有 2 名党员叫“王芳”" in page
    for m in (members["wang1"], members["wang2"]):
        assert f'name="member_pick" value="{m.pk}"' in page
    assert 'value="王芳"' in page and 'value="23"' in page
    assert "137****1111" in page and "13700001111" not in page  # phones masked
    assert _post(client, member="王芳", member_pick=members["wang1"].pk)[0] == 302
    assert BeaconHousehold.objects.get().member == members["wang1"]


def test_a_choice_the_text_no_longer_finds_is_not_taken(
    cast: Cast, members: dict[str, PartyMember], client_for: Any
) -> None:
    status, page = _post(client_for("community_worker"), member="李", member_pick=members["wang1"].pk)
    assert status == 422 and "没有找到“李”" in page and not BeaconHousehold.objects.exists()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("赵六", "没有找到“赵六”"),
        ("李四", "没有找到“李四”"),  # the other community's member is outside the worker's scope
        ("", "请输入党员姓名或手机号后四位"),
    ],
)
def test_an_unknown_name_is_refused_in_chinese(
    cast: Cast, members: dict[str, PartyMember], client_for: Any, typed: str, said: str
) -> None:
    status, page = _post(client_for("community_worker"), member=typed)
    assert status == 422 and said in page and not BeaconHousehold.objects.exists()


def test_a_member_already_a_beacon_household_is_named_as_such(
    cast: Cast, members: dict[str, PartyMember], client_for: Any
) -> None:
    party.beacon_household_designate(actor=None, member=members["zhang"])
    status, page = _post(client_for("community_worker"), member="张三")
    assert status == 422 and "张三的家庭已经是党员中心户" in page


def test_suggestions_by_name_or_phone_end_stay_in_the_readers_scope(
    cast: Cast, members: dict[str, PartyMember], client_for: Any
) -> None:
    client = client_for("community_worker")
    by_name = client.get("/party/beacons/find/", {"member": "王"}).content.decode()
    assert by_name.count('name="member_pick"') == 2
    by_phone = client.get("/party/beacons/find/", {"member": "2222"}).content.decode()
    assert f'value="{members["wang2"].pk}"' in by_phone and by_phone.count('name="member_pick"') == 1
    assert "13700002222" not in by_phone
    assert "李四" not in client.get("/party/beacons/find/", {"member": "李"}).content.decode()
    assert 'name="member_pick"' not in client.get("/party/beacons/find/", {"member": "45"}).content.decode()
