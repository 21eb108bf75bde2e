"""A new building's homes added all at once (批量新增住户): entrances, floors, homes per floor and how the rooms are
numbered, previewed with the rooms already in the register skipped, then confirmed; by the service, on the
building's page and through the API. Adding them one at a time was the only way on the pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.territory import services
from linli.territory.models import Building, Household
from linli.territory.services.homes import room_number
from linli.testing import Cast

pytestmark = pytest.mark.django_db

SIX_FLOORS = {"entrances": 2, "floor_from": 1, "floor_to": 6, "per_floor": 2, "numbering": "floor"}


def _building(cast: Cast, code: str, **figures: Any) -> Building:
    """A new building of the cast's grid (6 floors, 2 entrances, 2 homes a floor unless told)."""
    values = {"floors": 6, "entrances": 2, "households_per_floor": 2} | figures
    return services.building_add(
        actor=cast.community_worker,
        grid=cast.grid,
        name=f"{code}号楼",
        address=f"和平路1号院{code}号楼",
        lng=116.4025,
        lat=39.9025,
        code=code,
        **values,
    )


def _typed(page: str, name: str, value: str) -> bool:
    """Whether the page's form holds `value` in its field `name`."""
    return bool(re.search(rf'<input type="number" name="homes-{name}"[^>]* value="{value}"', page))


def _rooms(building: Building) -> list[tuple[int | None, str]]:
    homes = Household.objects.filter(building=building).order_by("entrance__number", "room")
    return [(h.entrance.number if h.entrance else None, h.room) for h in homes]


# ------------------------------------------------------------------------------------------------- the service


def test_a_buildings_homes_are_added_at_once_and_the_rooms_already_there_are_skipped(cast: Cast) -> None:
    plan = services.households_add_all(actor=cast.community_worker, building=cast.building, **SIX_FLOORS)
    assert plan.existing == [(1, "101")]  # H001, registered before
    assert len(plan.created) == 23 and all(h.pk for h in plan.created)
    rooms = _rooms(cast.building)
    assert len(rooms) == 24 and rooms[:3] == [(1, "101"), (1, "102"), (1, "201")] and rooms[-1] == (2, "602")
    home = Household.objects.get(building=cast.building, entrance__number=2, room="502")
    assert home.code == "B001-2-502" and home.address == "和平路1号院1号楼2单元502"
    entries = AuditEntry.objects.filter(
        action="household_create", object_id__in=[str(h.pk) for h in plan.created]
    )
    assert entries.count() == 23 and {e.actor_id for e in entries} == {cast.community_worker.pk}
    with pytest.raises(ValidationFailed) as again:  # everything is there now
        services.households_add_all(actor=cast.community_worker, building=cast.building, **SIX_FLOORS)
    assert again.value.extra["field"] == "floor_to" and "24" in str(again.value.message)


def test_rooms_are_numbered_as_the_doors_are(cast: Cast) -> None:
    assert [room_number("floor", e, 3, h, 2) for e in (1, 2) for h in (1, 2)] == ["301", "302", "301", "302"]
    assert [room_number("running", e, 3, h, 2) for e in (1, 2) for h in (1, 2)] == [
        "301",
        "302",
        "303",
        "304",
    ]
    assert room_number("entrance_floor", 2, 12, 1, 2) == "2-1201"
    running = _building(cast, "21")
    services.households_add_all(
        actor=cast.grid_worker, building=running, **SIX_FLOORS | {"numbering": "running", "floor_to": 1}
    )
    assert _rooms(running) == [(1, "101"), (1, "102"), (2, "103"), (2, "104")]
    first = _building(cast, "22")
    services.households_add_all(
        actor=cast.grid_worker,
        building=first,
        **SIX_FLOORS | {"numbering": "entrance_floor", "floor_from": 6},
    )
    assert _rooms(first) == [(1, "1-601"), (1, "1-602"), (2, "2-601"), (2, "2-602")]
    assert Household.objects.get(building=first, room="2-601").code == "22-2-2-601"  # household_add's code


def test_a_batch_the_building_cannot_hold_is_refused_whole_on_its_field(cast: Cast) -> None:
    small = _building(cast, "31", floors=2, entrances=1)  # room for 4
    services.household_add(
        actor=cast.community_worker, building=small, room="105", entrance=small.entrances.get()
    )
    refusals = {
        "entrances": {"entrances": 2},  # it has one
        "floor_to": {"floor_to": 3},  # it has two floors
        "floor_from": {"floor_from": 0},
        "per_floor": {"per_floor": 3},  # two homes a floor and entrance
        "numbering": {"numbering": "odd"},
    }
    for field, change in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            services.households_add_all(
                actor=cast.community_worker,
                building=small,
                **{"entrances": 1, "floor_from": 1, "floor_to": 2, "per_floor": 2, "numbering": "floor"}
                | change,
            )
        assert refused.value.extra["field"] == field, (field, refused.value.message)
    with pytest.raises(ValidationFailed) as full:  # 105 and four more do not fit in four
        services.households_add_all(
            actor=cast.community_worker,
            building=small,
            entrances=1,
            floor_from=1,
            floor_to=2,
            per_floor=2,
            numbering="floor",
        )
    assert full.value.extra["field"] == "per_floor" and "4" in str(full.value.message)
    other = Building.objects.get(code="B002")
    services.household_create(actor=None, building=other, code="B001-2-301", room="301")
    with pytest.raises(ValidationFailed) as taken:  # a code another home holds, elsewhere
        services.households_add_all(actor=cast.community_worker, building=cast.building, **SIX_FLOORS)
    assert taken.value.extra["field"] == "numbering" and "B001-2-301" in str(taken.value.message)
    assert _rooms(small) == [(1, "105")] and _rooms(cast.building) == [(1, "101")]  # nothing added


def test_only_those_who_keep_the_register_add_homes_in_their_own_area(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):  # reads the register, does not keep it
        services.households_add_all(actor=cast.street_officer, building=cast.building, **SIX_FLOORS)
    with pytest.raises(NotFound):  # another community's building
        services.households_add_all(actor=cast.outsider, building=cast.building, **SIX_FLOORS)
    assert _rooms(cast.building) == [(1, "101")]


def test_a_tall_building_is_added_in_as_many_queries_as_a_low_one(cast: Cast) -> None:
    low, tall = _building(cast, "41", floors=2), _building(cast, "42", floors=30, households_per_floor=4)
    counts = []
    for building, floors, per_floor in ((low, 2, 1), (tall, 30, 4)):
        with CaptureQueriesContext(connection) as queries:
            plan = services.households_add_all(
                actor=cast.community_worker,
                building=building,
                **SIX_FLOORS | {"floor_to": floors, "per_floor": per_floor},
            )
        counts.append(len(queries.captured_queries))
        assert len(plan.created) == 2 * floors * per_floor
    assert counts[0] == counts[1], counts


# ------------------------------------------------------------------------------------------------- the page


def _post(client: Any, building: Building, **data: Any) -> Any:
    form = {
        f"homes-{key}": value
        for key, value in (SIX_FLOORS | data).items()
        if key not in ("confirm", "expected")
    }
    return client.post(
        f"/territory/buildings/{building.pk}/households/batch/",
        form | {key: data[key] for key in ("confirm", "expected") if key in data},
    )


def test_the_building_page_previews_the_homes_then_adds_them_once_confirmed(
    cast: Cast, client_for: Any
) -> None:
    client = client_for("community_worker")
    page = client.get(f"/territory/buildings/{cast.building.pk}/").content.decode()
    assert "批量新增住户" in page and _typed(page, "floor_to", "6")  # the building's figures to start from
    preview = _post(client, cast.building)
    text = preview.content.decode()
    assert preview.status_code == 200 and "将新增 23 户" in text
    assert "1 单元</strong> 102、201、202 … 601、602" in text and "（11 户）" in text
    assert "已登记、将跳过 1 户：1 单元 101" in text and "确认新增 23 户" in text
    assert _rooms(cast.building) == [(1, "101")]  # a preview adds nothing
    stale = _post(client, cast.building, confirm="1", expected="24")  # not the count the preview showed
    assert stale.status_code == 200 and "预览之后台账有变动" in stale.content.decode()
    assert _rooms(cast.building) == [(1, "101")]
    done = _post(client, cast.building, confirm="1", expected="23")
    assert done.status_code == 302 and done["Location"] == f"/territory/buildings/{cast.building.pk}/"
    landed = client.get(done["Location"]).content.decode()
    assert "已新增 23 户。" in landed and "台账中已有的 1 户保持不变。" in landed
    assert len(_rooms(cast.building)) == 24


def test_a_refused_batch_says_why_in_chinese_and_keeps_what_was_typed(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    refused = _post(client, cast.building, floor_to="9", per_floor="3", numbering="running")
    text = refused.content.decode()
    assert refused.status_code == 422
    assert "请填写 1 至 6 之间的楼层：不低于起始楼层，不高于本楼的 6 层。" in text
    assert _typed(text, "floor_to", "9") and _typed(text, "per_floor", "3")
    assert re.search(r'<input type="radio" name="homes-numbering" value="running"[^>]* checked', text)
    assert "确认新增" not in text  # no confirmation for a refused batch
    typo = _post(client, cast.building, per_floor="两")
    assert typo.status_code == 422 and "请输入整数" in typo.content.decode()
    assert _rooms(cast.building) == [(1, "101")]


def test_the_batch_is_for_those_who_keep_the_register(cast: Cast, client_for: Any) -> None:
    officer = client_for("street_officer")
    assert "批量新增住户" not in officer.get(f"/territory/buildings/{cast.building.pk}/").content.decode()
    assert _post(officer, cast.building).status_code == 403
    assert _post(client_for("outsider"), cast.building).status_code == 404
    assert _rooms(cast.building) == [(1, "101")]


# ------------------------------------------------------------------------------------------------- the API


def test_the_api_previews_with_a_dry_run_then_adds(cast: Cast, client_for: Any) -> None:
    client = client_for("community_worker")
    url = f"/api/buildings/{cast.building.pk}/households/batch"
    dry = client.post(url, SIX_FLOORS | {"dry_run": True}, content_type="application/json")
    body = dry.json()
    assert (
        dry.status_code == 200 and body["count"] == 23 and body["skipped"] == [{"entrance": 1, "room": "101"}]
    )
    assert body["households"][0] == {"id": None, "code": "B001-1-102", "entrance": 1, "room": "102"}
    assert _rooms(cast.building) == [(1, "101")]
    added = client.post(url, SIX_FLOORS, content_type="application/json")
    body = added.json()
    assert added.status_code == 201 and body["count"] == 23
    last = body["households"][-1]
    assert (last["code"], last["entrance"], last["room"]) == ("B001-2-602", 2, "602")
    assert Household.objects.get(pk=last["id"]).code == "B001-2-602"
    bad = client.post(url, SIX_FLOORS | {"entrances": 5}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "entrances"
    assert "本楼有 2 个单元" in bad.json()["message"]
    assert (
        client_for("street_officer")
        .post(url, SIX_FLOORS | {"dry_run": True}, content_type="application/json")
        .status_code
        == 403
    )
    assert client_for("outsider").post(url, SIX_FLOORS, content_type="application/json").status_code == 404
