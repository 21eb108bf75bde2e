"""The register kept up to date through the pages and the API, as a community or grid worker would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.errors import ValidationFailed
from linli.territory import services
from linli.territory.models import Resident
from linli.testing import Cast

pytestmark = pytest.mark.django_db


def _profile(client: Any, grid_id: int) -> int:
    return int(client.get(f"/api/grids/{grid_id}").json()["profile"]["residents"])


@pytest.mark.parametrize("persona", ["grid_worker", "community_worker", "admin"])
def test_register_pages_render_for_those_who_keep_it(client_for: Any, cast: Cast, persona: str) -> None:
    client = client_for(persona)
    person = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    assert "张三" in person and "记录迁出" in person and "13812345678" not in person
    assert 'data-confirm="确认登记张三已故？此操作无法撤销。"' in person  # asked before it is sent
    household = client.get(f"/territory/households/{cast.household.pk}/").content.decode()
    assert "张三" in household and "整户迁移" in household
    assert 'data-confirm="确认将本户成员并入所填的户？' in household
    building = client.get(f"/territory/buildings/{cast.building.pk}/").content.decode()
    assert "H001" in building and "楼栋长" in building


def test_a_street_officer_reads_the_register_but_does_not_change_it(client_for: Any, cast: Cast) -> None:
    client = client_for("street_officer")
    page = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    assert "张三" in page and "记录迁出" not in page
    response = client.post(f"/territory/residents/{cast.resident_record.pk}/move-out/", {"destination": "x"})
    assert response.status_code == 403
    assert (
        client.patch(
            f"/api/residents/{cast.resident_record.pk}", {"occupation": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_a_community_worker_moves_a_family_to_another_building_and_the_grids_counts_change(
    client_for: Any, cast: Cast
) -> None:
    client = client_for("admin")  # sees both grids, to read both counts
    other_home = cast.other_resident_record.household
    assert other_home is not None
    before = _profile(client, cast.grid.pk), _profile(client, cast.other_grid.pk)
    response = client.post(
        f"/territory/households/{cast.household.pk}/move/", {"household": other_home.code, "on": "2024-05-01"}
    )
    assert response.status_code == 302
    assert (_profile(client, cast.grid.pk), _profile(client, cast.other_grid.pk)) == (
        before[0] - 1,
        before[1] + 1,
    )
    person = client.get(f"/territory/residents/{cast.resident_record.pk}/").content.decode()
    assert "2024-05-01" in person and "迁至本辖区另一户" in person


def test_a_move_offers_the_grids_other_households_by_their_address(client_for: Any, cast: Cast) -> None:
    neighbour = services.household_create(actor=None, building=cast.building, code="H-NEXT-202", room="202")
    page = client_for("grid_worker").get(f"/territory/households/{cast.household.pk}/").content.decode()
    listed = page[page.index('<datalist id="household-codes">') :]
    listed = listed[: listed.index("</datalist>")]
    assert f'<option value="H-NEXT-202">{neighbour.address}</option>' in listed
    assert cast.household.code not in listed  # not itself
    assert cast.other_resident_record.household.code not in listed  # type: ignore[union-attr]  # another grid
    assert page.count('list="household-codes"') == 2  # the move's and the merge's field
    assert "户编码" in page and "输入房号或地址后从列表中选择住户" in page
    # A reader who keeps nothing has no form, and no list.
    reader = client_for("street_officer").get(f"/territory/households/{cast.household.pk}/").content.decode()
    assert "张三" in reader and "<datalist" not in reader


def test_a_refused_form_is_shown_again_in_chinese_with_what_was_typed(client_for: Any, cast: Cast) -> None:
    client = client_for("community_worker")
    response = client.post(
        f"/territory/residents/{cast.resident_record.pk}/edit/",
        {"phone": "12345", "occupation": "退休教师", "care_level": "red"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "手机号" in page and "退休教师" in page
    cast.resident_record.refresh_from_db()
    assert cast.resident_record.occupation == ""
    unknown = client.post(f"/territory/households/{cast.household.pk}/move/", {"household": "NOPE"})
    assert unknown.status_code == 422 and "您的辖区内没有此编码的住户" in unknown.content.decode()


def test_the_api_edits_a_resident_and_records_life_events(client_for: Any, cast: Cast) -> None:
    client = client_for("grid_worker")
    url = f"/api/residents/{cast.resident_record.pk}"
    body = client.patch(
        url, {"occupation": "退休", "care_level": "red"}, content_type="application/json"
    ).json()
    assert (body["occupation"], body["care_level"]) == ("退休", "red")
    bad = client.patch(url, {"care_level": "purple"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "care_level"
    born = client.post(
        f"/api/households/{cast.household.pk}/births",
        {"name": "张小宝", "gender": "female", "birth_date": "2024-01-02"},
        content_type="application/json",
    )
    assert born.status_code == 201 and born.json()["history"][0]["kind"] == "born"
    gone = client.post(
        f"{url}/move-out", {"on": "2024-06-01", "destination": "上海"}, content_type="application/json"
    )
    assert gone.json()["status"] == "moved_away"
    assert [e["kind"] for e in client.get(url).json()["history"]] == ["moved_out"]
    assert "张三" not in str(client.get("/api/residents").json())  # the list shows those living here


def test_the_api_keeps_building_figures_consistent(client_for: Any, cast: Cast) -> None:
    client = client_for("community_worker")
    url = f"/api/buildings/{cast.building.pk}"
    body = client.patch(
        url,
        {"households_per_floor": 2, "captain_id": cast.resident_record.pk},
        content_type="application/json",
    ).json()
    assert (body["capacity"], body["captain_id"]) == (24, cast.resident_record.pk)
    refused = client.patch(url, {"entrances": 0}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["extra"]["field"] == "entrances"


def test_a_split_and_a_head_change_through_the_pages(client_for: Any, cast: Cast) -> None:
    son = services.resident_create(
        actor=None, household=cast.household, name="张一", gender="male", birth_date=dt.date(1980, 1, 1)
    )
    client = client_for("grid_worker")
    response = client.post(
        f"/territory/households/{cast.household.pk}/split/",
        {"members": [son.pk], "head": son.pk, "code": "H001-2", "room": "102"},
    )
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.household is not None and son.household.code == "H001-2" and son.relation == "户主"
    response = client.post(
        f"/territory/households/{cast.household.pk}/head/", {"head": cast.resident_record.pk}
    )
    assert response.status_code == 302
    assert Resident.objects.get(pk=cast.resident_record.pk).relation == "户主"


def test_a_home_not_in_the_register_is_added_on_its_building_page_and_its_family_moves_in(
    client_for: Any, cast: Cast
) -> None:
    """A family from elsewhere moves into a flat that stood empty: the register had no page to add the flat (only
    an import), so "someone moves in" had no household to go to. The building page adds it now."""
    client = client_for("community_worker")
    url = f"/territory/buildings/{cast.building.pk}/households/new/"
    page = client.get(f"/territory/buildings/{cast.building.pk}/").content.decode()
    assert "新增住户" in page and f'action="{url}"' in page
    taken = client.post(url, {"room": "101", "entrance": "1", "is_rented": "1", "floor_area": "86.5"})
    assert taken.status_code == 422
    assert "该单元的 101 室已在台账中" in taken.content.decode() and 'value="86.5"' in taken.content.decode()
    no_entrance = client.post(url, {"room": "102", "entrance": "", "is_rented": "0"})
    assert no_entrance.status_code == 422 and "此项为必填项" in no_entrance.content.decode()
    added = client.post(url, {"room": "102", "entrance": "2", "is_rented": "1", "floor_area": "86.5"})
    assert added.status_code == 302
    home = cast.building.households.get(room="102")
    assert added["Location"] == f"/territory/households/{home.pk}/"
    assert (home.code, home.entrance.number, home.is_rented, str(home.floor_area)) == (
        "B001-2-102",
        2,
        True,
        "86.50",
    )
    assert home.address == "和平路1号院1号楼2单元102"
    moved_in = client.post(
        f"/territory/households/{home.pk}/move-in/",
        {
            "name": "赵新",
            "gender": "male",
            "birth_date": "1985-03-02",
            "relation": "户主",
            "on": "2026-11-01",
        },
    )
    assert moved_in.status_code == 302
    assert "赵新" in client.get(f"/territory/households/{home.pk}/").content.decode()
    assert (
        client_for("street_officer").post(url, {"room": "103", "entrance": "1", "is_rented": "0"}).status_code
        == 403
    )
    assert (
        client_for("outsider").post(url, {"room": "103", "entrance": "1", "is_rented": "0"}).status_code
        == 404
    )
    assert not cast.building.households.filter(room="103").exists()


def test_the_api_adds_a_home_to_a_building_through_the_same_service(client_for: Any, cast: Cast) -> None:
    client = client_for("grid_worker")
    url = f"/api/buildings/{cast.building.pk}/households"
    no_such = client.post(url, {"room": "302", "entrance": 7}, content_type="application/json")
    assert no_such.status_code == 422 and no_such.json()["extra"]["field"] == "entrance"
    taken = client.post(url, {"room": "101", "entrance": 1}, content_type="application/json")
    assert taken.status_code == 422 and taken.json()["extra"]["field"] == "room"
    added = client.post(
        url, {"room": "302", "entrance": 1, "floor_area": 72.5}, content_type="application/json"
    )
    assert added.status_code == 201
    body = added.json()
    assert (body["code"], body["entrance"], body["floor_area"], body["members"]) == (
        "B001-1-302",
        1,
        72.5,
        [],
    )
    assert (
        client_for("street_officer")
        .post(url, {"room": "303", "entrance": 1}, content_type="application/json")
        .status_code
        == 403
    )


def test_a_home_added_with_its_floor_area_is_written_once(cast: Cast) -> None:
    """The household and its floor area go in one INSERT (the area used to follow in an UPDATE)."""
    with CaptureQueriesContext(connection) as queries:
        home = services.household_add(
            actor=cast.community_worker,
            building=cast.building,
            room="401",
            entrance=cast.building.entrances.first(),
            floor_area="91.25",
        )
    writes = [
        q["sql"]
        for q in queries
        if "territory_household" in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes
    home.refresh_from_db()
    assert str(home.floor_area) == "91.25"
    with pytest.raises(ValidationFailed, match="1"):
        services.household_add(
            actor=cast.community_worker,
            building=cast.building,
            room="402",
            entrance=cast.building.entrances.first(),
            floor_area="0.5",
        )
    assert not cast.building.households.filter(room="402").exists()


def test_a_room_too_long_or_blank_is_refused_naming_the_room(client_for: Any, cast: Cast) -> None:
    client = client_for("community_worker")
    url = f"/territory/buildings/{cast.building.pk}/households/new/"
    long = client.post(url, {"room": "1" * 25, "entrance": "1", "is_rented": "0", "floor_area": "70"})
    page = long.content.decode()
    assert long.status_code == 422 and 'value="70"' in page
    api = client.post(
        f"/api/buildings/{cast.building.pk}/households",
        {"room": "1" * 25, "entrance": 1},
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["extra"]["field"] == "room"
    assert "房号" in api.json()["message"] and "20" in api.json()["message"] and "25" in api.json()["message"]
    with pytest.raises(ValidationFailed) as refused:
        services.household_update(actor=cast.community_worker, household=cast.household, room="9" * 21)
    assert "房号" in str(refused.value)


def _edit_fields(r: Resident, **changes: Any) -> dict[str, Any]:
    """What the edit form posts: every field as the page fills it in, with `changes` typed over it."""
    return {
        "name": r.name,
        "gender": r.gender,
        "birth_date": r.birth_date.isoformat(),
        "id_number": "",
        "phone": "",
        "tags": r.tag_list,
        "care_level": r.care_level,
        "occupation": r.occupation,
        "relation": r.relation,
        "registered_address": r.registered_address,
        "notes": r.notes,
    } | changes


def test_a_community_worker_corrects_a_residents_id_number_and_name_on_the_page(
    client_for: Any, cast: Cast
) -> None:
    from linli.core.audit import AuditEntry
    from linli.testing import valid_id_number

    client = client_for("community_worker")
    r = cast.resident_record
    url = f"/territory/residents/{r.pk}/"
    form = client.get(url).content.decode()
    assert 'name="id_number"' in form and 'name="name"' in form and 'name="birth_date"' in form
    assert r.id_number not in form  # the number on file is never put in the page in clear
    right = valid_id_number(birth="19500310", seq="135")
    response = client.post(f"{url}edit/", _edit_fields(r, name="张叁", id_number=right))
    assert response.status_code == 302
    r.refresh_from_db()
    # The birth date follows the corrected number; tags and care level stay as they were.
    assert (r.name, r.id_number, r.birth_date, r.gender) == ("张叁", right, dt.date(1950, 3, 10), "male")
    assert (r.tag_list, r.care_level) == (["elderly_alone"], "yellow")
    page = client.get(url).content.decode()
    assert right not in page and r.id_number_masked in page
    entry = AuditEntry.objects.filter(action="resident_update").latest("id")
    assert right not in str(entry.detail) and "id_number" in entry.detail["fields"]


def test_a_wrong_id_number_is_refused_in_chinese_with_what_was_typed_kept(
    client_for: Any, cast: Cast
) -> None:
    from linli.testing import valid_id_number

    client = client_for("community_worker")
    r = cast.resident_record
    before = r.id_number
    typo = valid_id_number(birth="19500310", seq="135")[:-1] + "0"
    refused = client.post(
        f"/territory/residents/{r.pk}/edit/", _edit_fields(r, id_number=typo, occupation="退休")
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "校验位" in page and typo in page and "退休" in page
    # Another person's number: said, not taken.
    other = cast.other_resident_record.id_number
    taken = client.post(f"/territory/residents/{r.pk}/edit/", _edit_fields(r, id_number=other))
    assert taken.status_code == 422 and "管辖范围之外" in taken.content.decode()
    # A birth date the number on file contradicts.
    wrong_birth = client.post(f"/territory/residents/{r.pk}/edit/", _edit_fields(r, birth_date="1951-01-01"))
    assert wrong_birth.status_code == 422 and "出生日期与身份证号不符" in wrong_birth.content.decode()
    r.refresh_from_db()
    assert (r.id_number, r.occupation, r.birth_date) == (before, "", dt.date(1950, 3, 1))


def test_the_api_corrects_a_residents_id_number(client_for: Any, cast: Cast) -> None:
    from linli.testing import valid_id_number

    client = client_for("grid_worker")
    r = cast.resident_record
    url = f"/api/residents/{r.pk}"
    right = valid_id_number(birth="19500310", seq="246")
    body = client.patch(url, {"id_number": right}, content_type="application/json").json()
    assert body["gender"] == "female" and right not in str(body) and body["id_number"].endswith(right[-4:])
    r.refresh_from_db()
    assert (r.id_number, r.birth_date) == (right, dt.date(1950, 3, 10))
    bad = client.patch(url, {"gender": "male"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "gender"
    assert client.patch(url, {"name": "张叁"}, content_type="application/json").json()["name"] == "张叁"
    # One the caller sees is named, so that a duplicate record can be told from a typo.
    with pytest.raises(ValidationFailed, match="李四"):
        services.resident_update(actor=None, resident=r, id_number=cast.other_resident_record.id_number)


@pytest.mark.parametrize("page", ["resident", "household", "building"])
def test_each_label_of_a_register_page_names_the_one_field_under_it(
    client_for: Any, cast: Cast, page: str
) -> None:
    # A resident's page holds four forms and a household's seven: two of them with a 日期 or 户编码 field gave both
    # inputs one id, so a label named the first form's field (tapping 死亡日期 went to 迁出's date, folded away) and
    # a screen reader read the second field without its name.
    import re

    path = {
        "resident": f"/territory/residents/{cast.resident_record.pk}/",
        "household": f"/territory/households/{cast.household.pk}/",
        "building": f"/territory/buildings/{cast.building.pk}/",
    }[page]
    html = client_for("community_worker").get(path).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert twice == []
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids, target


def test_a_room_typed_wrong_is_corrected_on_the_household_page(client_for: Any, cast: Cast) -> None:
    """A home registered as 101 is in fact 103 of entrance 2: the household page changed only its tenure and floor
    area, so a room typed wrong stayed wrong unless a file was imported. Its room and entrance are corrected there
    now, the address following them; a room another home of that entrance holds is refused with what was typed."""
    client = client_for("community_worker")
    home = cast.household
    url = f"/territory/households/{home.pk}/edit/"
    page = client.get(f"/territory/households/{home.pk}/").content.decode()
    assert "房号、单元、自住/出租与面积" in page and f'name="room" value="{home.room}"' in page
    services.household_add(actor=None, building=cast.building, room="102", entrance=home.entrance)
    taken = client.post(url, {"room": "102", "entrance": "1", "is_rented": "1", "floor_area": "64"})
    assert taken.status_code == 422
    body = taken.content.decode()
    assert "该单元的 102 室已在台账中" in body and 'value="64"' in body and 'value="102"' in body
    fixed = client.post(url, {"room": "103", "entrance": "2", "is_rented": "0", "floor_area": "64"})
    assert fixed.status_code == 302 and fixed["Location"] == f"/territory/households/{home.pk}/"
    home.refresh_from_db()
    assert (home.room, home.entrance.number, home.address) == ("103", 2, "和平路1号院1号楼2单元103")
    no_entrance = client.post(url, {"room": "103", "entrance": "", "is_rented": "0"})
    assert no_entrance.status_code == 422 and "请选择该户所在的单元" in no_entrance.content.decode()
