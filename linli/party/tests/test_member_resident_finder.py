"""A member joining a branch is linked to their resident record found by name or phone (a search box with
suggestions, core.finder), not picked from a drop-down of every resident of the area (thousands in a community);
without a script a unique name or a whole number is taken when the form is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.party import services as party
from linli.party.models import PartyMember, PartyOrg
from linli.territory import services as territory
from linli.territory.models import Resident
from linli.testing import Cast, valid_id_number

pytestmark = pytest.mark.django_db


def _resident(cast: Cast, name: str, room: str, phone: str, seq: str) -> Resident:
    household = territory.household_create(actor=None, building=cast.building, code=f"H{room}", room=room)
    return territory.resident_create(
        actor=None,
        household=household,
        name=name,
        gender="female",
        birth_date=dt.date(1980, 1, 1),
        phone=phone,
        id_number=valid_id_number(birth="19800101", seq=seq),
    )


@pytest.fixture
def residents(cast: Cast) -> dict[str, Resident]:
    return {
        "zhang": cast.resident_record,
        "wang1": _resident(cast, "王芳", "201", "13700001111", "301"),
        "wang2": _resident(cast, "王芳", "202", "13700002222", "302"),
        "outside": cast.other_resident_record,
    }


def _join(client: Any, orgs: dict[str, PartyOrg], **data: Any) -> tuple[int, str]:
    form = {"name": "王芳", "party_org": orgs["branch"].pk, "phone": "13900009999", "workplace": "区医院"}
    response = client.post("/party/members/new/", {**form, **data})
    return response.status_code, response.content.decode() if response.status_code != 302 else ""


def test_the_join_form_offers_a_search_box_not_a_list_of_every_resident(
    cast: Cast, orgs: dict[str, PartyOrg], residents: dict[str, Resident], client_for: Any
) -> None:
    page = client_for("community_worker").get("/party/members/new/").content.decode()
    assert 'type="search" name="resident"' in page
    assert '<select name="resident"' not in page
    assert "王芳" not in page  # nobody is listed before anything is typed


def test_a_unique_name_or_a_whole_number_links_the_resident_without_a_script(
    cast: Cast, orgs: dict[str, PartyOrg], residents: dict[str, Resident], client_for: Any
) -> None:
    client = client_for("community_worker")
    assert _join(client, orgs, name="张三", resident=" 张三 ")[0] == 302
    assert PartyMember.objects.get(name="张三").resident == residents["zhang"]
    assert _join(client, orgs, resident="137 0000 2222")[0] == 302
    assert PartyMember.objects.get(name="王芳").resident == residents["wang2"]


def test_no_resident_typed_joins_the_member_unlinked(
    cast: Cast, orgs: dict[str, PartyOrg], residents: dict[str, Resident], client_for: Any
) -> None:
    assert _join(client_for("community_worker"), orgs, resident="")[0] == 302
    assert PartyMember.objects.get(name="王芳").resident is None


def test_a_name_two_residents_carry_is_refused_with_both_to_choose_and_nothing_lost(
    cast: Cast, orgs: dict[str, PartyOrg], residents: dict[str, Resident], client_for: Any
) -> None:
    client = client_for("community_worker")
    status, page = _join(client, orgs, resident="王芳")
    assert status == 422 and not PartyMember.objects.exists()
    assert "有 2 位居民叫“王芳”" in page
    for r in (residents["wang1"], residents["wang2"]):
        assert f'name="resident_pick" value="{r.pk}"' in page
    assert 'value="王芳"' in page and 'value="13900009999"' in page and 'value="区医院"' in page
    assert "137****1111" in page and "13700001111" not in page  # phones masked
    assert _join(client, orgs, resident="王芳", resident_pick=residents["wang1"].pk)[0] == 302
    assert PartyMember.objects.get().resident == residents["wang1"]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("赵六", "没有找到“赵六”"),
        ("李四", "没有找到“李四”"),  # the other community's resident is outside the worker's scope
    ],
)
def test_an_unknown_resident_is_refused_in_chinese(
    cast: Cast,
    orgs: dict[str, PartyOrg],
    residents: dict[str, Resident],
    client_for: Any,
    typed: str,
    said: str,
) -> None:
    status, page = _join(client_for("community_worker"), orgs, resident=typed)
    assert status == 422 and said in page and not PartyMember.objects.exists()


def test_a_resident_who_is_a_member_already_is_named_as_such(
    cast: Cast, orgs: dict[str, PartyOrg], residents: dict[str, Resident], client_for: Any
) -> None:
    party.party_member_create(actor=None, name="张三", party_org=orgs["branch"], resident=residents["zhang"])
    status, page = _join(client_for("community_worker"), orgs, name="张三", resident="张三")
    assert status == 422 and "张三已经是党员" in page


def test_suggestions_by_name_or_phone_end_stay_in_the_readers_scope(
    cast: Cast, orgs: dict[str, PartyOrg], residents: dict[str, Resident], client_for: Any
) -> None:
    client = client_for("community_worker")
    url = "/party/members/find-resident/"
    by_name = client.get(url, {"resident": "王"}).content.decode()
    assert by_name.count('name="resident_pick"') == 2
    by_phone = client.get(url, {"resident": "2222"}).content.decode()
    assert f'value="{residents["wang2"].pk}"' in by_phone and by_phone.count('name="resident_pick"') == 1
    assert "13700002222" not in by_phone
    assert "李四" not in client.get(url, {"resident": "李"}).content.decode()
